"""Reads of the programme core, and the query helpers every app's selectors share."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cooperation.choices import LEVEL_PREFIX_LENGTH, RegionLevel, Side, SubmissionStatus
from cooperation.models import Organization, Pairing, Region, Secondment, Submission, Target
from cooperation.records import record_kind


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def overlapping_year(qs: QuerySet, *, year: int, start: str = "started_on", end: str = "ended_on") -> QuerySet:
    """Records whose period overlaps ``year``: starts on or before 31 Dec, and has no end or
    ends on or after 1 Jan (the contract's definition)."""
    first, last = year_bounds(year)
    return qs.filter(Q(**{f"{start}__lte": last}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})))


def within_region(qs: QuerySet, *, region: Region | None, path: str) -> QuerySet:
    """Records whose region, reached through ``path``, is ``region`` or below it (None: all)."""
    if region is None:
        return qs
    return qs.filter(region.subtree_q(path))


def records_in(qs: QuerySet, *, year: int | None = None, region: Region | None = None) -> QuerySet:
    """The records of ``qs`` of a year and within a region, by the model's declared record kind
    (:class:`cooperation.records.RecordKind`): the one rule the indicators, the API's and the
    admin's ``year`` and ``region_within`` filters and the dashboard links share."""
    kind = record_kind(qs.model)
    if year is not None:
        if kind.year_rule == "field":
            qs = qs.filter(**{kind.year_field: year})
        elif kind.year_rule == "overlap":
            qs = overlapping_year(qs, year=year, start=kind.period[0], end=kind.period[1])
        else:
            first, last = year_bounds(year)
            qs = qs.filter(**{f"{kind.date}__gte": first, f"{kind.date}__lte": last})
    return within_region(qs, region=region, path=kind.region)


def programme_years(today: datetime.date | None = None) -> list[int]:
    """The years a user can choose, newest first: from the year the first pairing started (or
    four years back) to next year."""
    today = today or timezone.localdate()
    first = Pairing.objects.order_by("started_on").values_list("started_on", flat=True).first()
    start = min(first.year if first else today.year - 4, today.year)
    return list(range(today.year + 1, start - 1, -1))


def region_list() -> QuerySet:
    return Region.objects.select_related("parent")


def west_region_list() -> QuerySet:
    return region_list().filter(side="west")


def organization_list() -> QuerySet:
    return Organization.objects.select_related("region", "parent")


def pairing_list() -> QuerySet:
    return Pairing.objects.select_related("east_region", "west_region", "east_org", "west_org")


def target_list() -> QuerySet:
    return Target.objects.select_related("region")


def targets_for(*, year: int, region: Region | None) -> dict:
    """All targets of a year for exactly that region (None: programme-wide), by indicator key."""
    return {t.indicator: t.value for t in Target.objects.filter(year=year, region=region)}


def secondment_list() -> QuerySet:
    return Secondment.objects.select_related("region", "home_org", "host_org")


def talent_cadres(*, year: int, region: Region | None = None) -> int:
    """``talent.cadres``: cadre secondments overlapping the year, both directions."""
    return records_in(Secondment.objects.filter(kind="cadre"), year=year, region=region).count()


# -- monthly submissions


def submission_list() -> QuerySet:
    return Submission.objects.select_related("region", "submitted_by", "reviewed_by")


def submissions_waiting_for(user) -> QuerySet:
    """The reviewers' queue: submitted months within ``user``'s scope that ``user`` did not
    submit (four eyes), oldest month first."""
    from cooperation.scopes import scoped

    qs = submission_list().filter(status=SubmissionStatus.SUBMITTED).exclude(submitted_by=user)
    return scoped(qs, user).order_by("month", "region__code")


def reporting_counties(area=None) -> QuerySet:
    """The western counties whose months are submitted, for ``area`` (a region, a scope, or
    None for the whole programme): those within it, and for a town or a village its county
    (the county's approved month locks the records below it; codes nest, so no query)."""
    qs = Region.objects.filter(level=RegionLevel.COUNTY, side=Side.WEST)
    if area is None:
        return qs
    regions = getattr(area, "regions", None)
    if regions is None:
        regions = (area,)
    county = LEVEL_PREFIX_LENGTH[RegionLevel.COUNTY]
    q = Q(pk__in=[])
    for region in regions:
        if LEVEL_PREFIX_LENGTH[region.level] > county:
            q |= Q(code=region.code[:county])
        else:
            q |= region.subtree_q("")
    return qs.filter(q)


def month_approvals(*, year: int, area=None) -> list[dict]:
    """Each month of ``year``: ``{"month", "approved", "approved_counties", "counties"}``. A month
    is approved when every reporting county of ``area`` has its submission approved (an area
    with no reporting county has no approved month). Two queries."""
    counties = reporting_counties(area)
    total = counties.count()
    approved = dict(
        Submission.objects.filter(status=SubmissionStatus.APPROVED, month__year=year, region__in=counties)
        .values_list("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    months = [datetime.date(year, number, 1) for number in range(1, 13)]
    return [
        {
            "month": month,
            "approved": total > 0 and approved.get(month, 0) >= total,
            "approved_counties": approved.get(month, 0),
            "counties": total,
        }
        for month in months
    ]


def approved_through(approvals: list[dict]) -> datetime.date | None:
    """The last month up to which every month of the year is approved (None: not January)."""
    last = None
    for entry in approvals:
        if not entry["approved"]:
            break
        last = entry["month"]
    return last
