"""The report schedule as django-celery-beat rows, so staff can see and change it in the admin.

Monthly on the 1st (for the month before), quarterly on the 1st of January, April, July and
October (for the quarter before), annually on 1 January (for the year before); Asia/Shanghai.
Rows that staff have already changed are left as they are.
"""

import json

from django.db import migrations
from django.utils import timezone

SCHEDULES = [
    # name, kind, minute, hour, day_of_month, month_of_year
    ("reports: monthly report (previous month)", "monthly", "0", "2", "1", "*"),
    ("reports: quarterly report (previous quarter)", "quarterly", "30", "2", "1", "1,4,7,10"),
    ("reports: annual report (previous year)", "annual", "0", "3", "1", "1"),
]
TASK = "reports.request_previous_period"
TIMEZONE = "Asia/Shanghai"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, kind, minute, hour, day_of_month, month_of_year in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": TASK, "crontab": crontab, "kwargs": json.dumps({"kind": kind}), "enabled": True},
        )
    # Tells a running beat that the schedule changed (what PeriodicTask.save() does normally).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
