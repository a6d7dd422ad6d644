"""Celery tasks of the reports: thin wrappers (ids in, a service call).

``acks_late`` and ``reject_on_worker_lost`` (settings) put a task back on the queue when its
worker dies; the unique (kind, period) row makes the rerun safe. A failure is recorded on the
report by the service and the task is retried with a growing delay.
"""

from celery import shared_task

from cooperation.reports import services


@shared_task(
    name="reports.generate",
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=False,
    max_retries=3,
)
def report_generate_task(report_id: int) -> None:
    services.report_generate(report_id=report_id)


@shared_task(name="reports.request_previous_period")
def report_schedule_task(kind: str) -> None:
    """Run by django-celery-beat: the report of the last complete period of ``kind``."""
    services.report_request_previous(kind=kind)


@shared_task(name="reports.requeue_stale")
def report_requeue_stale_task() -> None:
    """Run by django-celery-beat every 15 minutes: reports whose generation was never queued."""
    services.report_requeue_stale()
