"""The embedded PostgreSQL used when ``DATABASE_URL`` is unset.

pgserver ships PostgreSQL 16 binaries on PyPI. The server keeps its data under ``var/pg`` and
keeps running after the process that started it exits (``cleanup_mode=None``), so that
``manage.py`` commands, the test run and ``make run`` all share one server; ``make run``
stops it on Ctrl-C through :func:`stop_embedded_postgres`.
"""

import logging
import warnings
from pathlib import Path

DATABASE_NAME = "cooperation"


def _server(pgdata: Path):
    # platformdirs warns about XDG_RUNTIME_DIR on servers; the fallback it picks is fine.
    warnings.filterwarnings("ignore", module="platformdirs")
    # pgserver logs from an atexit hook, after test runners have closed their streams.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    import pgserver

    pgdata.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(pgdata, cleanup_mode=None)


def embedded_database_settings(pgdata: Path) -> dict:
    """Start (or reuse) the embedded server and return Django's settings for its database."""
    server = _server(pgdata)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - constant
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(socket_dir),
        "PORT": "",
    }


def stop_embedded_postgres(pgdata: Path) -> None:
    """Stop the embedded server if it runs; the data stays for the next start.

    pgserver would stop it only when the last process that opened it lets go, and a worker
    killed by a signal never lets go; ``make run`` started the server, so it stops it outright.
    """
    if not (pgdata / "postmaster.pid").exists():
        return
    server = _server(pgdata)
    from pgserver._commands import pg_ctl

    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=server.system_user)
