"""Celery tasks of the programme core: thin wrappers calling a service.

The reminders run on django-celery-beat's schedule (migration 0008). A run whose e-mails
partly failed raises (``reminders.ReminderSendFailed``, or the error before any was sent) and
is retried with a growing delay; the unique (kind, period, user) log makes the retry, a second
beat or a redelivery after a killed worker send only what was not sent.
"""

from celery import shared_task

from cooperation import reminders

# Retries after 30 s, 60 s and 120 s (a mail server briefly down), as the reports' tasks. A retry
# waits on a worker, unacknowledged: the longest wait plus the hard time limit must stay under
# the broker's visibility timeout (settings).
RETRY_BACKOFF = 30
RETRY_BACKOFF_MAX = 2 * 60
MAX_RETRIES = 3


@shared_task(
    name="cooperation.reminders_send_monthly",
    autoretry_for=(Exception,),
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=False,
    max_retries=MAX_RETRIES,
)
def reminders_send_monthly_task() -> int:
    """Run by django-celery-beat on the 3rd of each month: staff of the counties whose previous
    month is not submitted."""
    return reminders.reminders_send_monthly()


@shared_task(
    name="cooperation.review_digest_send",
    autoretry_for=(Exception,),
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=False,
    max_retries=MAX_RETRIES,
)
def review_digest_send_task() -> int:
    """Run by django-celery-beat every morning: each reviewer's submissions waiting."""
    return reminders.review_digest_send()
