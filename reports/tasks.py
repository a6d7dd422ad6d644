"""Celery tasks of the reports: thin wrappers (ids in, a service call).

``acks_late`` and ``reject_on_worker_lost`` (settings) put a task back on the queue when its
worker dies; with Redis, a task of a worker killed outright comes back after the broker's
visibility timeout (settings). The unique (kind, period, region) row makes the rerun safe. A failure is
recorded on the report by the service and the task is retried with a growing delay.
"""

from celery import shared_task

from reports import services

# Retries after 30 s, 60 s and 120 s. A retry waits on a worker, unacknowledged: the longest
# wait plus the hard time limit must stay under the broker's visibility timeout (settings).
RETRY_BACKOFF = 30
RETRY_BACKOFF_MAX = 2 * 60
MAX_RETRIES = 3


@shared_task(
    name="reports.generate",
    autoretry_for=(Exception,),
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=False,
    max_retries=MAX_RETRIES,
)
def report_generate_task(report_id: int) -> None:
    services.report_generate(report_id=report_id)


@shared_task(name="reports.request_previous_period")
def report_schedule_task(kind: str) -> None:
    """Run by django-celery-beat: the reports of the last complete period of ``kind``, the
    programme-wide one and one per county that has scoped users.

    Once per firing, even when two beats fire the same schedule (see the service).
    """
    services.report_schedule(kind=kind)


@shared_task(name="reports.requeue_stale")
def report_requeue_stale_task() -> None:
    """Run by django-celery-beat every minute: reports left pending (task never sent or lost)."""
    services.report_requeue_stale()
