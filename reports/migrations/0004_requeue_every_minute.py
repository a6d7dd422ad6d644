"""The stale-report requeue runs every minute instead of every 15 minutes, so that no report
waits more than about 4 minutes (services.STALE_AFTER + 1 minute). A schedule that staff have
changed to something else is left as it is; a missing one is created."""

from django.db import migrations
from django.utils import timezone

NAME = "reports: queue again reports left pending"
TASK = "reports.requeue_stale"
OLD = (15, "minutes")
NEW = (1, "minutes")


def _move(apps, before, after, create):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    interval, _ = IntervalSchedule.objects.get_or_create(every=after[0], period=after[1])
    task = PeriodicTask.objects.filter(name=NAME).select_related("interval").first()
    if task is None:
        if not create:
            return
        PeriodicTask.objects.create(name=NAME, task=TASK, interval=interval, enabled=True)
    elif task.interval is not None and (task.interval.every, task.interval.period) == before:
        task.interval = interval
        task.save(update_fields=["interval"])
    else:
        return
    # Tells a running beat that the schedule changed (what PeriodicTask.save() does normally).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def every_minute(apps, schema_editor):
    _move(apps, OLD, NEW, create=True)


def every_quarter_hour(apps, schema_editor):
    _move(apps, NEW, OLD, create=False)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_requeue_schedule")]

    operations = [migrations.RunPython(every_minute, every_quarter_hour)]
