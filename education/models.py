"""Models of education (to be written by its issue)."""
