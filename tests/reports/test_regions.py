"""Reports per region (CONTRACT.md 1.1): one per (kind, period, region), the figures of the
region, the workbook stating it, the region a scoped user may ask for, the schedule and the mail."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from cooperation.services import set_scope
from reports import selectors, services
from reports.models import Report
from reports.tasks import report_schedule_task
from tests.factories import PairingFactory, SecondmentFactory, TargetFactory
from tests.reports.factories import ReportFactory, ReportSubscriptionFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped_user(make_user):
    """``scoped_user("zj", "513431", ...)``: an official scoped to those region codes."""

    def make(username, *codes, role="official", **kwargs):
        user = make_user(role, username=username, **kwargs)
        set_scope(user=user, codes=list(codes))
        return user

    return make


def _cadres(report):
    return next(item for item in report.indicators if item["key"] == "talent.cadres")


def _summary(report):
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        return load_workbook(BytesIO(handle.read())).worksheets[0]


# -- one report per (kind, period, region)


def test_a_region_has_its_own_report_and_a_second_request_replaces_it(regions, django_capture_on_commit_callbacks):
    programme = services.report_request(kind="monthly", period_start=D(2023, 5, 1))
    zhaojue = services.report_request(kind="monthly", period_start=D(2023, 5, 1), region=regions["zhaojue"])
    butuo = services.report_request(kind="monthly", period_start=D(2023, 5, 1), region=regions["butuo"])
    assert len({programme.pk, zhaojue.pk, butuo.pk}) == 3
    assert (programme.region, zhaojue.region, butuo.region) == (None, regions["zhaojue"], regions["butuo"])
    services.report_generate(report_id=zhaojue.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = services.report_request(kind="monthly", period_start=D(2023, 5, 1), region=regions["zhaojue"])
    assert again.pk == zhaojue.pk and Report.objects.count() == 3
    assert (again.status, again.indicators, bool(again.file)) == ("pending", [], False)
    assert len(callbacks) == 1
    assert Report.objects.get(pk=programme.pk).status == "pending"  # the programme's is untouched


def test_the_database_keeps_one_report_per_kind_period_and_region(regions):
    ReportFactory(kind="annual", period_start=D(2023, 1, 1), region=regions["zhaojue"])
    ReportFactory(kind="annual", period_start=D(2023, 1, 1), region=regions["butuo"])
    ReportFactory(kind="annual", period_start=D(2023, 1, 1), region=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(kind="annual", period_start=D(2023, 1, 1), region=regions["zhaojue"])
    # The empty region is one value: a second programme-wide report is refused too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(kind="annual", period_start=D(2023, 1, 1), region=None)
    assert Report.objects.count() == 3


def test_the_model_names_the_duplicate(regions):
    ReportFactory(kind="annual", period_start=D(2023, 1, 1), region=regions["zhaojue"])
    duplicate = Report(kind="annual", period_start=D(2023, 1, 1), period_end=D(2023, 12, 31), region=regions["zhaojue"])
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "该类型、该期间、该地区的报告已存在。" in str(error.value)


# -- the figures and the workbook of a region


def test_a_regions_report_counts_the_region_with_its_targets(regions):
    SecondmentFactory.create_batch(2, region=regions["zhaojue"])
    SecondmentFactory(region=regions["village"])  # below Zhaojue: counted
    SecondmentFactory(region=regions["butuo"])
    TargetFactory(year=2023, indicator="talent.cadres", value=6, region=regions["zhaojue"])
    TargetFactory(year=2023, indicator="talent.cadres", value=10, region=None)

    county = services.report_request(kind="annual", period_start=D(2023, 1, 1), region=regions["zhaojue"])
    county = services.report_generate(report_id=county.pk)
    programme = services.report_request(kind="annual", period_start=D(2023, 1, 1))
    programme = services.report_generate(report_id=programme.pk)

    assert _cadres(county) == {"key": "talent.cadres", "value": 3, "unit": "people", "target": 6, "completion": 0.5}
    assert _cadres(programme)["value"] == 4 and _cadres(programme)["target"] == 10
    assert county.file.name == "annual-2023-01-01-513431.xlsx"
    assert programme.file.name == "annual-2023-01-01.xlsx"

    sheet = _summary(county)
    assert sheet["A1"].value == "昭觉县东西部协作年度报告"
    assert sheet["A2"].value == "地区：昭觉县 (513431)"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=7)]
    cadres = next(row for row in rows if row[1] and "挂职" in row[1])
    assert cadres[3:6] == [3, 6, 0.5]
    assert _summary(programme)["A2"].value == "范围：整个协作项目"


def test_the_regions_reports_do_not_overwrite_each_others_file(regions):
    for region in (regions["zhaojue"], regions["butuo"], None):
        report = services.report_request(kind="monthly", period_start=D(2023, 5, 1), region=region)
        services.report_generate(report_id=report.pk)
    names = sorted(Report.objects.values_list("file", flat=True))
    assert names == ["monthly-2023-05-01-513429.xlsx", "monthly-2023-05-01-513431.xlsx", "monthly-2023-05-01.xlsx"]
    assert str(Report.objects.get(region=regions["zhaojue"])).endswith("昭觉县")


# -- which region a user may ask for


def test_an_unscoped_user_asks_for_any_region_or_the_programme(regions, make_user):
    user = make_user("staff")
    assert services.report_region_for(user=user, region=None) is None
    assert services.report_region_for(user=user, region=regions["butuo"]) == regions["butuo"]


def test_a_user_with_one_scope_region_gets_it_by_default(regions, scoped_user):
    user = scoped_user("zj", "513431")
    assert services.report_region_for(user=user, region=None) == regions["zhaojue"]
    assert services.report_region_for(user=user, region=regions["village"]) == regions["village"]
    report = services.report_request(kind="monthly", period_start=D(2023, 5, 1), user=user)
    assert report.region == regions["zhaojue"]


def test_a_user_with_several_scope_regions_must_choose(regions, scoped_user):
    user = scoped_user("two", "513431", "513429")
    with pytest.raises(ValidationError) as error:
        services.report_request(kind="monthly", period_start=D(2023, 5, 1), user=user)
    assert error.value.message_dict["region"] == ["请选择报告的地区：您的权限范围包含多个地区。"]
    assert not Report.objects.exists()
    report = services.report_request(kind="monthly", period_start=D(2023, 5, 1), region=regions["butuo"], user=user)
    assert report.region == regions["butuo"]


@pytest.mark.parametrize("region", ["butuo", "liangshan", "yuyao"])
def test_a_region_outside_the_scope_is_refused(regions, scoped_user, region):
    """Another county, the prefecture above (readable, not the user's) or an unpaired east city."""
    user = scoped_user("zj", "513431")
    with pytest.raises(ValidationError) as error:
        services.report_request(kind="monthly", period_start=D(2023, 5, 1), region=regions[region], user=user)
    assert set(error.value.message_dict) == {"region"}
    assert not Report.objects.exists()


def test_a_pairing_brings_the_paired_county_in(regions, scoped_user):
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
    user = scoped_user("yy", "330281")
    # Without a region: the region set on the user (the pairing does not count as a second one).
    assert services.report_region_for(user=user, region=None) == regions["yuyao"]
    assert services.report_region_for(user=user, region=regions["zhaojue"]) == regions["zhaojue"]
    with pytest.raises(ValidationError):
        services.report_region_for(user=user, region=regions["butuo"])


# -- the schedule


@pytest.fixture
def scoped_users(regions, scoped_user):
    """Zhaojue's county staff, Yuyao's (paired with Zhaojue), Liangshan's prefecture official,
    and a former Butuo user whose account is disabled."""
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
    return {
        "zhaojue": scoped_user("zj", "513431"),
        "yuyao": scoped_user("yy", "330281"),
        "liangshan": scoped_user("ls", "513400"),
        "butuo": scoped_user("bt", "513429", is_active=False),
    }


def test_the_scheduled_regions_are_the_western_counties_of_active_scoped_users(regions, scoped_users):
    # Yuyao's user brings in Zhaojue; Yuyao itself (an eastern county-level city) gets no
    # report of its own: its figures would all be zero.
    assert selectors.report_scheduled_regions() == [regions["zhaojue"]]


def test_no_scoped_user_schedules_the_programme_report_only(regions, monkeypatch):
    monkeypatch.setattr(services.timezone, "localdate", lambda: D(2024, 5, 1))
    report_schedule_task.apply(kwargs={"kind": "monthly"})
    assert list(Report.objects.values_list("kind", "period_start", "region")) == [("monthly", D(2024, 4, 1), None)]


def test_the_schedule_makes_the_programme_and_each_counties_report_once(
    regions, scoped_users, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services.timezone, "localdate", lambda: D(2024, 4, 1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_schedule_task.apply(kwargs={"kind": "quarterly"})
    made = Report.objects.order_by("region__code")
    assert [(r.kind, r.period_start, r.period_end) for r in made] == [("quarterly", D(2024, 1, 1), D(2024, 3, 31))] * 2
    assert {r.region for r in made} == {None, regions["zhaojue"]}
    assert len(callbacks) == 2

    # A second firing (another beat, a redelivery) adds nothing and queues nothing.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = services.report_schedule(kind="quarterly")
    assert Report.objects.count() == 2 and callbacks == []
    assert {r.pk for r in again} == {r.pk for r in made}

    # A new county user: the next firing adds that county only.
    set_scope(user=scoped_users["butuo"], codes=["513429"])
    scoped_users["butuo"].is_active = True
    scoped_users["butuo"].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.report_schedule(kind="quarterly")
    assert Report.objects.count() == 3 and len(callbacks) == 1
    assert Report.objects.filter(region=regions["butuo"]).exists()


def test_a_counties_report_left_pending_is_queued_again(regions, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - datetime.timedelta(minutes=40)
    stale = ReportFactory(status="pending", requested_at=long_ago, region=regions["zhaojue"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.report_requeue_stale() == [stale.pk]
    assert len(callbacks) == 1


# -- who receives and sees which report


def test_a_report_is_mailed_to_the_subscribers_who_may_read_it(mailoutbox, regions, scoped_users):
    unscoped = ReportSubscriptionFactory(user__email="all@example.org", user__username="all").user
    for key in ("zhaojue", "yuyao", "liangshan", "butuo"):
        ReportSubscriptionFactory(user=scoped_users[key])
    assert not scoped_users["butuo"].is_active  # a disabled account receives nothing

    programme = services.report_request(kind="monthly", period_start=D(2023, 8, 1))
    services.report_generate(report_id=programme.pk)
    county = services.report_request(kind="monthly", period_start=D(2023, 8, 1), region=regions["zhaojue"])
    services.report_generate(report_id=county.pk)
    other = services.report_request(kind="monthly", period_start=D(2023, 8, 1), region=regions["butuo"])
    services.report_generate(report_id=other.pk)

    by_file = {message.attachments[0][0]: sorted(message.bcc) for message in mailoutbox}
    assert by_file == {
        "monthly-2023-08-01.xlsx": [unscoped.email],
        "monthly-2023-08-01-513431.xlsx": sorted([scoped_users[k].email for k in ("zhaojue", "yuyao", "liangshan")]),
        "monthly-2023-08-01-513429.xlsx": [scoped_users["liangshan"].email],
    }
    assert "昭觉县" in next(m.subject for m in mailoutbox if m.attachments[0][0].endswith("513431.xlsx"))


def test_the_dashboards_lists_show_the_reports_a_user_may_read(regions, scoped_user, make_user):
    for region in (None, regions["zhaojue"], regions["butuo"]):
        ReportFactory(kind="annual", period_start=D(2023, 1, 1), region=region, status="done", file="x.xlsx")
        ReportFactory(kind="monthly", period_start=D(2023, 2, 1), region=region)
    zhaojue = scoped_user("zj", "513431")
    assert {r.region for r in selectors.report_recent(year=2023, user=zhaojue)} == {regions["zhaojue"]}
    assert {r.region for r in selectors.report_pending(year=2023, user=zhaojue)} == {regions["zhaojue"]}
    everyone = make_user("official")
    assert len(selectors.report_recent(year=2023, user=everyone)) == 3
    assert [r.region for r in selectors.report_recent(year=2023, user=everyone, region=None)] == [None]
