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

    def _reload(self, project):
        # The response shows the annotated totals, which a freshly saved instance lacks.
        return selectors.project_list().get(pk=project.pk)

    def perform_create(self, serializer):
        serializer.instance = self._reload(services.project_create(**serializer.validated_data))

    def perform_update(self, serializer):
        project = services.project_update(project=serializer.instance, **serializer.validated_data)
        serializer.instance = self._reload(project)


class FundAllocationViewSet(ProgrammeViewSet):
    queryset = selectors.fund_allocation_list()
    serializer_class = serializers.FundAllocationSerializer
    filterset_class = FundAllocationFilterSet
    search_fields = ["project__code", "project__name", "document", "note"]
    ordering_fields = ["id", "year", "amount", "allocated_on", "source"]

    def perform_create(self, serializer):
        serializer.instance = services.fund_allocation_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.fund_allocation_update(
            allocation=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.fund_allocation_delete(allocation=instance)


class DisbursementViewSet(ProgrammeViewSet):
    queryset = selectors.disbursement_list()
    serializer_class = serializers.DisbursementSerializer
    filterset_class = DisbursementFilterSet
    search_fields = ["project__code", "project__name", "payee", "voucher", "note"]
    ordering_fields = ["id", "amount", "paid_on"]

    def perform_create(self, serializer):
        serializer.instance = services.disbursement_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.disbursement_update(
            disbursement=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.disbursement_delete(disbursement=instance)


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
