"""Models of labor (to be written by its issue)."""
