"""What the locked-month tests share: their world (two western counties of one prefecture and
an eastern city) and how a month is locked."""

import datetime

from tests.factories import RegionFactory, SubmissionFactory


def lock_world():
    """(county, the other county, an eastern city)."""
    province = RegionFactory(code="620000", name="甲省", level="province", side="west")
    prefecture = RegionFactory(code="621200", name="甲州", level="prefecture", side="west", parent=province)
    county = RegionFactory(code="621221", name="甲县", level="county", side="west", parent=prefecture)
    other = RegionFactory(code="621222", name="乙县", level="county", side="west", parent=prefecture)
    east = RegionFactory(code="320581", name="东甲市", level="county", side="east")
    return county, other, east


def month_of(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def month_before(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def lock(county, month):
    """The county's month, approved: locked."""
    return SubmissionFactory(region=county, month=month, status="approved")
