"""Factories of projects, funds and investments."""

import datetime
from decimal import Decimal

import factory

from projects.models import (
    Disbursement,
    EquityDividend,
    EquityInvestment,
    FundAllocation,
    Investment,
    OutcomeMeasure,
    ProgressReport,
    Project,
)
from tests.factories import OrganizationFactory, RegionFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"Project {n}")
    category = "industry"
    year = 2023
    status = "in_progress"
    region = factory.SubFactory(RegionFactory)
    budget = Decimal("1000000.00")


class FundAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundAllocation

    project = factory.SubFactory(ProjectFactory)
    year = factory.LazyAttribute(lambda a: a.project.year)
    source = "city"
    amount = Decimal("100000.00")
    allocated_on = factory.LazyAttribute(lambda a: datetime.date(a.year, 3, 1))


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disbursement

    project = factory.SubFactory(ProjectFactory)
    amount = Decimal("10000.00")
    paid_on = datetime.date(2023, 6, 1)


class EquityInvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquityInvestment

    project = factory.SubFactory(ProjectFactory)
    investee = factory.SubFactory(OrganizationFactory, kind="cooperative")
    amount = Decimal("300000.00")
    invested_on = datetime.date(2022, 5, 1)


class EquityDividendFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquityDividend

    equity = factory.SubFactory(EquityInvestmentFactory)
    year = 2023
    to_collectives = Decimal("12000.00")
    to_households = Decimal("18000.00")
    households = 30


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    project = factory.SubFactory(ProjectFactory)
    reported_on = datetime.date(2023, 9, 30)
    percent_complete = 60


class OutcomeMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeMeasure

    project = factory.SubFactory(ProjectFactory)
    name = "Cattle"
    unit = "head"
    baseline = Decimal("212")
    target = Decimal("500")
    current = Decimal("506")


class InvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investment

    enterprise = factory.SubFactory(OrganizationFactory)
    year = 2023
    amount = Decimal("2600000.00")
    output_value = Decimal("23000000.00")
    jobs_created = 228
    jobs_poverty_alleviated = 100
