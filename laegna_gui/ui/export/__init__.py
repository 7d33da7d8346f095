"""Saving what is on screen: views as PNG/SVG/CSV, the export menu, headless screenshots."""
