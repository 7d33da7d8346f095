"""The desktop window (PySide6 + pyqtgraph). Views follow the core model's events."""
