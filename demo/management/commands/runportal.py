"""``make run``: migrate, load the demo data once, then serve with a Celery worker and beat.

Ctrl-C stops every process this command started, and the embedded PostgreSQL when it is the
one in use; a second run reuses the data under ``var/``.
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from cooperation.embedded_db import stop_embedded_postgres


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
        if not no_seed and not marker.exists():
            if "seed_demo" in get_commands():
                self.stdout.write("Loading the demo data (first start only)...")
                call_command("seed_demo")
                marker.write_text(time.strftime("%Y-%m-%d %H:%M:%S\n"))
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
            self.style.SUCCESS(f"Portal on {served_url(addrport)} (admin: /admin/, API: /api/v1/, docs: /api/docs/).")
        )
        self.stdout.write("Press Ctrl-C to stop the web server, the Celery worker and beat.")

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
                        self.stderr.write(f"{name} exited with code {process.returncode}; stopping.")
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
            self.stdout.write("Stopped.")


def _embedded() -> bool:
    return settings.EMBEDDED_DATABASE
