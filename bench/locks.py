"""What the locked months (CONTRACT.md 1.1) cost a write: queries and time, per record kind.

Usage (from the repository root)::

    .venv/bin/python bench/locks.py [--repeat 20]

Runs against ``DATABASE_URL`` (or the embedded PostgreSQL when it is unset), migrating it first.
Inside one transaction that is rolled back at the end (nothing is left behind), it builds a
record of every record kind with a date (the test factories, ``tests.factories.build_record``)
in a fictitious county, and approved submissions of *other* months of that county (so the
check has rows to look through but refuses nothing). Then, through the whole Django stack
(the test ``Client``, an administrator's token):

1. for each kind, ``PATCH`` of the record's date to itself: the queries of the request, how
   many of them read the submissions (the lock check), and the median time;
2. ``POST sales/bulk/`` of 10, 1,000 and 5,000 rows: the same counts.

The goal (issue 15): the lock adds at most one query per write request, and a constant number
per ``sales/bulk/`` request whatever its size. It prints a table and exits 1 if a goal is
missed; the numbers are written to ``bench/results/locks.json`` (git-ignored).
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from config.api import router  # noqa: E402
from cooperation import roles  # noqa: E402
from cooperation.models import Region, Submission  # noqa: E402
from cooperation.records import record_kinds  # noqa: E402

LOCK_TABLE = Submission._meta.db_table


class Rollback(Exception):
    pass


def endpoints() -> dict:
    return {
        viewset.queryset.model: prefix
        for prefix, viewset, _basename in router.registry
        if getattr(viewset, "queryset", None) is not None and hasattr(viewset, "partial_update")
    }


def measure(client, method, url, body, *, repeat: int) -> dict:
    send = getattr(client, method)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = send(url, body, content_type="application/json")
    assert response.status_code in (200, 201), (url, response.status_code, response.content[:300])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        send(url, body, content_type="application/json")
        times.append(time.perf_counter() - start)
    return {
        "queries": len(statements),
        "lock_queries": sum(LOCK_TABLE in sql for sql in statements),
        "median_ms": round(statistics.median(times) * 1000, 2),
    }


def run(repeat: int) -> dict:
    from tests.consumption.factories import bulk_row
    from tests.factories import build_record

    results = {"kinds": {}, "bulk": {}}
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=f"bench-{uuid.uuid4().hex[:8]}")
            user.groups.add(Group.objects.get(name=roles.ADMINISTRATORS))
            token = Token.objects.create(user=user)
            province = Region.objects.create(name="Bench province", code="990000", level="province", side="west")
            county = Region.objects.create(name="Bench county", code="999901", level="county", side="west")
            county.parent = province
            county.save()
            east = Region.objects.create(name="Bench east", code="980001", level="county", side="east")
            client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
            urls = endpoints()
            records = {}
            for model, kind in record_kinds():
                if kind.date and kind.region and model in urls:
                    records[model] = build_record(model, county=county, east=east)
            # Approved months that refuse nothing: 2010-2019, far from the factories' dates.
            Submission.objects.bulk_create(
                [
                    Submission(region=county, month=datetime.date(year, month, 1), status="approved")
                    for year in range(2010, 2020)
                    for month in range(1, 13)
                ]
            )
            for model, record in records.items():
                kind = model.record_kind
                url = f"/api/v1/{urls[model]}/{record.pk}/"
                value = getattr(record, kind.date).isoformat()
                results["kinds"][model._meta.label] = measure(
                    client, "patch", url, json.dumps({kind.date: value}), repeat=repeat
                )
            # A record others reach their region through (a worker for their placements): its
            # hometown unchanged, the check reads nothing more.
            placement = next(r for m, r in records.items() if m._meta.label == "labor.Placement")
            results["kinds"]["labor.Worker (carrier)"] = measure(
                client,
                "patch",
                f"/api/v1/workers/{placement.worker_id}/",
                json.dumps({"name": "Bench worker"}),
                repeat=repeat,
            )
            for size in (10, 1000, 5000):
                rows = [bulk_row(county, n, sold_on="2023-06-15") for n in range(size)]
                results["bulk"][size] = measure(
                    client, "post", "/api/v1/sales/bulk/", json.dumps(rows), repeat=max(1, repeat // 10)
                )
            raise Rollback
    except Rollback:
        pass
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    results = run(args.repeat)
    failed = False
    print(f"{'write (PATCH of the date)':40} {'queries':>8} {'lock':>5} {'median ms':>10}")
    for label, row in results["kinds"].items():
        print(f"{label:40} {row['queries']:>8} {row['lock_queries']:>5} {row['median_ms']:>10}")
        failed |= row["lock_queries"] > 1
    print(f"\n{'sales/bulk/ rows':40} {'queries':>8} {'lock':>5} {'median ms':>10}")
    lock_counts = set()
    for size, row in results["bulk"].items():
        print(f"{size:<40} {row['queries']:>8} {row['lock_queries']:>5} {row['median_ms']:>10}")
        lock_counts.add(row["lock_queries"])
    failed |= len(lock_counts) != 1
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "locks.json").write_text(json.dumps(results, indent=2))
    print("\ngoal: at most 1 lock query per write, a constant number per bulk request:", "missed" if failed else "met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
