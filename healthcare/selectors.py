"""Reads and figures of healthcare: every aggregate of the app lives here."""

from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from cooperation.dispatch.selectors import HOST_REGION, dispatch_count, dispatch_list
from cooperation.models import Region
from cooperation.selectors import within_region
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
    qs = MedicalServiceStat.objects.filter(month__year=year)
    return within_region(qs, region=region, path=HOST_REGION)


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


def healthcare_service_totals(*, year: int, region: Region | None = None) -> dict:
    """The year's service figures in one query (for reports): outpatients, surgeries, rescues,
    staff_trained."""
    fields = ("outpatients", "surgeries", "rescues", "staff_trained")
    totals = _stats_of_year(year=year, region=region).aggregate(**{f: Sum(f) for f in fields})
    return {f: totals[f] or 0 for f in fields}


def healthcare_new_techniques(*, year: int, region: Region | None = None) -> int:
    """New techniques introduced in the year at hospitals in the region."""
    qs = NewTechnique.objects.filter(introduced_on__year=year)
    return within_region(qs, region=region, path=HOST_REGION).count()


def healthcare_outreach_totals(*, year: int, region: Region | None = None) -> dict:
    """Outreach of the year: events, people served, value of medicine given (yuan)."""
    qs = within_region(OutreachEvent.objects.filter(held_on__year=year), region=region, path=HOST_REGION)
    totals = qs.aggregate(events=Count("id"), people=Sum("people_served"), medicine=Sum("medicine_value"))
    return {
        "events": totals["events"],
        "people_served": totals["people"] or 0,
        "medicine_value": totals["medicine"] or Decimal("0.00"),
    }
