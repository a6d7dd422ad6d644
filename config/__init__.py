"""Project configuration: settings, the URL root, the Celery app and the WSGI entry point.

The only package that imports everything; nothing imports it but ``manage.py``, the WSGI server
and Celery.
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
