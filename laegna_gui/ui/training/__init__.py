"""Training: the worker thread, its controller, the controls and the live views."""
