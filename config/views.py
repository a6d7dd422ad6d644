"""Project-wide views: the health check, and the error pages (JSON under ``/api/``)."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework import exceptions as drf_exceptions

from config.celery import app as celery_app
from cooperation.api.exceptions import DATABASE_UNAVAILABLE, body_too_large_body, database_unavailable_body


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the Celery broker answer; 503 naming what is down otherwise."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    down = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "ok" if not down else "unavailable",
        "checks": {k: "ok" if v else "down" for k, v in checks.items()},
    }
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)


# The URLconf's error handlers (``handler400``... in ``config.urls``): what Django answers
# for errors that no view turned into a response (unknown paths, errors raised in middleware or
# outside DRF's views, bodies over DATA_UPLOAD_MAX_MEMORY_SIZE). Under /api/ the answer is JSON
# in DRF's format, ``{"detail": "..."}``; everywhere else Django's own pages.


def is_api_request(request) -> bool:
    return request.path_info == "/api" or request.path_info.startswith("/api/")


def api_error(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception=None):
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return api_error(body_too_large_body(), 400)
    return api_error({"detail": drf_exceptions.ParseError.default_detail}, 400)


def permission_denied(request, exception=None):
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    return api_error({"detail": drf_exceptions.PermissionDenied.default_detail}, 403)


def page_not_found(request, exception=None):
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return api_error({"detail": drf_exceptions.NotFound.default_detail}, 404)


def server_error(request):
    if not is_api_request(request):
        return defaults.server_error(request)
    # Django calls this handler while handling the exception: it is still the current one.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return api_error(database_unavailable_body(), 503)
    return api_error({"detail": drf_exceptions.APIException.default_detail}, 500)
