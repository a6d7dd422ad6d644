"""Periodic summary reports."""
