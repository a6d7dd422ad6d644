"""Labor cooperation."""
