"""Reads and figures of healthcare: every aggregate of the app lives here."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from cooperation.choices import Side
from cooperation.dispatch.selectors import dispatch_count, dispatch_list
from cooperation.models import Organization, Region
from cooperation.selectors import records_in
from healthcare.models import (
    Discipline,
    MedicalDispatch,
    MedicalServiceStat,
    NewTechnique,
    OutreachEvent,
)


def medical_dispatch_list() -> QuerySet:
    return dispatch_list(MedicalDispatch)


def medical_service_stat_list() -> QuerySet:
    return MedicalServiceStat.objects.select_related("host_org")


def discipline_list() -> QuerySet:
    return Discipline.objects.select_related("host_org", "lead")


def new_technique_list() -> QuerySet:
    return NewTechnique.objects.select_related("host_org", "dispatch")


def outreach_event_list() -> QuerySet:
    return OutreachEvent.objects.select_related("host_org")


def _stats_of_year(*, year: int, region: Region | None) -> QuerySet:
    """The months of ``year`` of hospitals in ``region`` or below it."""
    return records_in(MedicalServiceStat.objects.all(), year=year, region=region)


def _stat_sum(field: str, *, year: int, region: Region | None) -> int:
    return _stats_of_year(year=year, region=region).aggregate(total=Sum(field))["total"] or 0


def healthcare_staff_dispatched(*, year: int, region: Region | None = None) -> int:
    """``healthcare.staff_dispatched``: medical dispatch records overlapping the year."""
    return dispatch_count(MedicalDispatch.objects.all(), year=year, region=region)


def healthcare_outpatients(*, year: int, region: Region | None = None) -> int:
    """``healthcare.outpatients``: patient visits summed over the months of the year."""
    return _stat_sum("outpatients", year=year, region=region)


def healthcare_surgeries(*, year: int, region: Region | None = None) -> int:
    """``healthcare.surgeries``: surgeries and invasive procedures over the months of the year."""
    return _stat_sum("surgeries", year=year, region=region)


def healthcare_rescues(*, year: int, region: Region | None = None) -> int:
    """``healthcare.rescues``: critical-care rescues over the months of the year."""
    return _stat_sum("rescues", year=year, region=region)


def healthcare_outpatients_by_month(*, year: int, region: Region | None = None) -> list[int]:
    """Patient visits per calendar month of the year (12 values, January first; 0 when none)."""
    rows = (
        _stats_of_year(year=year, region=region)
        .annotate(number=ExtractMonth("month"))
        .values("number")
        .annotate(total=Sum("outpatients"))
        .order_by()
        .values_list("number", "total")
    )
    by_month = dict(rows)
    return [by_month.get(number, 0) or 0 for number in range(1, 13)]


def hospitals_without_month_stats(*, region: Region, first: datetime.date, last: datetime.date) -> QuerySet:
    """Western organisations in ``region`` or below it hosting a medical dispatch whose stay
    overlaps ``first``..``last`` (a month) but holding no service statistics for the month of
    ``first``, by name. One query (correlated EXISTS, no join multiplying the rows)."""
    active = MedicalDispatch.objects.filter(host_org=OuterRef("pk"), started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    )
    reported = MedicalServiceStat.objects.filter(host_org=OuterRef("pk"), month=first)
    return (
        records_in(Organization.objects.filter(side=Side.WEST), region=region)
        .filter(Exists(active))
        .exclude(Exists(reported))
        .order_by("name", "id")
    )
