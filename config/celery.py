"""The Celery application, wired once from Django's settings (``CELERY_*``).

Workers and beat log through Django's ``LOGGING`` (``setup_logging`` below), so every line they
write passes the personal-data filter like the web process's.
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _configure_logging(**kwargs):
    """Replaces Celery's own logging set-up with Django's (its handlers and filters)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
