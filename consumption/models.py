"""Models of consumption (to be written by its issue)."""
