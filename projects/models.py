"""Models of projects (to be written by its issue)."""
