"""The Celery application, wired once from Django's settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.settings.local")

app = Celery("cooperation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
