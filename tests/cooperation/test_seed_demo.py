"""``manage.py seed_demo``: the source report's figures land exactly where DOMAIN.md says.

The demo data is loaded once for the module (inside a transaction rolled back at the end, so
no other test sees it); each test runs in a savepoint inside it.
"""

import importlib.util
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

from cooperation.models import Region
from education.models import Mentorship, TeacherDispatch, VocationalStudent
from healthcare.models import MedicalDispatch, MedicalServiceStat
from indicators.registry import INDICATORS_BY_KEY
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
    plan = Project.objects.filter(year=2024)
    assert plan.count() == 4
    assert set(plan.values_list("status", flat=True)) == {"planned"}
    assert set(plan.values_list("category", flat=True)) == {"industry"}
    assert not Project.objects.filter(status="cancelled", year__in=(2021, 2022, 2023)).exists()


def test_cumulative_counts(seeded):
    workers = Worker.objects.filter(external_id__startswith="demo-worker-")
    assert workers.count() == 1581
    assert workers.filter(poverty_alleviated=True).count() == 272
    # Every one of them went east, between June 2021 and early 2024.
    east = Placement.objects.filter(destination="east")
    assert east.values("worker").distinct().count() == 1581
    assert east.filter(started_on__lt="2021-06-01").count() == 0
    assert east.filter(started_on__gt="2024-03-31").count() == 0
    # Placements at home on top do not add workers.
    assert Placement.objects.values("worker").distinct().count() == 1581
    assert MedicalDispatch.objects.count() == 36
    assert MedicalDispatch.objects.filter(started_on__lt="2022-05-01").count() == 0
    assert set(MedicalDispatch.objects.values_list("role", flat=True)) == {
        "leader",
        "resident",
        "short_term",
        "specialist",
    }
    assert MedicalDispatch.objects.filter(started_on__year=2024).count() == 4
    assert TeacherDispatch.objects.count() == 13
    assert TeacherDispatch.objects.filter(host_org__name="昭觉民族中学", started_on="2022-08-25").count() == 7
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
    assert "1581" in seed_output
    assert "2150" in seed_output  # sales
