"""One error format for the whole API: 400 with ``{"field": ["message", ...]}``, never a 500
for bad input.

Model rules raise Django's ``ValidationError`` (from ``clean()``, constraints and services);
they are turned into the same 400 body that DRF's own validation produces. A body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 400 like a malformed one, and a database that cannot be
reached a 503: both ``{"detail": "..."}``, DRF's format for errors about the request as a whole.
The same answers for errors raised outside DRF's views come from the URLconf's handlers
(``config.views``).
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from cooperation.constraints import integrity_error

logger = logging.getLogger(__name__)

# Lost or refused connections, timeouts: the request may succeed later.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable_body() -> dict:
    return {"detail": _("The database is unavailable; please try again later.")}


def body_too_large_body() -> dict:
    size = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).replace("\xa0", " ")
    return {"detail": _("The request body is larger than %(size)s.") % {"size": size}}


def django_error_detail(exc: DjangoValidationError) -> dict:
    """The contract's error body for a Django ValidationError."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(django_error_detail(exc))
    elif isinstance(exc, IntegrityError):
        # The race in which two requests pass validation at once and a constraint refuses the
        # second: the field and message of that constraint (cooperation.constraints).
        exc = ValidationError(django_error_detail(integrity_error(exc)))
    elif isinstance(exc, RequestDataTooBig):
        logging.getLogger("django.security.RequestDataTooBig").warning("%s", exc)
        return Response(body_too_large_body(), status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DATABASE_UNAVAILABLE):
        logger.error("Database unavailable: %s", exc, exc_info=exc)
        return Response(database_unavailable_body(), status=status.HTTP_503_SERVICE_UNAVAILABLE)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        return Response(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    _("This record is still referred to by other records and cannot be deleted.")
                ]
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
