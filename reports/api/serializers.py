"""Serializers of the reports endpoint."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.base import ProgrammeSerializer, ScopedPrimaryKeyRelatedField
from cooperation.models import Region
from indicators.serializers import IndicatorSerializer
from reports.choices import ReportKind
from reports.models import Declaration, Report
from reports.selectors import report_indicator_rows


class ReportSerializer(serializers.ModelSerializer):
    """A report as the contract lists it; ``region`` is null for the whole programme; ``file`` is
    the permission-checked download URL."""

    indicators = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "region",
            "period_start",
            "period_end",
            "status",
            "generated_at",
            "indicators",
            "file",
            "error",
        ]
        read_only_fields = fields

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, report):
        return report_indicator_rows(report)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file(self, report):
        if not report.file:
            return None
        url = reverse("report-file", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ReportRequestSerializer(serializers.Serializer):
    """``POST {kind, period_start, region}``: the period and the region's place in the user's
    scope are checked by the service (400 naming the field). A region the user may not read is
    "does not exist", as for every reference."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    period_start = serializers.DateField()
    # Absent or null: the whole programme, or for a user with one scope region that region.
    region = ScopedPrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, allow_null=True)


class DeclarationSerializer(ProgrammeSerializer):
    """A side's declared figure (CONTRACT.md 1.1); ``value`` in the indicator's unit (yuan for
    money, as a decimal string like every amount)."""

    class Meta:
        model = Declaration
        fields = ["id", "year", "indicator", "region", "side", "value", "note"]
