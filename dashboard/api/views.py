"""``GET /api/v1/dashboard/summary/?year=Y[&region=R]``: every indicator against its target."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard.api.query import query_area
from dashboard.api.serializers import SummarySerializer
from dashboard.permissions import CanReadSummary
from indicators.formatting import indicator_payload
from indicators.selectors import indicator_summary


class DashboardSummaryView(APIView):
    """The contract's summary: each indicator of the registry, in order, with its target of
    exactly (year, indicator, region) and the completion rounded half-up to 4 places.

    A scoped user (CONTRACT.md 1.1): a ``region`` outside the scope is 403; without one, the
    user's one scope region (echoed as ``region``), or the figures of the whole scope with
    ``region`` and every ``target`` and ``completion`` null when the scope holds several.
    """

    permission_classes = [CanReadSummary]

    @extend_schema(
        operation_id="dashboard_summary",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True, description="Calendar year (2000-2100)."),
            OpenApiParameter(
                "region",
                OpenApiTypes.INT,
                required=False,
                description="A region's id, or its GB/T 2260 division code (a code wins over an id with the "
                "same digits). Figures count that region and everything below it; echoed back as given. "
                "For a user with a scope: a region within the scope (else 403); without it, the user's one "
                "scope region (echoed as its id), or the whole scope with region and targets null.",
            ),
        ],
        responses={
            200: SummarySerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad parameter"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="No permission, or a region outside the scope"),
        },
    )
    def get(self, request):
        form, area = query_area(request)
        summary = indicator_summary(year=form.cleaned_data["year"], region=area.figures)
        if form.cleaned_data["region"] is not None:
            region = form.region_as_given()
        else:
            region = area.region.pk if area.region is not None else None
        return Response(
            {
                "year": summary["year"],
                "region": region,
                "indicators": [indicator_payload(row) for row in summary["indicators"]],
            }
        )
