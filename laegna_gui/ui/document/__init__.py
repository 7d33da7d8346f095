"""The open project: document, undo commands, clipboard, autosave and crash recovery, files."""
