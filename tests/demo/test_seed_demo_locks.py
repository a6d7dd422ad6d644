"""``seed_demo`` and locked months (CONTRACT.md 1.1, issue 15): a run that would write a record
into an approved month is refused as a whole (a ``CommandError`` naming the month and the
county, nothing written), whether the record is saved one by one or stored in bulk (which
bypasses ``save()``); a rerun over the demo data already there writes nothing and succeeds,
locked months or not.
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from consumption.models import Sale
from cooperation.models import Region, Submission
from demo.core import DemoContext, DemoLocked
from demo.management.commands.seed_demo import SUMMARY_MODELS
from tests.factories import RegionFactory, SubmissionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ZHAOJUE = "513431"


def _counts() -> dict:
    return {label: apps.get_model(label)._base_manager.count() for label in SUMMARY_MODELS}


@pytest.fixture
def zhaojue(db):
    """Zhaojue as the demo has it (the demo's regions are found by code and left as they are)."""
    return RegionFactory(code=ZHAOJUE, name="昭觉县", level="county", side="west")


@pytest.mark.parametrize(
    "month",
    [
        datetime.date(2023, 3, 1),  # a secondment starts then: a record saved one by one
        datetime.date(2023, 11, 1),  # the month's projects, sales ...: records stored in bulk
    ],
    ids=["saved", "bulk"],
)
def test_a_run_writing_into_a_locked_month_is_refused_and_writes_nothing(zhaojue, month):
    SubmissionFactory(region=zhaojue, month=month, status="approved")
    before = _counts()
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", stdout=StringIO())
    message = str(refused.value)
    assert "已审核锁定" in message and f"{month.year}年{month.month}月" in message and "昭觉县" in message
    assert "未写入任何数据" in message
    assert _counts() == before
    assert list(Region.objects.values_list("code", flat=True)) == [ZHAOJUE]


def test_bulk_storing_checks_the_batch_before_writing_any_of_it(zhaojue):
    SubmissionFactory(region=zhaojue, month=datetime.date(2023, 4, 1), status="approved")
    from tests.consumption.factories import SaleFactory

    def sale(external_id, sold_on):
        return SaleFactory.build(origin_region=zhaojue, source="demo", external_id=external_id, sold_on=sold_on)

    batch = [sale("ok-1", datetime.date(2023, 5, 2)), sale("locked-1", datetime.date(2023, 4, 30))]
    ctx = DemoContext()
    with pytest.raises(DemoLocked) as refused:
        ctx.bulk_ensure(Sale, batch, key=lambda s: s.external_id, existing=set())
    assert "locked-1" in str(refused.value) and "2023年4月" in str(refused.value) and "昭觉县" in str(refused.value)
    assert not Sale.objects.exists()
    # The rest of the batch, in an open month, is stored.
    ctx.bulk_ensure(Sale, batch[:1], key=lambda s: s.external_id, existing=set())
    assert Sale.objects.count() == 1


def test_a_rerun_over_the_demo_data_succeeds_with_locked_months():
    call_command("seed_demo", stdout=StringIO())
    zhaojue = Region.objects.get(code=ZHAOJUE)
    counties = Region.objects.filter(level="county", side="west")
    for county in counties:
        for month in range(1, 13):
            for year in (2023, 2024):
                Submission.objects.create(region=county, month=datetime.date(year, month, 1), status="approved")
    assert Submission.objects.filter(region=zhaojue).count() == 24
    before = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 records created" in out.getvalue()
    assert _counts() == before
