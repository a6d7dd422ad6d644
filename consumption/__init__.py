"""Consumption assistance."""
