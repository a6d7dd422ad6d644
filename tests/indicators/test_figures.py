"""The precomputed figures equal the records after every write path (issue 13).

Random sequences of creates, updates, deletes (cascades included), bulk upserts and region
moves, through the services (``save()``), the API, the admin, spreadsheet imports and
``sales/bulk/``; after each sequence every figure the summary, the dashboard, the trends, the
breakdowns and the roll-up read is compared with the same figure computed from the records, for every region, the
programme and a scope, and the rebuild finds no drift.
"""

import datetime
import random
from decimal import Decimal

import pytest
import tablib
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consumption.models import Sale
from consumption.resources import SaleResource
from consumption.services import sale_bulk_upsert
from cooperation.models import Organization
from cooperation.scopes import Scope
from education.models import Mentorship, TeacherTraining, VocationalStudent
from healthcare.models import MedicalDispatch, MedicalServiceStat
from indicators import figures
from indicators.models import Figure, FigureYear
from labor.models import Placement, Worker
from projects.models import Disbursement, FundAllocation, Investment, Project
from tests.cooperation.test_locks_admin import page_data
from tests.factories import RegionFactory
from tests.indicators.figure_checks import mismatches
from tests.indicators.rollup_data import YEARS, counties, populate

pytestmark = pytest.mark.django_db

CHECKED_YEARS = (2021, *YEARS)


@pytest.fixture
def world(regions):
    """Two counties of a new prefecture and a town below one of them, with random records
    written once the checked years are kept (so that every write keeps them)."""
    figures.rebuild(CHECKED_YEARS)
    prefecture = RegionFactory(name="Prefecture", code="519900", level="prefecture", side="west",
                               parent=regions["sichuan"])  # fmt: skip
    first, second = counties(prefecture, 2)
    town = RegionFactory(name="Town", code=f"{first.code}101", level="town", side="west", parent=first)
    places = [first, second, town, regions["zhaojue"]]
    populate(random.Random(7), places, rounds=4)
    return {"prefecture": prefecture, "places": places, "regions": regions}


def _areas(world):
    """The programme, a scope of two regions, and every level from the province down to the
    town (each place where records lie, and the regions above them)."""
    regions = world["regions"]
    first, second, town, zhaojue = world["places"]
    scope = Scope(regions=(first, zhaojue))
    return [None, scope, regions["sichuan"], regions["liangshan"], world["prefecture"], first, second, town, zhaojue]


def assert_exact(world):
    assert all(figures.is_kept(year) for year in CHECKED_YEARS)
    found = mismatches(years=CHECKED_YEARS, areas=_areas(world), rollup_areas=[None, world["prefecture"]])
    assert found == []
    result = figures.rebuild(CHECKED_YEARS)
    assert result.drift == []


def _day(rng):
    return datetime.date(rng.choice(CHECKED_YEARS), rng.randint(1, 12), rng.randint(1, 28))


def _pick(rng, model):
    pks = list(model.objects.values_list("pk", flat=True))
    return model.objects.get(pk=rng.choice(pks)) if pks else None


# --- the service path: save() and delete() ---------------------------------------------------


def _move_date(rng, obj, field):
    setattr(obj, field, _day(rng))
    return obj


def _update(rng, world):
    """One random change of a stored record through save(): its date, amount or region."""
    places = world["places"]
    choice = rng.randrange(9)
    if choice == 0 and (sale := _pick(rng, Sale)):
        sale.amount = Decimal(rng.randint(1, 99999)) / 100
        sale.origin_region = rng.choice(places)
        _move_date(rng, sale, "sold_on").save()
    elif choice == 1 and (placement := _pick(rng, Placement)):
        placement.started_on = _day(rng)
        placement.ended_on = rng.choice([None, placement.started_on + datetime.timedelta(days=rng.randint(1, 700))])
        placement.destination = rng.choice(["east", "local", "workshop"])
        placement.save()
    elif choice == 2 and (worker := _pick(rng, Worker)):
        worker.hometown = rng.choice(places)  # a region move of the worker's placements
        worker.poverty_alleviated = not worker.poverty_alleviated
        worker.save()
    elif choice == 3 and (project := _pick(rng, Project)):
        project.region = rng.choice(places)  # moves its allocations and disbursements
        project.status = rng.choice(["in_progress", "cancelled", "completed"])
        project.year = rng.choice(YEARS)
        project.save()
    elif choice == 4 and (organization := _pick(rng, Organization)):
        if organization.side == "west":
            organization.region = rng.choice(places)  # a hospital, school or enterprise moves
            organization.save()
    elif choice == 5 and (disbursement := _pick(rng, Disbursement)):
        _move_date(rng, disbursement, "paid_on").save()
    elif choice == 6 and (stat := _pick(rng, MedicalServiceStat)):
        stat.outpatients = rng.randint(0, 900)
        stat.save()
    elif choice == 7 and (investment := _pick(rng, Investment)):
        investment.year = rng.choice(CHECKED_YEARS)
        investment.amount = Decimal(rng.randint(1, 500) * 100)
        investment.save()
    elif choice == 8 and (dispatch := _pick(rng, MedicalDispatch)):
        dispatch.started_on = _day(rng)
        dispatch.ended_on = None
        dispatch.save()


def _delete(rng):
    model = rng.choice([Sale, Placement, Worker, FundAllocation, Disbursement, MedicalServiceStat,
                        TeacherTraining, Mentorship, VocationalStudent, Investment])  # fmt: skip
    obj = _pick(rng, model)
    if obj is not None:
        if model is FundAllocation:
            obj.project.disbursements.all().delete()  # an allocation covers what was paid
        obj.delete()  # a worker takes their placements with them


@pytest.mark.parametrize("seed", [1, 2])
def test_figures_equal_the_records_after_random_writes_through_save_and_delete(world, seed):
    rng = random.Random(seed)
    for _ in range(25):
        action = rng.random()
        if action < 0.25:
            populate(rng, world["places"], rounds=1)
        elif action < 0.8:
            _update(rng, world)
        else:
            _delete(rng)
    assert_exact(world)


# --- region moves ---------------------------------------------------------------------------


def test_a_region_given_a_new_code_takes_its_figures_along(world):
    _first, second, town = world["places"][:3]
    assert figures.read_parts(year=2023, area=town, parts="value") or figures.read_parts(
        year=2022, area=town, parts="value"
    ), "the random world has figures in the town"
    # The town moves from the first county to the second: its code and parent change.
    town.code = f"{second.code}101"
    town.parent = second
    town.save()
    assert_exact(world)


def test_deleting_a_worker_takes_their_placements_out_of_the_figures(world):
    worker = Worker.objects.filter(placements__isnull=False).first()
    worker.delete()
    assert_exact(world)


# --- sales/bulk/ -----------------------------------------------------------------------------


def _bulk_rows(rng, places, n, *, keys=None):
    keys = keys or [f"B-{rng.randrange(10**9)}" for _ in range(n)]
    return [
        {
            "source": "bulk-test",
            "external_id": key,
            "sold_on": _day(rng).isoformat(),
            "origin_region": rng.choice(places).pk,
            "channel": rng.choice(["hall", "store", "ecommerce"]),
            "buyer_kind": rng.choice(["government", "enterprise", "individual"]),
            "amount": f"{rng.randint(1, 999999) / 100:.2f}",
        }
        for key in keys
    ]


def test_bulk_upserts_keep_the_figures_exact_when_they_create_and_move_sales(world, make_user):
    rng = random.Random(11)
    user = make_user("api")
    rows = _bulk_rows(rng, world["places"], 40)
    assert sale_bulk_upsert(data=rows, user=user) == {"created": 40, "updated": 0}
    assert_exact(world)
    # The same keys again, with other dates, regions and amounts: every sale moves.
    moved = _bulk_rows(rng, world["places"], 0, keys=[row["external_id"] for row in rows])
    assert sale_bulk_upsert(data=moved, user=user) == {"created": 0, "updated": 40}
    assert_exact(world)


def test_the_bulk_endpoint_keeps_them_exact_and_the_summary_reads_them_at_once(world, api_client_for):
    rng = random.Random(12)
    client = api_client_for("api")
    rows = _bulk_rows(rng, world["places"], 30)
    assert client.post("/api/v1/sales/bulk/", rows, format="json").status_code == 200
    year = int(rows[0]["sold_on"][:4])
    expected = sum(Decimal(r["amount"]) for r in rows if r["sold_on"].startswith(str(year)))
    expected += sum(
        Sale.objects.filter(sold_on__year=year).exclude(source="bulk-test").values_list("amount", flat=True)
    )
    summary = client.get(f"/api/v1/dashboard/summary/?year={year}").json()
    [sales] = [row for row in summary["indicators"] if row["key"] == "consumption.sales"]
    assert Decimal(sales["value"]) == expected
    assert_exact(world)


# --- the API and the admin -------------------------------------------------------------------


def test_api_creates_updates_and_deletes_keep_them_exact(world, api_client_for):
    rng = random.Random(13)
    client = api_client_for("admin")
    places = world["places"]
    for _ in range(6):
        created = client.post(
            "/api/v1/sales/",
            {
                "source": "api-test",
                "external_id": f"A-{rng.randrange(10**9)}",
                "sold_on": _day(rng).isoformat(),
                "origin_region": rng.choice(places).pk,
                "channel": "store",
                "buyer_kind": "enterprise",
                "amount": "123.45",
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
        pk = created.json()["id"]
        patched = client.patch(
            f"/api/v1/sales/{pk}/", {"sold_on": _day(rng).isoformat(), "amount": "9.99"}, format="json"
        )
        assert patched.status_code == 200, patched.json()
    worker = Worker.objects.filter(placements__isnull=False).first()
    moved = client.patch(f"/api/v1/workers/{worker.pk}/", {"hometown": places[1].pk}, format="json")
    assert moved.status_code == 200, moved.json()
    placement = Placement.objects.first()
    assert client.delete(f"/api/v1/placements/{placement.pk}/").status_code == 204
    assert_exact(world)


def test_spreadsheet_imports_that_create_then_move_sales_keep_them_exact(world):
    """An import writes through the resources (``save()``), a second sheet with the same keys
    updates: other dates, regions and amounts."""
    rng = random.Random(14)
    places = world["places"]

    def sheet(amount):
        rows = [
            [
                "import-test",
                f"I-{number}",
                _day(rng).isoformat(),
                rng.choice(places).code,
                "",
                "",
                "store",
                "enterprise",
                "",
                amount,
                "",
                "",
            ]
            for number in range(12)
        ]
        return tablib.Dataset(*rows, headers=list(SaleResource.Meta.fields))

    for amount in ("120.50", "7"):
        result = SaleResource().import_data(sheet(amount), dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors(), result.messages()
        assert_exact(world)
    assert Sale.objects.filter(source="import-test").count() == 12


def test_an_admin_change_moving_a_worker_keeps_them_exact(world, client, make_user):
    client.force_login(make_user("admin"))
    worker = Worker.objects.filter(placements__isnull=False).first()
    target = next(place for place in world["places"] if place.pk != worker.hometown_id)
    url = f"/admin/labor/worker/{worker.pk}/change/"
    page = client.get(url)
    response = client.post(url, page_data(page) | {"hometown": str(target.pk)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert worker.hometown == target
    assert_exact(world)


# --- the rebuild ------------------------------------------------------------------------------


def test_the_rebuild_corrects_drift_and_reports_it(world, capsys):
    row = Figure.objects.filter(year=2023, part="").order_by("pk").first()
    row.value += 5
    row.save()
    Figure.objects.filter(year=2022, indicator="consumption.sales").delete()
    call_command("rebuild_figures", "--year", "2022", "--year", "2023")
    out = capsys.readouterr().out
    assert "drift corrected: " in out and "drift corrected: 0." not in out
    call_command("rebuild_figures", "--year", "2022", "--year", "2023")
    assert "drift corrected: 0." in capsys.readouterr().out
    assert mismatches(years=(2022, 2023), areas=_areas(world)) == []


def test_a_year_not_kept_is_computed_from_the_records(world):
    FigureYear.objects.filter(year=2023).delete()
    Figure.objects.filter(year=2023).delete()
    assert not figures.is_kept(2023)
    from indicators.selectors import indicator_values
    from tests.indicators.figure_checks import live_values

    assert {row["key"]: row["value"] for row in indicator_values(year=2023, region=None)} == live_values(
        year=2023, region=None
    )
    figures.rebuild([2023])
    assert figures.is_kept(2023)
    assert mismatches(years=(2023,), areas=_areas(world)) == []


def test_the_nightly_task_rebuilds_and_reports_the_drift(world):
    from indicators.tasks import rebuild_figures_task

    Figure.objects.filter(indicator="labor.employed").delete()
    result = rebuild_figures_task.apply().get()
    assert result["drift"] > 0 and result["rows"] > 0
    assert rebuild_figures_task.apply().get()["drift"] == 0


# --- the cost of reading and writing ----------------------------------------------------------


def test_the_summary_reads_in_a_constant_number_of_queries(world, api_client_for):
    client = api_client_for("official")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/dashboard/summary/?year=2023").status_code == 200
    populate(random.Random(5), world["places"], rounds=6)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/api/v1/dashboard/summary/?year=2023").status_code == 200
    assert len(large) == len(small)
    figure_queries = [q["sql"] for q in large.captured_queries if '"indicators_figure"' in q["sql"]]
    assert len(figure_queries) == 1
    assert not any('"consumption_sale"' in q["sql"] for q in large.captured_queries)


def test_a_write_recomputes_only_the_cells_it_touches(world):
    sale = Sale.objects.first()
    others = Figure.objects.exclude(indicator="consumption.sales").count()
    sale.amount += 1
    with CaptureQueriesContext(connection) as queries:
        sale.save()
    assert Figure.objects.exclude(indicator="consumption.sales").count() == others
    # The lock check, the positions before, the update and its history row, the positions
    # after, the kept years, the cell lock, the four computes of the one month cell the sale
    # lies in (value, trend, two breakdowns), one delete and one insert.
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 13, statements
    assert sum("pg_advisory_xact_lock" in s for s in statements) == 1
    # On the sales: the lock check, the positions before and after, the four computes.
    assert sum('"consumption_sale"' in s and s.startswith("SELECT") for s in statements) == 7
