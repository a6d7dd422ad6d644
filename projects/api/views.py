"""Endpoints of projects, funds and investments. Writes with cross-row rules go through services."""

from django.db.models import Prefetch

from cooperation.api.base import ProgrammeViewSet
from projects import selectors, services
from projects.api import serializers
from projects.filtersets import (
    DisbursementFilterSet,
    EquityDividendFilterSet,
    EquityInvestmentFilterSet,
    FundAllocationFilterSet,
    InvestmentFilterSet,
    OutcomeMeasureFilterSet,
    ProgressReportFilterSet,
    ProjectFilterSet,
)
from projects.models import Disbursement, EquityInvestment, FundAllocation, ProgressReport


class ProjectViewSet(ProgrammeViewSet):
    queryset = selectors.project_list()
    serializer_class = serializers.ProjectSerializer
    create_service = services.project_create
    update_service = services.project_update
    filterset_class = ProjectFilterSet
    search_fields = ["code", "name"]
    ordering_fields = [
        "id",
        "code",
        "name",
        "year",
        "status",
        "category",
        "budget",
        "started_on",
        "completed_on",
        "allocated_total",
        "disbursed_total",
        "disbursement_rate",
    ]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ProjectDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("allocations", queryset=FundAllocation.objects.order_by("allocated_on", "id")),
                Prefetch("disbursements", queryset=Disbursement.objects.order_by("paid_on", "id")),
                Prefetch(
                    "equity_investments",
                    queryset=EquityInvestment.objects.order_by("invested_on", "id").prefetch_related("dividends"),
                ),
                Prefetch(
                    "progress_reports",
                    queryset=ProgressReport.objects.order_by("reported_on", "id").prefetch_related("attachments"),
                ),
                "outcomes",
            )
        return qs


class FundAllocationViewSet(ProgrammeViewSet):
    queryset = selectors.fund_allocation_list()
    serializer_class = serializers.FundAllocationSerializer
    create_service = services.fund_allocation_create
    update_service = services.fund_allocation_update
    delete_service = services.fund_allocation_delete
    filterset_class = FundAllocationFilterSet
    search_fields = ["project__code", "project__name", "document", "note"]
    ordering_fields = ["id", "year", "amount", "allocated_on", "source"]


class DisbursementViewSet(ProgrammeViewSet):
    queryset = selectors.disbursement_list()
    serializer_class = serializers.DisbursementSerializer
    create_service = services.disbursement_create
    update_service = services.disbursement_update
    delete_service = services.disbursement_delete
    filterset_class = DisbursementFilterSet
    search_fields = ["project__code", "project__name", "payee", "voucher", "note"]
    ordering_fields = ["id", "amount", "paid_on"]


class EquityInvestmentViewSet(ProgrammeViewSet):
    queryset = selectors.equity_investment_list()
    serializer_class = serializers.EquityInvestmentSerializer
    filterset_class = EquityInvestmentFilterSet
    search_fields = ["project__code", "investee__name", "note"]
    ordering_fields = ["id", "amount", "invested_on"]


class EquityDividendViewSet(ProgrammeViewSet):
    queryset = selectors.equity_dividend_list()
    serializer_class = serializers.EquityDividendSerializer
    filterset_class = EquityDividendFilterSet
    search_fields = ["equity__investee__name", "equity__project__code"]
    ordering_fields = ["id", "year", "paid_on", "to_collectives", "to_households"]


class ProgressReportViewSet(ProgrammeViewSet):
    queryset = selectors.progress_report_list().prefetch_related("attachments")
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    search_fields = ["project__code", "note"]
    ordering_fields = ["id", "reported_on", "percent_complete"]


class OutcomeMeasureViewSet(ProgrammeViewSet):
    queryset = selectors.outcome_list()
    serializer_class = serializers.OutcomeMeasureSerializer
    filterset_class = OutcomeMeasureFilterSet
    search_fields = ["name", "project__code"]
    ordering_fields = ["id", "name", "measured_on"]


class InvestmentViewSet(ProgrammeViewSet):
    queryset = selectors.investment_list()
    serializer_class = serializers.InvestmentSerializer
    filterset_class = InvestmentFilterSet
    search_fields = ["enterprise__name", "east_parent__name", "note"]
    ordering_fields = ["id", "year", "amount", "output_value", "jobs_created"]
