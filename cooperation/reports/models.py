"""Models of the reports (to be written by its issue)."""
