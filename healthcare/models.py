"""Models of healthcare (to be written by its issue)."""
