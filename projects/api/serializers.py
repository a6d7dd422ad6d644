"""Serializers of projects, funds and investments (contract fields first, then extras)."""

from rest_framework import serializers

from cooperation.api.base import ProgrammeSerializer
from projects.models import (
    Disbursement,
    EquityDividend,
    EquityInvestment,
    FundAllocation,
    Investment,
    OutcomeMeasure,
    ProgressAttachment,
    ProgressReport,
    Project,
)

PROJECT_CONTRACT_FIELDS = [
    "id",
    "code",
    "name",
    "category",
    "year",
    "status",
    "region",
    "implementer",
    "budget",
    "started_on",
    "completed_on",
    "beneficiaries",
    "beneficiaries_poverty_alleviated",
]
PROJECT_EXTRA_FIELDS = [
    "description",
    "beneficiary_households",
    "benefits_dividends",
    "benefits_jobs",
    "benefits_purchases",
    "benefits_other",
]
PROJECT_TOTALS = ["allocated_total", "disbursed_total", "disbursement_rate"]


class ProjectSerializer(ProgrammeSerializer):
    """A project with its all-time allocated and disbursed totals (read-only, from ``project_list``)."""

    allocated_total = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    disbursed_total = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    disbursement_rate = serializers.DecimalField(
        max_digits=9,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text="Disbursed / allocated, 0 to 1; null without allocations.",
    )

    class Meta:
        model = Project
        fields = PROJECT_CONTRACT_FIELDS + PROJECT_EXTRA_FIELDS + PROJECT_TOTALS


class FundAllocationSerializer(ProgrammeSerializer):
    class Meta:
        model = FundAllocation
        fields = ["id", "project", "year", "source", "amount", "allocated_on", "document", "note"]


class DisbursementSerializer(ProgrammeSerializer):
    class Meta:
        model = Disbursement
        fields = ["id", "project", "amount", "paid_on", "payee", "voucher", "note"]


class EquityDividendSerializer(ProgrammeSerializer):
    class Meta:
        model = EquityDividend
        fields = ["id", "equity", "year", "paid_on", "to_collectives", "to_households", "households"]


class EquityInvestmentSerializer(ProgrammeSerializer):
    class Meta:
        model = EquityInvestment
        fields = ["id", "project", "investee", "amount", "invested_on", "share_percent", "note"]


class ProgressAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressAttachment
        fields = ["id", "title", "file"]
        read_only_fields = fields


class ProgressReportSerializer(ProgrammeSerializer):
    attachments = ProgressAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "reported_on", "percent_complete", "note", "attachments"]


class OutcomeMeasureSerializer(ProgrammeSerializer):
    class Meta:
        model = OutcomeMeasure
        fields = ["id", "project", "name", "unit", "baseline", "target", "current", "measured_on"]


class _NestedEquitySerializer(serializers.ModelSerializer):
    dividends = EquityDividendSerializer(many=True, read_only=True)

    class Meta:
        model = EquityInvestment
        fields = ["id", "investee", "amount", "invested_on", "share_percent", "note", "dividends"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    """The project with everything a client needs on one page (nested lists are read-only;
    write them through their own endpoints)."""

    allocations = FundAllocationSerializer(many=True, read_only=True)
    disbursements = DisbursementSerializer(many=True, read_only=True)
    equity_investments = _NestedEquitySerializer(many=True, read_only=True)
    progress_reports = ProgressReportSerializer(many=True, read_only=True)
    outcomes = OutcomeMeasureSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "allocations",
            "disbursements",
            "equity_investments",
            "progress_reports",
            "outcomes",
        ]


class InvestmentSerializer(ProgrammeSerializer):
    class Meta:
        model = Investment
        fields = [
            "id",
            "enterprise",
            "year",
            "amount",
            "output_value",
            "jobs_created",
            "jobs_poverty_alleviated",
            "east_parent",
            "sector",
            "project",
            "note",
        ]
