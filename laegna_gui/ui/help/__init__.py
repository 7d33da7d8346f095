"""The help window, its topics and its small plots."""
