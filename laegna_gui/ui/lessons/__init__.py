"""Lessons in the window: the lesson panel, pointing at controls, and classroom mode."""
