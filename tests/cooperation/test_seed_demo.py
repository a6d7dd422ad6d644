"""``manage.py seed_demo``: the source report's figures land exactly where DOMAIN.md says.

The demo data is loaded once for the module (inside a transaction rolled back at the end, so
no other test sees it); each test runs in a savepoint inside it.
"""

import datetime
import importlib.util
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

from cooperation.models import Pairing, Region, Target
from cooperation.records import record_kinds
from cooperation.scopes import Scope
from dashboard.selectors import dashboard_default_year, dashboard_years
from demo import second_pair
from education.models import Mentorship, TeacherDispatch, VocationalStudent
from healthcare.models import MedicalDispatch, MedicalServiceStat
from indicators.registry import INDICATORS, INDICATORS_BY_KEY
from labor.models import Placement, Worker
from labor.validators import validate_id_number
from projects.models import Project

pytestmark = pytest.mark.slow

# DOMAIN.md, "How the figures land on the dashboard": (years, Zhaojue only?, key, value).
TABLE = [
    ((2023,), False, "investment.enterprises", 7),
    ((2023,), False, "investment.amount", Decimal("67270000.00")),
    ((2023,), False, "healthcare.outpatients", 12813),
    ((2023,), False, "healthcare.surgeries", 733),
    ((2023,), False, "healthcare.rescues", 311),
    ((2023,), False, "education.mentorships", 27),
    ((2023,), False, "education.teachers_trained", 538),
    ((2023,), False, "consumption.sales", Decimal("77590000.00")),
    ((2023,), True, "consumption.sales", Decimal("43390000.00")),
    ((2021, 2022, 2023), False, "funds.allocated", Decimal("246000000.00")),
    ((2021, 2022, 2023), False, "projects.count", 65),
    ((2024,), True, "projects.count", 4),
    ((2024,), True, "funds.allocated", Decimal("29600000.00")),
]
ROW_IDS = [f"{'+'.join(map(str, years))}{'-zhaojue' if zhaojue else ''}-{key}" for years, zhaojue, key, _ in TABLE]
HAS_SUMMARY_API = importlib.util.find_spec("dashboard.api.urls") is not None


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output


@pytest.fixture
def zhaojue(seeded):
    return Region.objects.get(code="513431")


@pytest.mark.parametrize(("years", "in_zhaojue", "key", "expected"), TABLE, ids=ROW_IDS)
def test_summary_api_gives_the_reports_figures(seeded, zhaojue, api_client_for, years, in_zhaojue, key, expected):
    if not HAS_SUMMARY_API:  # pragma: no cover - only while the dashboard is being written
        pytest.skip("The dashboard summary endpoint does not exist yet.")
    client = api_client_for("official")
    total = Decimal(0)
    for year in years:
        params = {"year": year, **({"region": zhaojue.pk} if in_zhaojue else {})}
        response = client.get("/api/v1/dashboard/summary/", params)
        assert response.status_code == 200, response.content
        row = next(row for row in response.json()["indicators"] if row["key"] == key)
        if isinstance(expected, Decimal):
            assert isinstance(row["value"], str)  # money is a decimal string in yuan
        total += Decimal(str(row["value"]))
    assert total == expected
    if isinstance(expected, Decimal) and len(years) == 1:
        assert row["value"] == f"{expected:.2f}"


@pytest.mark.parametrize(("years", "in_zhaojue", "key", "expected"), TABLE, ids=ROW_IDS)
def test_indicator_selectors_give_the_reports_figures(seeded, zhaojue, years, in_zhaojue, key, expected):
    region = zhaojue if in_zhaojue else None
    assert sum(INDICATORS_BY_KEY[key].compute(year=year, region=region) for year in years) == expected


def test_sales_of_2023_all_come_from_sichuan(seeded):
    sichuan = Region.objects.get(code="510000")
    compute = INDICATORS_BY_KEY["consumption.sales"].compute
    assert compute(year=2023, region=sichuan) == compute(year=2023) == Decimal("77590000.00")


def test_the_2024_plan_is_four_planned_industry_projects(seeded, zhaojue):
    plan = Project.objects.filter(zhaojue.subtree_q("region"), year=2024)  # the second pair has its own
    assert plan.count() == 4
    assert set(plan.values_list("status", flat=True)) == {"planned"}
    assert set(plan.values_list("category", flat=True)) == {"industry"}
    assert not Project.objects.filter(status="cancelled", year__in=(2021, 2022, 2023)).exists()


def test_cumulative_counts(seeded, zhaojue):
    # Zhaojue's records (the demo's second pair has workers and dispatches of its own).
    workers = Worker.objects.filter(zhaojue.subtree_q("hometown"))
    assert workers.count() == 1581
    assert workers.filter(poverty_alleviated=True).count() == 272
    assert workers.filter(external_id__startswith="demo-worker-").count() == 1581
    # Every one of them went east, between June 2021 and early 2024.
    placements = Placement.objects.filter(zhaojue.subtree_q("worker__hometown"))
    east = placements.filter(destination="east")
    assert east.values("worker").distinct().count() == 1581
    assert east.filter(started_on__lt="2021-06-01").count() == 0
    assert east.filter(started_on__gt="2024-03-31").count() == 0
    # Placements at home on top do not add workers.
    assert placements.values("worker").distinct().count() == 1581
    medical = MedicalDispatch.objects.filter(zhaojue.subtree_q("host_org__region"))
    assert medical.count() == 36
    assert medical.filter(started_on__lt="2022-05-01").count() == 0
    assert set(medical.values_list("role", flat=True)) == {"leader", "resident", "short_term", "specialist"}
    assert medical.filter(started_on__year=2024).count() == 4
    teachers = TeacherDispatch.objects.filter(zhaojue.subtree_q("host_org__region"))
    assert teachers.count() == 13
    assert teachers.filter(host_org__name="昭觉民族中学", started_on="2022-08-25").count() == 7
    students = VocationalStudent.objects.filter(school__name="余姚技师学院")
    assert students.count() == 50
    assert students.filter(enrolled_on__lt="2021-08-01").count() == 0
    assert Mentorship.objects.filter(started_on__year=2023).count() == 27


def test_monthly_hospital_statistics_cover_2023(seeded):
    months = MedicalServiceStat.objects.filter(host_org__name="昭觉县人民医院", month__year=2023)
    assert sorted(m.month.month for m in months) == list(range(1, 13))


def test_id_numbers_are_valid_and_never_stored_in_clear(seeded):
    workers = list(Worker.objects.filter(external_id__startswith="demo-worker-"))
    id_numbers = {worker.id_number for worker in workers}
    assert len(id_numbers) == 1581
    for id_number in id_numbers:
        validate_id_number(id_number)
        assert id_number.startswith("513431")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM labor_worker")
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM labor_historicalworker")
        rows += cursor.fetchall()
    assert len(rows) >= 2 * 1581
    text = "\n".join(" ".join(str(value) for value in row) for row in rows)
    assert not set(re.findall(r"\b\d{17}[\dX]\b", text)) & id_numbers


def _counts() -> dict:
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in ("cooperation", "projects", "labor", "healthcare", "education", "consumption"):
            counts[model._meta.label] = model.objects.count()
    return counts


def test_a_second_run_changes_nothing(seeded):
    # The second pair is part of the data a second run must leave alone.
    assert Worker.objects.filter(external_id__startswith="demo2-worker-").count() == second_pair.WORKERS
    assert Target.objects.filter(region__code=second_pair.COUNTY_CODE).exists()
    before = _counts()
    changed_before = {label: _latest_change(label) for label in before}
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == before
    assert {label: _latest_change(label) for label in before} == changed_before
    assert "0 records created" in out.getvalue()


def _latest_change(label: str):
    model = apps.get_model(label)
    if not any(field.name == "updated_at" for field in model._meta.fields):
        return None
    return model.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()


def test_the_command_prints_a_summary(seed_output):
    # Zhaojue's 1,581 workers and the second pair's 60; 2,150 demo sales of Liangshan and its 60.
    assert re.search(rf"labor\.Worker\s+{1581 + second_pair.WORKERS} ", seed_output)
    assert re.search(rf"consumption\.Sale\s+{2150 + second_pair.SALES} ", seed_output)


# -- the second, fictitious pair (demo.second_pair)


@pytest.fixture
def county(seeded):
    return Region.objects.get(code=second_pair.COUNTY_CODE)


def test_the_second_pair_is_a_fictitious_city_and_county_paired_in_2024(county):
    city = Region.objects.get(code=second_pair.EAST_CITY_CODE)
    assert (county.parent.code, county.level, county.side) == ("513400", "county", "west")
    assert (city.parent.code, city.level, city.side) == ("330000", "prefecture", "east")
    assert "虚构" in county.name and "虚构" in city.name
    # Codes GB/T 2260 leaves unused: Liangshan's counties run 513401-513437, Zhejiang's
    # prefectures 3301-3311.
    assert not 513401 <= int(county.code) <= 513437
    assert not 3301 <= int(city.code[:4]) <= 3311
    pairing = Pairing.objects.get(kind="region", west_region=county)
    assert pairing.east_region == city
    assert pairing.started_on == datetime.date(2024, 1, 1)


def _pair_area() -> Scope:
    """The second pair's regions (the county, the eastern city and everything below them)."""
    regions = tuple(Region.objects.filter(code__in=[second_pair.COUNTY_CODE, second_pair.EAST_CITY_CODE]))
    assert len(regions) == 2
    return Scope(regions=regions, own=regions)


def test_nothing_of_the_second_pair_is_dated_before_2024(seeded):
    area = _pair_area()
    checked = set()
    for model, kind in record_kinds():
        records = model.objects.filter(area.subtree_q() if model is Region else area.read_q(model))
        columns = [column for column in (kind.year_field, kind.date, *(kind.period or ())[:1]) if column]
        for column in columns:
            first = model.objects.filter(pk__in=records.values("pk")).order_by(column).values_list(column, flat=True)
            first = first.exclude(**{f"{column}__isnull": True}).first()
            if first is None:
                continue
            checked.add(model._meta.label)
            year = first if isinstance(first, int) else first.year
            assert year >= 2024, (model._meta.label, column, first)
    # Every kind the pair has records of was looked at (not a test that passes on nothing).
    assert {
        "cooperation.Pairing",
        "cooperation.Target",
        "cooperation.Secondment",
        "projects.Project",
        "projects.FundAllocation",
        "projects.Disbursement",
        "projects.Investment",
        "labor.Placement",
        "healthcare.MedicalDispatch",
        "healthcare.MedicalServiceStat",
        "education.TeacherDispatch",
        "education.Mentorship",
        "education.TeacherTraining",
        "education.VocationalStudent",
        "consumption.Sale",
    } <= checked


@pytest.mark.parametrize("key", [indicator.key for indicator in INDICATORS])
def test_the_second_county_has_every_figure_in_2024_and_none_before(county, key):
    compute = INDICATORS_BY_KEY[key].compute
    assert compute(year=2024, region=county) > 0
    assert [compute(year=year, region=county) for year in (2021, 2022, 2023)] == [0, 0, 0]


def test_the_summary_of_the_second_county(county, api_client_for):
    response = api_client_for("official").get("/api/v1/dashboard/summary/", {"year": 2024, "region": county.code})
    assert response.status_code == 200, response.content
    rows = response.json()["indicators"]
    assert [row["key"] for row in rows if Decimal(str(row["value"])) <= 0] == []
    assert len(rows) == len(INDICATORS)
    assert all(row["target"] is not None for row in rows)


def test_the_prefectures_2024_targets_add_up_but_for_two(seeded):
    """The roll-up's target check has something to flag: Liangshan's 2024 targets are the sum of
    its two programme counties' for every indicator but labor.employed and consumption.sales."""
    targets = {
        (target.region.code, target.indicator): target.value
        for target in Target.objects.filter(
            year=2024, region__code__in=["513400", "513431", second_pair.COUNTY_CODE]
        ).select_related("region")
    }
    prefecture = {key: value for (code, key), value in targets.items() if code == "513400"}
    assert len(prefecture) >= 10
    apart = {
        key
        for key, value in prefecture.items()
        if value != targets[("513431", key)] + targets[(second_pair.COUNTY_CODE, key)]
    }
    assert apart == {"labor.employed", "consumption.sales"}


def test_zhaojues_2024_plan_targets_are_unchanged(zhaojue):
    targets = dict(Target.objects.filter(year=2024, region=zhaojue).values_list("indicator", "value"))
    assert targets["projects.count"] == 4
    assert targets["funds.allocated"] == Decimal("29600000")


@pytest.mark.parametrize("today", [datetime.date(2024, 3, 31), datetime.date(2025, 6, 1), datetime.date(2026, 12, 2)])
def test_the_dashboard_opens_on_2024(seeded, today):
    """The demo's data ends in March 2024 (both pairs): the dashboard opens on 2024, where the
    roll-up shows both counties, whether it is read at the demo's "today" or later."""
    years = dashboard_years(today)
    assert years[0] == 2024
    assert dashboard_default_year(years, today) == 2024
