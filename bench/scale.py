"""The portal at a province's scale (issue 13): the demo's data at 1x and 100x, served side by side.

Builds two PostgreSQL databases (``scale_1x``: ``seed_demo``; ``scale_100x``: the same, then its
sales, workers, placements, projects and fund allocations multiplied with set-based SQL), serves
each with gunicorn (production profile, DEBUG off, 2 sync workers) and measures, interleaved
(small, large, small, large...), the median time of the dashboard, report and admin requests,
the API/raw ratio of three lists beside the floor (an empty page through the portal and
through the raw app, served the same way) and a concurrency check. See bench/README.md.

    .venv/bin/python bench/scale.py [--quick] [--only-build] [--rebuild] [--runs N]

This module is also the "raw" WSGI app gunicorn serves for the API/raw ratio (``raw_app``) and
the in-process annual report timer (``--report-worker``, run as a subprocess per database).
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
RESULTS = BASE_DIR / "bench" / "results" / "scale.json"
# Collected static files, media and the file broker's folders of the benchmark's servers: the
# production profile serves a manifest of collected files, which the development tree lacks.
VAR_DIR = BASE_DIR / "var" / "bench-scale"
SERVER = os.environ.get("SCALE_PG", "postgres://postgres@127.0.0.1:5432")
# The development key: the demo's ID numbers and phones are encrypted with it by seed_demo.
LOCAL_PERSONAL_DATA_KEY = "bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ="
DATABASES = {"1x": "scale_1x", "100x": "scale_100x"}
PORTS = {"1x": 8731, "100x": 8732, "raw-1x": 8733, "raw-100x": 8734, "floor": 8735}
BUILT_MARK = "bench/scale.py: complete"

# The 100x dataset (issue 13): rows of each table once it is multiplied. Workers, placements,
# projects and allocations are whole copies of the demo's rows (the last one partial), sales
# are copied ~450 times: the 1,000,000.
TARGETS = {
    "consumption_sale": 1_000_000,
    "labor_worker": 158_100,
    "projects_project": 6_900,
}
GOAL_DASHBOARD, GOAL_ADMIN, GOAL_REPORT, GOAL_RAW = 1.5, 2.0, 2.0, 0.8


def log(message: str) -> None:
    print(message, flush=True)


# --- Building the databases ------------------------------------------------------------------


def db_url(name: str) -> str:
    return f"{SERVER}/{name}"


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", db_url(database), "-v", "ON_ERROR_STOP=1", "-Atqc", sql], check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def is_built(name: str) -> bool:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if not exists:
        return False
    comment = psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'")
    return comment == BUILT_MARK


def manage(database: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": db_url(database), "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.pop("DEBUG", None)
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def multiply_sql() -> list[tuple[str, str]]:
    """The statements that turn the demo into the 100x dataset, with what each one does.

    Copy ``k`` of a row gets the id ``id + k * max(id)``, so a copied placement (allocation)
    points at the copy ``k`` of its worker (project), and the region, product, venue, employer
    and implementer of the original: the region distribution stays the demo's. Unique keys get
    a ``~k`` suffix (sales' external ids, projects' codes, workers' external ids); a copied
    worker keeps the original's encrypted ID number and phone, with a distinct 64-hex search
    hash (two md5s of the original hash and ``k``), so ``id_number_hash`` stays unique.
    """
    sale_cols = (
        "source, sold_on, channel, buyer_kind, east_role, amount, quantity, unit, "
        "origin_region_id, product_id, venue_id"
    )
    worker_cols = (
        "name, id_number_cipher, gender, birth_date, poverty_alleviated, monitored_household, phone_cipher, hometown_id"
    )
    placement_cols = "destination, position, started_on, ended_on, monthly_wage, employer_id"
    project_cols = (
        "name, category, year, status, budget, started_on, completed_on, description, beneficiary_households, "
        "beneficiaries, beneficiaries_poverty_alleviated, benefits_dividends, benefits_jobs, benefits_purchases, "
        "benefits_other, implementer_id, region_id"
    )
    allocation_cols = "year, source, amount, allocated_on, document, note"

    def prefixed(cols: str, alias: str) -> str:
        return ", ".join(f"{alias}.{col.strip()}" for col in cols.split(","))

    def copies(table: str) -> str:
        # Copies 1..K of the demo's rows, enough for the target (the last one is cut by LIMIT).
        return (
            f"generate_series(1, ceil({TARGETS[table]}::numeric / (SELECT count(*) FROM {table}))::int - 1) AS k, "
            f"(SELECT max(id) AS top, count(*) AS n FROM {table}) AS base"
        )

    return [
        (
            "sales",
            f"INSERT INTO consumption_sale (id, created_at, updated_at, external_id, {sale_cols}) "
            f"SELECT s.id + k * base.top, now(), now(), s.external_id || '~' || k, {prefixed(sale_cols, 's')} "
            f"FROM consumption_sale s, {copies('consumption_sale')} "
            f"ORDER BY k, s.id LIMIT {TARGETS['consumption_sale']} - (SELECT count(*) FROM consumption_sale)",
        ),
        (
            "workers",
            "CREATE TEMP TABLE worker_base AS SELECT max(id) AS top FROM labor_worker; "
            f"INSERT INTO labor_worker (id, created_at, updated_at, id_number_hash, external_id, {worker_cols}) "
            "SELECT w.id + k * base.top, now(), now(), "
            "md5(w.id_number_hash || ':' || k) || md5(k || ':' || w.id_number_hash), "
            f"w.external_id || '~' || k, {prefixed(worker_cols, 'w')} "
            f"FROM labor_worker w, {copies('labor_worker')} "
            f"ORDER BY k, w.id LIMIT {TARGETS['labor_worker']} - (SELECT count(*) FROM labor_worker)",
        ),
        (
            "placements (those of the copied workers)",
            f"INSERT INTO labor_placement (id, created_at, updated_at, worker_id, {placement_cols}) "
            "SELECT p.id + k * base.top, now(), now(), p.worker_id + k * worker_base.top, "
            f"{prefixed(placement_cols, 'p')} "
            "FROM labor_placement p, worker_base, (SELECT max(id) AS top FROM labor_placement) AS base, "
            "generate_series(1, (SELECT max(id) FROM labor_worker) / (SELECT top FROM worker_base)) AS k "
            "WHERE EXISTS (SELECT 1 FROM labor_worker w WHERE w.id = p.worker_id + k * worker_base.top)",
        ),
        (
            "projects",
            "CREATE TEMP TABLE project_base AS SELECT max(id) AS top FROM projects_project; "
            f"INSERT INTO projects_project (id, created_at, updated_at, code, {project_cols}) "
            f"SELECT p.id + k * base.top, now(), now(), p.code || '~' || k, {prefixed(project_cols, 'p')} "
            f"FROM projects_project p, {copies('projects_project')} "
            f"ORDER BY k, p.id LIMIT {TARGETS['projects_project']} - (SELECT count(*) FROM projects_project)",
        ),
        (
            "fund allocations (those of the copied projects)",
            f"INSERT INTO projects_fundallocation (id, created_at, updated_at, project_id, {allocation_cols}) "
            "SELECT a.id + k * base.top, now(), now(), a.project_id + k * project_base.top, "
            f"{prefixed(allocation_cols, 'a')} "
            "FROM projects_fundallocation a, project_base, "
            "(SELECT max(id) AS top FROM projects_fundallocation) AS base, "
            "generate_series(1, (SELECT max(id) FROM projects_project) / (SELECT top FROM project_base)) AS k "
            "WHERE EXISTS (SELECT 1 FROM projects_project p WHERE p.id = a.project_id + k * project_base.top)",
        ),
        (
            "identity sequences",
            "; ".join(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                for table in (
                    "consumption_sale",
                    "labor_worker",
                    "labor_placement",
                    "projects_project",
                    "projects_fundallocation",
                )
            ),
        ),
    ]


def build(key: str, rebuild: bool) -> float | None:
    """Build the database of ``key`` unless it is complete already; the seconds taken, or None."""
    name = DATABASES[key]
    if not rebuild and is_built(name):
        log(f"{name}: already built (--rebuild to build it again)")
        return None
    started = time.monotonic()
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    log(f"{name}: migrate, seed_demo, create_demo_users")
    manage(name, "migrate", "--no-input", "-v0")
    manage(name, "seed_demo")
    manage(name, "create_demo_users")
    if key == "100x":
        log(f"{name}: multiplying the demo's rows")
        run_multiply(name)
        # The multiplying statements bypass the application: the figures are rebuilt, as the
        # nightly task would.
        step = time.monotonic()
        manage(name, "rebuild_figures")
        log(f"  rebuild_figures: {time.monotonic() - step:.1f} s")
    step = time.monotonic()
    psql("VACUUM (ANALYZE)", name)
    log(f"  VACUUM (ANALYZE): {time.monotonic() - step:.1f} s")
    psql(f"COMMENT ON DATABASE {name} IS '{BUILT_MARK}'")
    elapsed = time.monotonic() - started
    log(f"{name}: built in {elapsed:.0f} s")
    return elapsed


def run_multiply(name: str) -> None:
    """All the multiplying statements in one transaction: one psql session, so the temporary
    tables of the demo's top ids outlive their step; prints each step's time."""
    steps = multiply_sql()
    script = "\n".join(
        ["\\set ON_ERROR_STOP 1", "\\timing on", "BEGIN;"]
        + [f"\\echo {label}\n{sql};" for label, sql in steps]
        + ["COMMIT;"]
    )
    result = subprocess.run(["psql", db_url(name), "-Atq"], input=script, check=True, capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if not re.fullmatch(r"\d+", line):  # the setval() results
            log(f"    {line}")


def counts(name: str) -> dict:
    tables = ["consumption_sale", "labor_worker", "labor_placement", "projects_project", "projects_fundallocation"]
    values = psql("; ".join(f"SELECT count(*) FROM {table}" for table in tables), name).split()
    size = psql(f"SELECT pg_size_pretty(pg_database_size('{name}'))")
    return {**dict(zip(tables, (int(value) for value in values), strict=True)), "size": size}


# --- Serving ---------------------------------------------------------------------------------


def server_env(database: str) -> dict:
    """The production profile, locally: plain HTTP, DEBUG off, the development personal-data key."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": db_url(database),
        "SECRET_KEY": "bench-scale-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "PERSONAL_DATA_KEY": LOCAL_PERSONAL_DATA_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",
        "PORTAL_VAR_DIR": str(VAR_DIR),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "memory://"),
    }
    env.pop("DEBUG", None)
    return env


def collect_static() -> None:
    if (VAR_DIR / "static" / "staticfiles.json").exists():
        return
    log("collectstatic (production profile's manifest) into var/bench-scale/static")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=server_env(DATABASES["1x"]),
        check=True,
    )


def start_gunicorn(port: int, database: str, app: str = "config.wsgi", settings: str | None = None) -> subprocess.Popen:
    """gunicorn serving ``app`` (the portal, or the raw app) on ``port``; ``settings`` another
    settings module of the portal, from ``bench/`` (the floor app's)."""
    args = [GUNICORN, "-c", "config/gunicorn.py", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    env = server_env(database)
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    if app != "config.wsgi" or settings:
        args += ["--pythonpath", str(BASE_DIR / "bench")]
    process = subprocess.Popen(
        [*args, app], cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body, _headers = request(port, "/healthz" if app == "config.wsgi" else "/ping")
            if status < 500:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"gunicorn on port {port} did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=35)
    except subprocess.TimeoutExpired:
        process.kill()


def request(port: int, path: str, headers: dict | None = None, method: str = "GET", body=None, timeout: float = 120):
    """One request on a new connection (gunicorn's sync workers close it after each answer)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, data, response.getheaders()
    finally:
        connection.close()


def cookies_of(headers) -> dict:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _sep, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def login(port: int, username: str, password: str) -> str:
    """A session cookie header, signed in through /dashboard/login/."""
    status, body, headers = request(port, "/dashboard/login/")
    jar = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    status, _body, headers = request(
        port,
        "/dashboard/login/",
        method="POST",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={jar['csrftoken']}"},
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"login as {username} on port {port} failed ({status})")
    return f"sessionid={session}; csrftoken={jar['csrftoken']}"


class Target:
    """What the requests of one database need: its port, region id, token and session."""

    def __init__(self, key: str):
        self.key = key
        self.database = DATABASES[key]
        self.port = PORTS[key]
        self.raw_port = PORTS[f"raw-{key}"]
        self.zhaojue = psql("SELECT id FROM cooperation_region WHERE code = '513431'", self.database)
        tokens = dict(
            line.split("|")
            for line in psql(
                "SELECT u.username, t.key FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id "
                "WHERE u.username IN ('admin', 'api')",
                self.database,
            ).splitlines()
        )
        self.admin_token, self.api_token = tokens["admin"], tokens["api"]
        self.session = None


def timed(port: int, path: str, headers: dict) -> float:
    started = time.perf_counter()
    try:
        status, body, _headers = request(port, path, headers)
    except OSError as exc:  # no answer: gunicorn killed the worker at its timeout
        elapsed = time.perf_counter() - started
        raise RuntimeError(f"{path} on port {port}: no answer after {elapsed:.1f} s ({type(exc).__name__})") from exc
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} on port {port}: {status} {body[:300]!r}")
    return elapsed


# --- The annual report, generated in-process against each database ---------------------------


def report_worker() -> None:
    """``--report-worker``: for each line read, time the annual report of 2023 (whole programme).

    What ``reports.services._report_build`` does, minus storing the file: the figures (every
    indicator through its selectors), the months' approvals and the workbook.
    """
    import django

    django.setup()
    from cooperation.selectors import month_approvals
    from reports.choices import ReportKind
    from reports.models import Report
    from reports.selectors import report_figures
    from reports.workbook import build_workbook

    for _line in sys.stdin:
        started = time.perf_counter()
        report = Report(kind=ReportKind.ANNUAL, period_start=datetime.date(2023, 1, 1))
        report.full_clean(exclude=["period_end"], validate_unique=False, validate_constraints=False)
        figures = report_figures(year=2023, period_end=report.period_end, region=None)
        figures["approvals"] = month_approvals(year=2023, area=None)
        content = build_workbook(report, figures)
        elapsed = (time.perf_counter() - started) * 1000
        print(json.dumps({"ms": elapsed, "bytes": len(content)}), flush=True)


class ReportTimer:
    def __init__(self, database: str):
        self.process = subprocess.Popen(
            [PYTHON, str(Path(__file__).resolve()), "--report-worker"],
            cwd=BASE_DIR,
            env=server_env(database),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self) -> float:
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())["ms"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


# --- The raw app: the same three lists without Django ----------------------------------------

RAW_LISTS = {
    "sales": (
        "consumption_sale",
        "SELECT id, source, external_id, sold_on, origin_region_id, product_id, channel, buyer_kind, amount, "
        "venue_id, east_role, quantity, unit FROM consumption_sale ORDER BY id DESC LIMIT %s OFFSET %s",
    ),
    "workers": (
        "labor_worker",
        "SELECT id, name, id_number_cipher, gender, birth_date, hometown_id, poverty_alleviated, "
        "monitored_household, phone_cipher, external_id FROM labor_worker ORDER BY id DESC LIMIT %s OFFSET %s",
    ),
    "projects": (
        "projects_project",
        "SELECT p.id, p.code, p.name, p.category, p.year, p.status, p.region_id, p.implementer_id, p.budget, "
        "p.started_on, p.completed_on, p.description, p.beneficiary_households, p.beneficiaries, "
        "p.beneficiaries_poverty_alleviated, p.benefits_dividends, p.benefits_jobs, p.benefits_purchases, "
        "p.benefits_other, coalesce(a.total, 0), coalesce(d.total, 0) "
        "FROM projects_project p "
        "LEFT JOIN LATERAL (SELECT sum(amount) AS total FROM projects_fundallocation "
        "WHERE project_id = p.id) a ON true "
        "LEFT JOIN LATERAL (SELECT sum(amount) AS total FROM projects_disbursement WHERE project_id = p.id) d ON true "
        "ORDER BY p.id DESC LIMIT %s OFFSET %s",
    ),
}
_raw_state: dict = {}
EMPTY_PAGE = b'{"count":0,"next":null,"previous":null,"results":[]}'


def _raw_json():
    try:
        import orjson

        return "orjson", orjson.dumps
    except ImportError:
        return "json", lambda data: json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _raw_rows(kind: str, rows: list) -> list[dict]:
    if kind == "sales":
        return [
            {
                "id": r[0],
                "source": r[1],
                "external_id": r[2],
                "sold_on": r[3].isoformat(),
                "origin_region": r[4],
                "product": r[5],
                "channel": r[6],
                "buyer_kind": r[7],
                "amount": _money(r[8]),
                "venue": r[9],
                "east_role": r[10],
                "quantity": None if r[11] is None else f"{r[11]:.3f}",
                "unit": r[12],
            }
            for r in rows
        ]
    if kind == "workers":
        from labor.personal_data import _derived_keys, mask_id_number, mask_phone

        fernet = _derived_keys(LOCAL_PERSONAL_DATA_KEY)[0]

        def plain(token: str) -> str:
            return fernet.decrypt(token.encode("ascii")).decode("utf-8") if token else ""

        return [
            {
                "id": r[0],
                "name": r[1],
                "id_number": mask_id_number(plain(r[2])),
                "gender": r[3],
                "birth_date": None,
                "birth_year": r[4].year,
                "hometown": r[5],
                "poverty_alleviated": r[6],
                "monitored_household": r[7],
                "phone": mask_phone(plain(r[8])),
                "external_id": r[9],
            }
            for r in rows
        ]
    return [
        {
            "id": r[0],
            "code": r[1],
            "name": r[2],
            "category": r[3],
            "year": r[4],
            "status": r[5],
            "region": r[6],
            "implementer": r[7],
            "budget": _money(r[8]),
            "started_on": r[9] and r[9].isoformat(),
            "completed_on": r[10] and r[10].isoformat(),
            "description": r[11],
            "beneficiary_households": r[12],
            "beneficiaries": r[13],
            "beneficiaries_poverty_alleviated": r[14],
            "benefits_dividends": r[15],
            "benefits_jobs": r[16],
            "benefits_purchases": r[17],
            "benefits_other": r[18],
            "allocated_total": _money(r[19]),
            "disbursed_total": _money(r[20]),
            "disbursement_rate": None if not r[19] else str((r[20] / r[19]).quantize(Decimal("0.0001"))),
        }
        for r in rows
    ]


def raw_app(environ, start_response):
    """WSGI: ``/<sales|workers|projects>/?page_size=`` as the API answers it, with one persistent
    psycopg2 connection per worker: the token check, the exact count, one page query, JSON.
    ``/ping`` and ``/token/`` are the floor: an empty page, without a query or after the token
    check (what ``bench/floor_urls.py`` answers through Django)."""
    import psycopg2

    if "connection" not in _raw_state:
        _raw_state["connection"] = psycopg2.connect(os.environ["DATABASE_URL"])
        _raw_state["connection"].autocommit = True
        _raw_state["dumps"] = _raw_json()[1]
    dumps = _raw_state["dumps"]
    kind = environ["PATH_INFO"].strip("/")
    if kind == "ping":  # the floor: no query
        start_response("200 OK", [("Content-Type", "application/json")])
        return [EMPTY_PAGE]
    if kind not in RAW_LISTS and kind != "token":
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"Not found."}']
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    size = int(query.get("page_size", ["50"])[0])
    page = int(query.get("page", ["1"])[0])
    with _raw_state["connection"].cursor() as cursor:
        key = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Token ")
        cursor.execute(
            "SELECT 1 FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id WHERE t.key = %s AND u.is_active",
            [key],
        )
        if cursor.fetchone() is None:
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [b'{"detail":"Invalid token."}']
        if kind == "token":  # the floor of an authenticated answer: the token check only
            start_response("200 OK", [("Content-Type", "application/json")])
            return [EMPTY_PAGE]
        table, sql = RAW_LISTS[kind]
        cursor.execute(f"SELECT count(*) FROM {table}")  # table names are constants
        count = cursor.fetchone()[0]
        cursor.execute(sql, [size, (page - 1) * size])
        results = _raw_rows(kind, cursor.fetchall())
    following = None
    if page * size < count:  # the API's absolute link to the next page
        path = f"/api/v1/{kind}/?" + urllib.parse.urlencode({"page": page + 1, "page_size": size})
        following = f"http://{environ.get('HTTP_HOST', 'localhost')}{path}"
    body = dumps({"count": count, "next": following, "previous": None, "results": results})
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


# --- Measuring -------------------------------------------------------------------------------


def interleaved(small, large, runs: int) -> tuple[float, float]:
    """Medians of ``runs`` calls of each, alternating small and large, after one warm-up each."""
    small(), large()
    small_ms, large_ms = [], []
    for _run in range(runs):
        small_ms.append(small())
        large_ms.append(large())
    return statistics.median(small_ms), statistics.median(large_ms)


def page_requests(targets: dict, sale_fragment: str, name_fragment: str) -> list[tuple[str, str, object, float]]:
    """(label, goal group, function of a Target giving a timer, goal) of the measured requests."""

    def api(path):
        return lambda t: lambda: timed(t.port, path(t), {"Authorization": f"Token {t.admin_token}"})

    def page(path):
        return lambda t: lambda: timed(t.port, path(t), {"Cookie": t.session})

    q_sale = urllib.parse.quote(sale_fragment)
    q_name = urllib.parse.quote(name_fragment)
    return [
        ("dashboard/summary/?year=2023", api(lambda t: "/api/v1/dashboard/summary/?year=2023"), GOAL_DASHBOARD),
        (
            "the same with region (Zhaojue)",
            api(lambda t: f"/api/v1/dashboard/summary/?year=2023&region={t.zhaojue}"),
            GOAL_DASHBOARD,
        ),
        (
            "/dashboard/?year=2023&region=Zhaojue",
            page(lambda t: f"/dashboard/?year=2023&region={t.zhaojue}"),
            GOAL_DASHBOARD,
        ),
        ("annual report 2023 (in-process)", None, GOAL_REPORT),
        ("admin sales list", page(lambda t: "/admin/consumption/sale/"), GOAL_ADMIN),
        (f"admin sales search ?q={sale_fragment}", page(lambda t: f"/admin/consumption/sale/?q={q_sale}"), GOAL_ADMIN),
        (
            "admin sales month filter ?month=2023-06",
            page(lambda t: "/admin/consumption/sale/?month=2023-06"),
            GOAL_ADMIN,
        ),
        ("admin workers list", page(lambda t: "/admin/labor/worker/"), GOAL_ADMIN),
        ("admin workers year filter ?year=2023", page(lambda t: "/admin/labor/worker/?year=2023"), GOAL_ADMIN),
        (
            f"admin placements search ?q={name_fragment}",
            page(lambda t: f"/admin/labor/placement/?q={q_name}"),
            GOAL_ADMIN,
        ),
    ]


def concurrency(port: int, token: str, seconds: float, connections: int = 32) -> dict:
    """``connections`` threads asking the summary in a loop for ``seconds``; 30 s client timeout."""
    stop_at = time.monotonic() + seconds
    latencies, timeouts, errors = [], [0], [0]
    lock = threading.Lock()

    def loop():
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status, _body, _headers = request(
                    port, "/api/v1/dashboard/summary/?year=2023", {"Authorization": f"Token {token}"}, timeout=30
                )
            except TimeoutError:
                with lock:
                    timeouts[0] += 1
                continue
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                if status == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=loop) for _thread in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "connections": connections,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 2),
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "timeouts_30s": timeouts[0],
        "errors": errors[0],
    }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}"


def fmt(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 10 else f"{ms:.1f}"


def measure(runs: int, concurrency_seconds: float) -> dict:
    collect_static()
    targets = {key: Target(key) for key in DATABASES}
    sale_fragment = psql(
        "SELECT left(p.name, 2) FROM consumption_sale s JOIN consumption_product p ON p.id = s.product_id "
        "GROUP BY p.name ORDER BY count(*) DESC LIMIT 1",
        DATABASES["1x"],
    )
    name_fragment = psql(
        "SELECT left(name, 1) FROM labor_worker GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", DATABASES["1x"]
    )
    processes = []
    try:
        for target in targets.values():
            processes.append(start_gunicorn(target.port, target.database))
            processes.append(start_gunicorn(target.raw_port, target.database, app="scale:raw_app"))
        for target in targets.values():
            target.session = login(target.port, "admin", "admin-demo-2026")
        log(f"\nMedians of {runs} interleaved runs (1x, 100x, 1x, 100x...), after one warm-up each:\n")
        header = f"{'request':<48} {'1x ms':>8} {'100x ms':>9} {'ratio':>7} {'goal':>7}"
        log(header)
        log("-" * len(header))
        rows = []
        for label, make, goal in page_requests(targets, sale_fragment, name_fragment):
            if make is None:
                timers = {key: ReportTimer(target.database) for key, target in targets.items()}
                try:
                    small, large = interleaved(timers["1x"], timers["100x"], runs)
                finally:
                    for timer in timers.values():
                        timer.close()
            else:
                try:
                    small, large = interleaved(make(targets["1x"]), make(targets["100x"]), runs)
                # An error page, or no answer (gunicorn kills a worker after its 30 s timeout):
                # say so and go on with the others.
                except RuntimeError as exc:
                    rows.append({"request": label, "error": str(exc)[:300]})
                    log(f"{label:<48} {'error':>8}: {str(exc)[:120]}")
                    continue
            ratio = large / small
            rows.append(
                {
                    "request": label,
                    "1x_ms": round(small, 1),
                    "100x_ms": round(large, 1),
                    "ratio": round(ratio, 2),
                    "goal_max": goal,
                }
            )
            mark = "ok" if ratio <= goal else "MISSED"
            log(f"{label:<48} {fmt(small):>8} {fmt(large):>9} {ratio:>7.1f} {'<= ' + str(goal):>7} {mark}")

        floor = measure_floor(targets["1x"], runs)
        encoder = _raw_json()[0]
        log(f"\nAPI lists against the raw app (psycopg2 + {encoder}, same token check, exact count, same JSON),")
        log(f"page_size=100, medians of {runs} interleaved runs; ratio = raw ms / API ms (goal >= {GOAL_RAW}).")
        log(f"'{GOAL_RAW} leaves': raw ms / {GOAL_RAW} minus the API's floor after the token check, the time the goal")
        log("leaves the API for the list's own work (filters, count, page, rows, JSON); 'raw spends': raw ms minus")
        log("the raw app's floor after its token check, what the raw app itself takes for that work:\n")
        header = (
            f"{'list':<22} {'db':>5} {'API ms':>8} {'raw ms':>8} {'ratio':>7} {GOAL_RAW:>5} leaves {'raw spends':>11}"
        )
        log(header)
        log("-" * len(header))
        lists = []
        for kind, path in (("sales", "sales"), ("workers", "workers"), ("projects", "projects")):
            for key, target in targets.items():
                headers = {"Authorization": f"Token {target.api_token}"}
                api_path, raw_path = f"/api/v1/{path}/?page_size=100", f"/{kind}/?page_size=100"
                same = same_page(target, api_path, raw_path, headers)
                api_ms, raw_ms = interleaved(
                    lambda t=target, p=api_path, h=headers: timed(t.port, p, h),
                    lambda t=target, p=raw_path, h=headers: timed(t.raw_port, p, h),
                    runs,
                )
                ratio = raw_ms / api_ms
                leaves = raw_ms / GOAL_RAW - floor["api_ms"]
                spends = raw_ms - floor["raw_token_ms"]
                lists.append(
                    {
                        "list": f"/api/v1/{path}/",
                        "db": key,
                        "api_ms": round(api_ms, 1),
                        "raw_ms": round(raw_ms, 1),
                        "ratio": round(ratio, 2),
                        "goal_leaves_ms": round(leaves, 1),
                        "raw_spends_ms": round(spends, 1),
                        "same_json": same,
                    }
                )
                mark = "ok" if ratio >= GOAL_RAW else "MISSED"
                note = "" if same else "  (the raw page differs from the API's: see scale.json)"
                name = f"/api/v1/{path}/"
                log(
                    f"{name:<22} {key:>5} {fmt(api_ms):>8} {fmt(raw_ms):>8} {ratio:>7.2f} {fmt(leaves):>12} "
                    f"{fmt(spends):>11} {mark}{note}"
                )

        log(f"\n32 connections for {concurrency_seconds:.0f} s on dashboard/summary/?year=2023 (100x), 30 s timeout:")
        load = concurrency(targets["100x"].port, targets["100x"].admin_token, concurrency_seconds)
        log(
            f"  {load['requests']} answers, {load['requests_per_s']} requests/s, p50 {load['p50_ms']} ms, "
            f"{load['timeouts_30s']} timeouts, {load['errors']} errors (goal: 0 timeouts)"
        )
        return {
            "requests": rows,
            "floor": floor,
            "lists": lists,
            "json_encoder": encoder,
            "concurrency": load,
            "sale_search": sale_fragment,
            "placement_search": name_fragment,
        }
    finally:
        for process in processes:
            stop(process)


def measure_floor(target: Target, runs: int) -> dict:
    """What any answer costs before its own work, the portal's against the raw app's, both
    answering an empty page: without a query (``floor/django/``, ``/ping``), and after the
    token check (``floor/api/``: DRF with the API's authentication; ``/token/``)."""
    process = start_gunicorn(PORTS["floor"], target.database, settings="floor_settings")
    try:
        headers = {"Authorization": f"Token {target.api_token}"}

        def timer(port, path):
            return lambda: timed(port, path, headers)

        raw_ms, django_ms = interleaved(timer(target.raw_port, "/ping"), timer(PORTS["floor"], "/floor/django/"), runs)
        raw_token_ms, api_ms = interleaved(
            timer(target.raw_port, "/token/"), timer(PORTS["floor"], "/floor/api/"), runs
        )
    finally:
        stop(process)
    log(f"\nThe floor: an empty page, before any work of a list (1x, medians of {runs} interleaved runs):\n")
    header = f"{'answer':<48} {'raw ms':>8} {'portal ms':>10}"
    log(header)
    log("-" * len(header))
    log(f"{'without a query (/ping, floor/django/)':<48} {fmt(raw_ms):>8} {fmt(django_ms):>10}")
    log(f"{'after the token check (/token/, floor/api/)':<48} {fmt(raw_token_ms):>8} {fmt(api_ms):>10}")
    return {
        "raw_ms": round(raw_ms, 2),
        "django_ms": round(django_ms, 2),
        "raw_token_ms": round(raw_token_ms, 2),
        "api_ms": round(api_ms, 2),
    }


def same_page(target: Target, api_path: str, raw_path: str, headers: dict) -> bool:
    """Whether the raw app answers the API's page: the count and the results (``next`` aside)."""
    api = json.loads(request(target.port, api_path, headers)[1])
    raw = json.loads(request(target.raw_port, raw_path, headers)[1])
    return api["count"] == raw["count"] and api["results"] == raw["results"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs per request, 10 s of concurrency")
    parser.add_argument("--only-build", action="store_true", help="build the databases (when missing) and stop")
    parser.add_argument("--rebuild", action="store_true", help="build both databases again")
    parser.add_argument("--runs", type=int, help="runs per request (default 7, --quick 3)")
    parser.add_argument("--concurrency-seconds", type=float, help="default 60, --quick 10")
    parser.add_argument("--report-worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.report_worker:
        sys.path.insert(0, str(BASE_DIR))
        report_worker()
        return
    runs = options.runs or (3 if options.quick else 7)
    seconds = options.concurrency_seconds or (10 if options.quick else 60)
    started = datetime.datetime.now().astimezone()
    build_seconds = {key: build(key, options.rebuild) for key in DATABASES}
    sizes = {key: counts(name) for key, name in DATABASES.items()}
    for key, size in sizes.items():
        log(f"{DATABASES[key]}: {size}")
    if options.only_build:
        return
    results = measure(runs, seconds)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "date": started.isoformat(timespec="seconds"),
                "machine": machine(),
                "load_average_at_end": os.getloadavg(),
                "runs": runs,
                "build_seconds": build_seconds,
                "datasets": sizes,
                **results,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    log(f"\nWritten to {RESULTS.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
