"""``GET /api/v1/self-evaluation/?year=Y[&region=R]``: the year's self-evaluation draft (自评报告)
as a ``.docx`` (CONTRACT.md 1.1), written by :mod:`reports.self_evaluation`.

The parameters, the permissions and the scope rules are the summary's
(:class:`dashboard.api.views.DashboardSummaryView`): the same form, the same area, 400 with
the contract's error body on a bad year or region, 403 for a region outside the scope.
"""

from urllib.parse import quote

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from dashboard.api.query import query_area
from dashboard.permissions import CanReadSummary
from dashboard.selectors import DashboardArea
from reports.self_evaluation import DOCX_TYPE, province_of, self_evaluation_docx


class DocxRenderer(BaseRenderer):
    """Lets a client ask for the draft with ``Accept: <the .docx type>``; the view answers the
    file itself, and its errors are JSON whatever was asked for (see ``finalize_response``)."""

    media_type = DOCX_TYPE
    format = "docx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def attachment_disposition(filename: str, ascii_filename: str) -> str:
    """``attachment`` with the Chinese name (RFC 5987 ``filename*``) and an ASCII fallback for
    clients that read only ``filename``."""
    return f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename)}"


def wider_region(area: DashboardArea):
    """The province around the region shown, when the user may read its figures (an unscoped
    user, or a scope that holds the province): the draft puts the region's sales in its context."""
    province = province_of(area.region) if area.region is not None and not area.whole_scope else None
    return province if province is not None and area.scope.contains(province) else None


class SelfEvaluationView(APIView):
    """The self-evaluation draft of a year and region, in Chinese, as a Word document.

    A scoped user: a ``region`` outside the scope is 403; without one, the user's one scope
    region, or the figures of the whole scope (without targets) when it holds several.
    """

    permission_classes = [CanReadSummary]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, DocxRenderer]

    @extend_schema(
        operation_id="self_evaluation",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True, description="Calendar year (2000-2100)."),
            OpenApiParameter(
                "region",
                OpenApiTypes.INT,
                required=False,
                description="A region's id, or its GB/T 2260 division code, as in dashboard/summary/. For a user "
                "with a scope: a region within the scope (else 403); without it, the user's one scope region, "
                "or the whole scope without targets.",
            ),
        ],
        responses={
            (200, DOCX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The draft (.docx, Chinese)"),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad parameter"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="No permission, or a region outside the scope"),
        },
    )
    def get(self, request):
        form, area = query_area(request)
        draft = self_evaluation_docx(
            year=form.cleaned_data["year"], region=area.region, figures=area.figures, wider=wider_region(area)
        )
        response = HttpResponse(draft.content, content_type=draft.content_type)
        response["Content-Disposition"] = attachment_disposition(draft.filename, draft.ascii_filename)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # An error body is JSON even for a client that asked for the document only.
        if isinstance(response, Response) and isinstance(getattr(request, "accepted_renderer", None), DocxRenderer):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
