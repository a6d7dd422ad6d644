"""Projects and funds."""
