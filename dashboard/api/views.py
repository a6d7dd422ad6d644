"""``GET /api/v1/dashboard/summary/?year=Y[&region=R]``: every indicator against its target."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard.api.serializers import SummarySerializer
from dashboard.forms import DashboardQueryForm
from dashboard.permissions import CanReadSummary
from indicators.formatting import indicator_payload
from indicators.selectors import indicator_summary


class DashboardSummaryView(APIView):
    """The contract's summary: each indicator of the registry, in order, with its target of
    exactly (year, indicator, region) and the completion rounded half-up to 4 places."""

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
                "same digits). Figures count that region and everything below it; echoed back as given.",
            ),
        ],
        responses={200: SummarySerializer, 400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad parameter")},
    )
    def get(self, request):
        form = DashboardQueryForm(data=request.query_params)
        if not form.is_valid():
            raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
        summary = indicator_summary(year=form.cleaned_data["year"], region=form.cleaned_data["region"])
        return Response(
            {
                "year": summary["year"],
                "region": form.region_as_given(),
                "indicators": [indicator_payload(row) for row in summary["indicators"]],
            }
        )
