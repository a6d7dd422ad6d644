"""The production profile: passes ``check --deploy`` and refuses to start without its secrets."""

import os
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "p7Kq2vXz9LmN4bRt8YwE1sUc6HjF3gDa0oIeQyTuWpZxCvBn5MkLjHgFdSaQwErTy",
    "PERSONAL_DATA_KEY": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "portal.example.gov.cn",
}


def _manage(*args, **env):
    environment = {**os.environ, **PRODUCTION, **env}
    for name, value in env.items():
        if value is None:
            environment.pop(name)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_personal_data_key_that_cannot_encrypt():
    result = _manage("check", PERSONAL_DATA_KEY="not-a-key")
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEY" in result.stderr


LANGUAGE_COOKIE_PROBE = """
from django.conf import settings
from django.test import Client

response = Client().post(
    "/i18n/setlang/", {"language": "en", "next": "/dashboard/"}, secure=True, HTTP_HOST="portal.example.gov.cn"
)
cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
print(response.status_code, bool(cookie["secure"]), bool(cookie["httponly"]), cookie["samesite"])
"""


def test_production_language_cookie_is_secure():
    result = _manage("shell", "--no-imports", "-c", LANGUAGE_COOKIE_PROBE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == ["302", "True", "True", "Lax"]
