"""``manage.py seed_demo``: load the demo data (the source report's figures as records)."""

import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.core import DemoContext, DemoLocked
from indicators import figures

# Core first (regions, organisations, pairings, targets): every domain refers to them.
SEEDERS = [
    "demo.core",
    "demo.projects",
    "demo.labor",
    "demo.healthcare",
    "demo.education",
    "demo.consumption",
    # Last: the second, fictitious pair (2024 only) and the roll-up's 2024 targets.
    "demo.second_pair",
]
# What the summary lists, in this order.
SUMMARY_MODELS = [
    "cooperation.Region",
    "cooperation.Organization",
    "cooperation.Pairing",
    "cooperation.Secondment",
    "cooperation.Target",
    "projects.Project",
    "projects.FundAllocation",
    "projects.Disbursement",
    "projects.EquityInvestment",
    "projects.Investment",
    "labor.Worker",
    "labor.Placement",
    "labor.Workshop",
    "healthcare.MedicalDispatch",
    "healthcare.MedicalServiceStat",
    "healthcare.NewTechnique",
    "education.TeacherDispatch",
    "education.Mentorship",
    "education.TeacherTraining",
    "education.VocationalStudent",
    "consumption.Product",
    "consumption.Venue",
    "consumption.Sale",
]


class Command(BaseCommand):
    help = (
        "Load the demo data: the Yuyao-Zhaojue programme as the source report describes it, and a "
        "second, fictitious pair (2024 only) under the same prefecture. "
        "Idempotent: records that exist already are left as they are, so a second run writes nothing. "
        "A run that would write a record into an approved (locked) month writes nothing at all."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        ctx = DemoContext()
        # One transaction: an error anywhere (a record of a locked month) leaves the database
        # as it was.
        try:
            with transaction.atomic():
                for module in SEEDERS:
                    import_module(module).seed(ctx)
                # The records were kept in the figures as they were written; years the demo
                # adds to the programme (its pairing started in 2021) are built now.
                figures.keep_programme_years()
        except DemoLocked as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.monotonic() - started
        created = sum(ctx.created.values())
        self.stdout.write(f"Demo data: {created} records created in {elapsed:.1f} s; now stored:")
        for label in SUMMARY_MODELS:
            model = apps.get_model(label)
            new = ctx.created.get(label, 0)
            suffix = f" (+{new})" if new else ""
            self.stdout.write(f"  {label:<30} {model.objects.count():>6}{suffix}")
