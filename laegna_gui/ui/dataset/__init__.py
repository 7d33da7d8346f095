"""The dataset panel: built-in datasets, drawn points and CSV import."""
