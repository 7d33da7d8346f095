"""Experiment ▸ Compare… and Sweep…: race variations of the open project off the GUI thread
(engine/compare.py) and show the runs side by side; the open project is never touched."""
