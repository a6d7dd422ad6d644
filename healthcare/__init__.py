"""Medical dispatches."""
