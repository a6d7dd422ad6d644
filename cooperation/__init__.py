"""Project-wide layer (settings, URL root, Celery app) and the programme core."""

from .celery import app as celery_app

__all__ = ["celery_app"]
