"""Factories of the reports."""

import datetime

import factory

from reports.models import Report, ReportSubscription
from reports.periods import period_end
from tests.factories import UserFactory


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
