"""Benchmark of ``POST /api/v1/sales/bulk/`` end to end, against PostgreSQL ``COPY`` of the same rows.

Usage (from the repository root)::

    .venv/bin/python bench/sales_bulk.py [--rows 20000] [--batch 5000] [--profile]

Runs against ``DATABASE_URL`` (or the embedded PostgreSQL when it is unset), migrating it first
if needed. It creates a throw-away API client user,
two western regions, a product and a venue, then:

1. posts the rows in batches through the whole Django stack (the test ``Client``: middleware,
   token authentication, permissions, DRF's JSON parser, row checking, the upsert and its
   audit rows, the JSON answer) and times it: first as new rows, then the same batches again
   as a replay (every row updated);
2. times ``COPY ... FROM STDIN`` of the same rows into a temporary table, the fastest way
   PostgreSQL has to take rows in, as the yardstick;
3. prints rows per second of each and the ratio, writes them to ``bench/results/`` and
   deletes everything it created (the sales, their history rows and the fixtures).

``--profile`` also prints the 25 most expensive functions of one batch (cProfile).
"""

import argparse
import cProfile
import csv
import datetime
import io
import json
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")  # DEBUG would record every query and slow the stack down

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from consumption.bulk import FIELD_NAMES  # noqa: E402
from consumption.models import Product, Sale, Venue  # noqa: E402
from cooperation import roles  # noqa: E402
from cooperation.models import Organization, Region  # noqa: E402

CHANNELS = ["hall", "store", "warehouse", "ecommerce", "canteen", "fair", "other"]
TEXT_DEFAULTS = {"east_role", "unit"}
NULL = "\\N"
BUYERS = ["government", "enterprise", "union", "individual", "other"]


@transaction.atomic  # all or nothing, so a failed run leaves nothing behind
def make_fixtures(tag: str) -> dict:
    """A user of the API clients role with a token, two western counties, a product and a venue."""
    user = get_user_model().objects.create_user(username=f"bench-{tag}", password=uuid.uuid4().hex)
    user.groups.add(Group.objects.get(name=roles.API_CLIENTS))
    token = Token.objects.create(user=user)
    # 99xxxx is no real division code, so these never collide with real or demo regions.
    province = Region.objects.create(name="Bench province", code="990000", level="province", side="west")
    prefecture = Region.objects.create(
        name="Bench prefecture", code="999900", level="prefecture", side="west", parent=province
    )
    counties = [
        Region.objects.create(
            name=f"Bench county {n}", code=f"99990{n}", level="county", side="west", parent=prefecture
        )
        for n in (1, 2)
    ]
    east = Region.objects.create(name="Bench east", code="980000", level="province", side="east")
    operator = Organization.objects.create(name="Bench operator", kind="enterprise", side="east", region=east)
    product = Product.objects.create(name="Bench beef", category="beef", origin_region=counties[0])
    venue = Venue.objects.create(name="Bench hall", kind="hall", place=east, operator=operator)
    return {
        "user": user,
        "token": token.key,
        "regions": [*counties, prefecture, province, east],
        "operator": operator,
        "product": product,
        "venue": venue,
    }


def make_rows(n: int, *, source: str, fixtures: dict) -> list[dict]:
    """``n`` realistic rows: every field used, optional ones on about half of the rows."""
    counties = fixtures["regions"][:2]
    start = datetime.date(2023, 1, 1)
    rows = []
    for i in range(n):
        row = {
            "source": source,
            "external_id": f"order-{i:08d}",
            "sold_on": (start + datetime.timedelta(days=i % 365)).isoformat(),
            "origin_region": counties[i % 2].pk,
            "channel": CHANNELS[i % len(CHANNELS)],
            "buyer_kind": BUYERS[i % len(BUYERS)],
            "amount": f"{(i * 7919) % 100000 + 1}.{i % 100:02d}",
        }
        if i % 2:
            row |= {
                "product": fixtures["product"].pk,
                "venue": fixtures["venue"].pk,
                "east_role": "bought" if i % 4 == 1 else "helped_sell",
                "quantity": f"{i % 50 + 1}.5",
                "unit": "kg",
            }
        rows.append(row)
    return rows


def post_batches(
    client: Client, token: str, bodies: list[bytes], *, profile: bool = False
) -> tuple[float, float, dict]:
    """Post the bodies; return (wall seconds, CPU seconds of this process, summed counts)."""
    totals = {"created": 0, "updated": 0}
    cpu_started = time.process_time()
    started = time.perf_counter()
    for number, body in enumerate(bodies):
        profiler = cProfile.Profile() if profile and number == 0 else None
        if profiler:
            profiler.enable()
        response = client.post(
            "/api/v1/sales/bulk/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
        )
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        if response.status_code != 200:
            raise SystemExit(f"batch {number} answered {response.status_code}: {response.content[:2000]!r}")
        for key, value in response.json().items():
            totals[key] += value
    return time.perf_counter() - started, time.process_time() - cpu_started, totals


def copy_rows(rows: list[dict]) -> float:
    """Time ``COPY`` of the same rows (the same columns) into a temporary copy of the sales table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    now = datetime.datetime.now(datetime.UTC).isoformat()
    for row in rows:
        # Absent optional fields as the bulk endpoint stores them: NULL references, blank texts.
        writer.writerow([row.get(name, "" if name in TEXT_DEFAULTS else NULL) for name in FIELD_NAMES] + [now, now])
    columns = [Sale._meta.get_field(name).column for name in FIELD_NAMES] + ["created_at", "updated_at"]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_sale_copy (LIKE consumption_sale INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            "INCLUDING INDEXES INCLUDING IDENTITY)"
        )
        buffer.seek(0)
        started = time.perf_counter()
        cursor.cursor.copy_expert(
            f"COPY bench_sale_copy ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )
        elapsed = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_sale_copy")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_sale_copy")
    if copied != len(rows):
        raise SystemExit(f"COPY stored {copied} rows, expected {len(rows)}")
    return elapsed


def clean_up(source: str, fixtures: dict) -> None:
    sales = Sale.objects.filter(source__startswith=source)
    Sale.history.model.objects.filter(source__startswith=source).delete()
    sales._raw_delete(sales.db)  # no per-row signals: these are the benchmark's own rows
    Product.history.model.objects.filter(id=fixtures["product"].pk).delete()
    Venue.history.model.objects.filter(id=fixtures["venue"].pk).delete()
    fixtures["product"].delete()
    fixtures["venue"].delete()
    fixtures["operator"].delete()
    for region in fixtures["regions"]:
        region.delete()
    Region.history.model.objects.filter(code__in=[r.code for r in fixtures["regions"]]).delete()
    Organization.history.model.objects.filter(id=fixtures["operator"].pk).delete()
    fixtures["user"].delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the first batch")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    tag = uuid.uuid4().hex[:8]
    source = f"bench-{tag}"
    fixtures = make_fixtures(tag)
    try:
        rows = make_rows(args.rows, source=source, fixtures=fixtures)
        bodies = [json.dumps(rows[i : i + args.batch]).encode() for i in range(0, len(rows), args.batch)]
        client = Client()
        # Warm up (imports, first connection, caches) with rows of their own, so that the timed
        # batches measure the steady state a running server is in.
        post_batches(
            client,
            fixtures["token"],
            [json.dumps(make_rows(10, source=f"{source}-warm-up", fixtures=fixtures)).encode()],
        )
        load_before = os.getloadavg()[0]
        insert_s, insert_cpu, inserted = post_batches(client, fixtures["token"], bodies, profile=args.profile)
        replay_s, replay_cpu, replayed = post_batches(client, fixtures["token"], bodies)
        if inserted != {"created": len(rows), "updated": 0} or replayed != {"created": 0, "updated": len(rows)}:
            raise SystemExit(f"unexpected counts: {inserted} then {replayed}")
        copy_s = copy_rows(rows)
    finally:
        clean_up(source, fixtures)

    n = len(rows)
    results = {
        "rows": n,
        "batch": args.batch,
        "requests": len(bodies),
        "bytes_per_request": round(sum(map(len, bodies)) / len(bodies)),
        "bulk_insert_rows_per_s": round(n / insert_s),
        "bulk_replay_rows_per_s": round(n / replay_s),
        "copy_rows_per_s": round(n / copy_s),
        "insert_vs_copy": round(insert_s / copy_s, 2),
        "replay_vs_copy": round(replay_s / copy_s, 2),
        "django_cpu_s_insert": round(insert_cpu, 3),
        "django_cpu_s_replay": round(replay_cpu, 3),
        "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "database": connection.settings_dict.get("HOST") or "embedded",
        "cpus": os.cpu_count(),
        "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    print(f"rows: {n} in {len(bodies)} requests of up to {args.batch} (~{results['bytes_per_request']:,} bytes each)")
    print(
        f"POST sales/bulk/, new rows : {insert_s:7.3f} s  {results['bulk_insert_rows_per_s']:>9,} rows/s"
        f"  (Django process CPU {insert_cpu:.3f} s)"
    )
    print(
        f"POST sales/bulk/, replay   : {replay_s:7.3f} s  {results['bulk_replay_rows_per_s']:>9,} rows/s"
        f"  (Django process CPU {replay_cpu:.3f} s)"
    )
    print(f"COPY into a temp table     : {copy_s:7.3f} s  {results['copy_rows_per_s']:>9,} rows/s")
    print(f"ratio (bulk time / COPY time): new {results['insert_vs_copy']}x, replay {results['replay_vs_copy']}x")
    print(f"1-minute load average before / after: {results['load_average_1m']} on {os.cpu_count()} CPUs")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "sales_bulk.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
