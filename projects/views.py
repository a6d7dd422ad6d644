"""File downloads of the projects app (attachments are not public media)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated

from cooperation.api.parsers import unstorable_text_message
from cooperation.scopes import scoped
from projects import selectors


@extend_schema(exclude=True)  # a file download linked from the records, not an API resource
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def attachment_download(request, name: str):
    """A progress report's attachment, for whoever may view progress reports and has the
    project's region in their scope (CONTRACT.md 1.1; outside it the file does not exist: 404).

    A DRF view, so that API clients authenticate with their token and browsers with their
    session; anonymous requests get 401, users without the permission 403.
    """
    if not request.user.has_perm("projects.view_progressreport"):
        raise PermissionDenied
    if unstorable_text_message(name):
        # No stored file is named with a NUL (PostgreSQL refuses one in a query); the
        # middleware answers this first, the check keeps the view safe on its own.
        raise Http404
    attachment = get_object_or_404(scoped(selectors.progress_attachment_list(), request.user), file=name)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=Path(name).name)
