"""Workers and placements at scale: searches served by indexes, query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation import admin_filters
from labor.admin import PlacementAdmin
from labor.models import Placement
from tests.labor.factories import PlacementFactory, WorkerFactory


@pytest.fixture
def people(regions):
    ayi = WorkerFactory(hometown=regions["zhaojue"], name="阿依木呷", external_id="ZP-00017")
    other = WorkerFactory(hometown=regions["zhaojue"], name="吉克曲布", external_id="ZP-20001")
    PlacementFactory(worker=ayi, position="welder")
    PlacementFactory(worker=other, position="cook")
    return {"ayi": ayi, "other": other}


@pytest.mark.django_db
class TestSearch:
    @pytest.mark.parametrize(
        "q, found", [("木呷", ["阿依木呷"]), ("zp-0", ["阿依木呷"]), ("00017", []), ("ZP", ["吉克曲布", "阿依木呷"])]
    )
    def test_workers_by_name_and_external_id_prefix(self, client, make_user, people, q, found):
        client.force_login(make_user("staff"))
        response = client.get("/admin/labor/worker/", {"q": q})
        assert sorted(worker.name for worker in response.context["cl"].result_list) == sorted(found)

    @pytest.mark.parametrize("q, found", [("木呷", ["阿依木呷"]), ("weld", ["阿依木呷"]), ("曲布 cook", ["吉克曲布"])])
    def test_placements_by_worker_name_and_position(self, client, make_user, people, q, found):
        client.force_login(make_user("staff"))
        response = client.get("/admin/labor/placement/", {"q": q})
        assert [placement.worker.name for placement in response.context["cl"].result_list] == found

    def test_query_counts_do_not_grow_with_the_rows(self, client, make_user, regions):
        client.force_login(make_user("staff"))
        counts = []
        for size in (2, 30):
            for worker in WorkerFactory.create_batch(size, hometown=regions["zhaojue"]):
                PlacementFactory(worker=worker)
            with CaptureQueriesContext(connection) as workers:
                client.get("/admin/labor/worker/", {"q": "Worker"})
            with CaptureQueriesContext(connection) as placements:
                client.get("/admin/labor/placement/", {"q": "Worker"})
            counts.append((len(workers.captured_queries), len(placements.captured_queries)))
        assert counts[0] == counts[1]


@pytest.mark.django_db
@pytest.mark.parametrize("listed", [1000, 5])
def test_placement_search_checks_each_row_in_constant_time(rf, make_user, regions, monkeypatch, listed):
    """A few thousand rows: the shape of the plan, not its time."""
    # Named here, not by the factory's sequence (which depends on what ran before): 13 of the
    # names hold a "1".
    workers = [WorkerFactory(hometown=regions["zhaojue"], name=f"Worker {number}") for number in range(40)]
    Placement.objects.bulk_create(
        [PlacementFactory.build(worker=workers[i % 40], employer=None) for i in range(2000)], batch_size=500
    )
    request = rf.get("/")
    request.user = make_user("admin")
    monkeypatch.setattr(admin_filters, "_LISTED_IDS", listed)
    model_admin = PlacementAdmin(Placement, None)
    queryset, _ = model_admin.get_search_results(request, Placement.objects.order_by(), "Worker 1")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    if listed == 1000:
        # 40 workers match: their ids are listed in the query (a constant, hashed by PostgreSQL).
        assert "SubPlan" not in plan, plan
    else:
        # More workers match than are listed: the condition is on the joined worker, checked
        # row by row as the list is read (so a page reads only what it shows), not a subquery
        # of every matching worker hashed first, nor a walk through an array of them (28 s at
        # 100x). ("Worker 1" is two terms, both on the one join.)
        assert "SubPlan" not in plan and plan.count("Scan on labor_worker") == 1, plan
        assert "Join" in plan, plan
    assert "ANY ($" not in plan, plan
    assert queryset.count() == 2000 * 13 // 40


@pytest.mark.django_db
def test_trigram_indexes_exist(trigram):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'labor_%'")
        indexes = dict(cursor.fetchall())
    for name in ("labor_worker_name_trgm", "labor_worker_ext_id_trgm", "labor_placement_pos_trgm"):
        assert "gin_trgm_ops" in indexes[name]
    assert "labor_placement_order" in indexes


@pytest.mark.django_db
def test_a_searched_list_reads_no_date_bar_over_its_matches_unless_one_is_chosen(client, make_user, people):
    client.force_login(make_user("staff"))
    year = people["ayi"].placements.get().started_on.year

    def page(**params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/labor/placement/", params)
        assert response.status_code == 200
        scans = [q["sql"] for q in queries.captured_queries if "DATE_TRUNC" in q["sql"] or "MIN(" in q["sql"]]
        return response, scans

    response, scans = page()
    assert response.context["cl"].date_hierarchy == "started_on" and scans  # the bar, over the list
    assert f"started_on__year={year}" in response.text
    response, scans = page(q="木呷")
    assert response.context["cl"].date_hierarchy is None and not scans
    assert [placement.worker.name for placement in response.context["cl"].result_list] == ["阿依木呷"]
    response, scans = page(q="木呷", started_on__year=year)
    assert response.context["cl"].date_hierarchy == "started_on"  # a chosen year stays on the bar
    assert [placement.worker.name for placement in response.context["cl"].result_list] == ["阿依木呷"]


@pytest.mark.django_db
@pytest.mark.parametrize("q, found", [("WELD", ["阿依木呷"]), ("Cook", ["吉克曲布"]), ("依木", ["阿依木呷"])])
def test_searches_stay_case_insensitive_and_an_uncased_term_reads_with_like(client, make_user, people, q, found):
    client.force_login(make_user("staff"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/labor/placement/", {"q": q})
    assert [placement.worker.name for placement in response.context["cl"].result_list] == found
    searches = [query["sql"] for query in queries.captured_queries if "LIKE" in query["sql"]]
    operator = "ILIKE" if q.isascii() else " LIKE "
    assert searches and all(operator in sql for sql in searches)
    if not q.isascii():
        assert not any("ILIKE" in sql for sql in searches)
