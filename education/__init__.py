"""Education dispatches."""
