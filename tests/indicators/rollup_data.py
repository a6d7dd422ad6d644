"""Random records of every indicator's kind spread over given regions (the roll-up's tests)."""

import datetime
import random
from decimal import Decimal

from tests.consumption.factories import SaleFactory
from tests.education.factories import (
    MentorshipFactory,
    TeacherDispatchFactory,
    TeacherTrainingFactory,
    VocationalStudentFactory,
    WestSchoolFactory,
)
from tests.factories import OrganizationFactory, RegionFactory, SecondmentFactory
from tests.healthcare.factories import MedicalDispatchFactory, MedicalServiceStatFactory, WestHospitalFactory
from tests.labor.factories import PlacementFactory, WorkerFactory
from tests.projects.factories import DisbursementFactory, FundAllocationFactory, InvestmentFactory, ProjectFactory

YEARS = (2022, 2023, 2024)


def counties(parent, n: int, *, start: int = 1) -> list:
    """``n`` western counties under the prefecture ``parent`` (codes ``<prefix>NN``)."""
    return [
        RegionFactory(
            name=f"County {parent.code_prefix}{i:02d}",
            code=f"{parent.code_prefix}{i:02d}",
            level="county",
            side="west",
            parent=parent,
        )
        for i in range(start, start + n)
    ]


def populate(rng: random.Random, regions: list, *, rounds: int = 3) -> None:
    """Records of every indicator's kind, each in a region drawn from ``regions``, in random years
    (some outside them), with the cases that make figures differ: cancelled projects, workers
    placed twice, poverty-alleviated workers, dispatches overlapping years, professionals among
    the cadres, a training without a school."""

    def region():
        return rng.choice(regions)

    def day():
        return datetime.date(rng.choice((2021, *YEARS)), rng.randint(1, 12), rng.randint(1, 28))

    hospitals = [WestHospitalFactory(region=r) for r in regions]
    schools = [WestSchoolFactory(region=r) for r in regions]
    for index in range(rounds):
        project = ProjectFactory(
            region=region(), year=rng.choice(YEARS), status=rng.choice(["in_progress", "cancelled", "completed"])
        )
        FundAllocationFactory(project=project, year=project.year, amount=Decimal(rng.randint(1, 900) * 1000))
        paid = Decimal(f"{rng.randint(1, 9000)}.{rng.randint(0, 99):02d}")
        DisbursementFactory(project=project, amount=paid, paid_on=day())
        enterprise = OrganizationFactory(region=region())
        for year in rng.sample(YEARS, 2):
            InvestmentFactory(enterprise=enterprise, year=year, amount=Decimal(rng.randint(1, 500) * 100))
        worker = WorkerFactory(hometown=region(), poverty_alleviated=rng.random() < 0.5)
        for _ in range(rng.randint(1, 2)):
            start = day()
            PlacementFactory(
                worker=worker,
                destination=rng.choice(["east", "local", "workshop"]),
                started_on=start,
                ended_on=rng.choice([None, start + datetime.timedelta(days=rng.randint(1, 600))]),
            )
        start = day()
        end = rng.choice([None, start + datetime.timedelta(days=rng.randint(1, 400))])
        MedicalDispatchFactory(host_org=rng.choice(hospitals), started_on=start, ended_on=end)
        MedicalServiceStatFactory(
            host_org=rng.choice(hospitals),
            outpatients=rng.randint(0, 900),
            surgeries=rng.randint(0, 50),
            rescues=rng.randint(0, 20),
            month=datetime.date(YEARS[index % 3], index % 12 + 1, 1),  # unique per (hospital, month)
        )
        teacher = TeacherDispatchFactory(host_org=rng.choice(schools), started_on=day())
        MentorshipFactory(mentor=teacher, started_on=day())
        TeacherTrainingFactory(school=rng.choice(schools), held_on=day(), participants=rng.randint(1, 80))
        VocationalStudentFactory(hometown=region(), enrolled_on=day())
        SecondmentFactory(region=region(), started_on=day(), kind=rng.choice(["cadre", "professional"]))
        amount = Decimal(f"{rng.randint(1, 90000)}.{rng.randint(0, 99):02d}")
        SaleFactory(sold_on=day(), origin_region=region(), amount=amount)
    TeacherTrainingFactory(school=None, held_on=datetime.date(2023, 5, 5), participants=7)
