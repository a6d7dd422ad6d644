"""``make run``: migrate, load the demo data once, then serve with a Celery worker and beat.

Ctrl-C stops every process this command started, and the embedded PostgreSQL when it is the
one in use; a second run reuses the data under ``var/``.
"""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.translation import gettext as _

from cooperation.embedded_db import stop_embedded_postgres

# The demo data's version. Raise it when ``seed_demo`` gains records that a portal started
# before should receive on its next start (2: the second, fictitious pair and the 2024 targets
# of the roll-up; 3: demo months without warnings, the projects running at the report's date
# completed since, the medical teams' stays ended with the hospitals' statistics, and the
# county-wide teacher trainings held for Zhaojue, whose 538 trainee-times the report counts).
# ``seed_demo`` creates only what is missing, so loading again adds them and leaves every stored
# record as it is: what version 3 changes are fields of stored records (statuses, end dates),
# which a database loaded before keeps until var/ is deleted.
DEMO_DATA_VERSION = 3
_VERSION_LINE = re.compile(r"^version (\d+)$", re.MULTILINE)


def loaded_demo_version(marker: Path) -> int:
    """The demo data version ``marker`` records: 0 when no demo data was loaded, 1 for the
    markers written before versions were (they hold the date only)."""
    if not marker.exists():
        return 0
    found = _VERSION_LINE.search(marker.read_text())
    return int(found.group(1)) if found else 1


def served_url(addrport: str) -> str:
    """The address a browser opens for runserver's ``addrport`` ("8001", "0.0.0.0:8000",
    "[::1]:8000"): a bare port is served on 127.0.0.1, all interfaces are reached on it too."""
    host, _, port = addrport.rpartition(":")
    if not host:
        host = "127.0.0.1"
    if host in ("0.0.0.0", "0", "[::]"):  # noqa: S104 - naming runserver's "all interfaces"
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Run the portal on 127.0.0.1:8000 with a Celery worker and beat (what `make run` does)."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-seed", action="store_true", help="Do not load the demo data.")

    def handle(self, *args, addrport, no_seed, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=1)
        marker = settings.VAR_DIR / "demo-data-loaded"
        loaded = loaded_demo_version(marker)
        if not no_seed and loaded < DEMO_DATA_VERSION and "seed_demo" in get_commands():
            self._load_demo_data(marker, upgrade=loaded > 0)
        call_command("create_demo_users")

        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addrport, "--noreload"],
            "worker": [python, "-m", "celery", "-A", "config", "worker", "-l", "info", "--concurrency", "2"],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(settings.VAR_DIR / "celerybeat-schedule"),
            ],
        }
        processes = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR) for name, cmd in commands.items()}
        self.stdout.write(
            self.style.SUCCESS(
                _("Portal on %(url)s (admin: /admin/, dashboard: /dashboard/, API: /api/v1/, docs: /api/docs/).")
                % {"url": served_url(addrport)}
            )
        )
        self.stdout.write(_("Press Ctrl-C to stop the web server, the Celery worker and beat."))

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(
                            _("%(name)s exited with code %(code)s; stopping.")
                            % {"name": name, "code": process.returncode}
                        )
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            if _embedded():
                stop_embedded_postgres(settings.VAR_DIR / "pg")
            self.stdout.write(_("Stopped."))

    def _load_demo_data(self, marker: Path, *, upgrade: bool) -> None:
        if not upgrade:
            self.stdout.write(_("Loading the demo data (first start only)..."))
            call_command("seed_demo")
        else:
            self.stdout.write(
                _("Adding the records of demo data version %(version)d (stored records stay as they are)...")
                % {"version": DEMO_DATA_VERSION}
            )
            try:
                call_command("seed_demo")
            except (DatabaseError, ValidationError, ValueError) as exc:
                # Staff may have edited the demo records so that the new ones no longer fit
                # (a renamed organisation's credit code, say). Nothing was written: serve the
                # data as it stands rather than refuse to start.
                self.stderr.write(
                    _("The demo data could not be updated (%(error)s); delete var/ to start afresh.") % {"error": exc}
                )
                return
        marker.write_text(f"version {DEMO_DATA_VERSION}\n{time.strftime('%Y-%m-%d %H:%M:%S')}\n")


def _embedded() -> bool:
    return settings.EMBEDDED_DATABASE
