"""Factories of labor cooperation. ``make_id_number`` (valid resident ID numbers) lives in
``tests.labor.id_numbers``, which needs nothing but the standard library, for the demo data."""

import datetime

import factory

from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from tests.factories import OrganizationFactory, RegionFactory
from tests.labor.id_numbers import make_id_number, make_phone


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    name = factory.Sequence(lambda n: f"Worker {n}")
    id_number = factory.Sequence(make_id_number)
    hometown = factory.SubFactory(RegionFactory)
    poverty_alleviated = False
    phone = factory.Sequence(make_phone)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    worker = factory.SubFactory(WorkerFactory)
    destination = "east"
    employer = None
    started_on = datetime.date(2023, 3, 1)
    ended_on = None
    monthly_wage = 4500


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    name = factory.Sequence(lambda n: f"Workshop {n}")
    region = factory.SubFactory(RegionFactory)
    opened_on = datetime.date(2022, 5, 1)
    jobs_offered = 40


class RecruitmentEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentEvent

    held_on = datetime.date(2023, 2, 20)
    place = factory.Sequence(lambda n: f"Square {n}")
    positions = 300
    attendees = 800
    hires = 120


class SkillsTrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillsTraining

    course = factory.Sequence(lambda n: f"Course {n}")
    region = factory.SubFactory(RegionFactory)
    started_on = datetime.date(2023, 4, 1)
    ended_on = datetime.date(2023, 4, 15)
    trainees = 50
    trainees_poverty_alleviated = 20


__all__ = ["OrganizationFactory", "make_id_number", "make_phone"]


def make_workers_with_placements(count: int, *, hometown, start: int = 10_000) -> list[Worker]:
    """``count`` workers with one open east placement each, in two bulk inserts (for
    query-count tests at larger sizes; no history rows are written)."""
    workers = [
        Worker(name=f"Bulk {n}", id_number=make_id_number(n), phone=make_phone(n), hometown=hometown)
        for n in range(start, start + count)
    ]
    Worker.objects.bulk_create(workers)
    Placement.objects.bulk_create(
        [Placement(worker=w, destination="east", started_on=datetime.date(2023, 3, 1)) for w in workers]
    )
    return workers
