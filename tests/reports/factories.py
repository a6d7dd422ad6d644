"""Factories of the reports."""

import datetime

import factory

from indicators.registry import INDICATORS
from reports.models import Declaration, Report, ReportSubscription
from reports.periods import period_end
from tests.factories import RegionFactory, UserFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = "monthly"
    period_start = factory.Sequence(lambda n: datetime.date(2020 + n // 12, n % 12 + 1, 1))
    period_end = factory.LazyAttribute(lambda r: period_end(r.kind, r.period_start))
    status = "pending"


class ReportSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSubscription

    user = factory.SubFactory(UserFactory)
    kind = "monthly"


class DeclarationFactory(factory.django.DjangoModelFactory):
    """A western side's declaration in a western county; each new one of another (year,
    indicator) so that none collide on the unique key (the scope matrix builds many)."""

    class Meta:
        model = Declaration

    year = factory.Sequence(lambda n: 2000 + n % 100)
    indicator = factory.Sequence(lambda n: INDICATORS[(n // 100) % len(INDICATORS)].key)
    region = factory.SubFactory(RegionFactory)
    side = "west"
    value = 7
