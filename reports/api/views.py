"""The reports endpoint: list, read, ask for one (202), download its workbook."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperation.api.base import ProgrammeViewSet
from reports import crosscheck, selectors, services
from reports.api.serializers import DeclarationSerializer, ReportRequestSerializer, ReportSerializer
from reports.filtersets import DeclarationFilterSet, ReportFilterSet
from reports.services import XLSX_TYPE


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Reports are written by the service only: POST queues one, a second POST for the same
    kind, period and region regenerates it; there is no update or delete through the API.

    A scoped user lists, reads and downloads only the reports of regions within the scope
    (another is 404) and asks only for those (CONTRACT.md 1.1)."""

    queryset = selectors.report_list()
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    search_fields = ["kind", "status"]
    ordering_fields = ["id", "kind", "period_start", "generated_at", "status"]
    ordering = ["-period_start", "kind"]

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportSerializer})
    def create(self, request, *args, **kwargs):
        data = ReportRequestSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        report = services.report_request(**data.validated_data, user=request.user)
        body = ReportSerializer(report, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={(200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY), 404: OpenApiResponse(description="No file")}
    )
    @action(detail=True, methods=["get"], url_path="file", url_name="file")
    def download(self, request, pk=None):
        """The report's workbook (``.xlsx``), for whoever may view reports and has it in scope."""
        report = self.get_object()
        if not report.file:
            raise Http404
        try:
            handle = report.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=report.file_name(), content_type=XLSX_TYPE)


class DeclarationViewSet(ProgrammeViewSet):
    """Declarations, scoped like every record; locked with the year's last approved month (a
    write is 400 naming ``year``, a delete 400 ``non_field_errors``)."""

    queryset = crosscheck.declaration_list()
    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilterSet
    search_fields = ["indicator", "note", "region__name", "region__code"]
    ordering_fields = ["id", "year", "indicator", "region", "side", "value"]
