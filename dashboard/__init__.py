"""The officials dashboard."""
