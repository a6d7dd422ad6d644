"""The error pages of every URL (JSON under ``/api/``), used by the URLconf's handlers and by
the middleware."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions as drf_exceptions

from cooperation.api.exceptions import DATABASE_UNAVAILABLE, body_too_large_body, database_unavailable_body

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
