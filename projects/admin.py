"""Admin screens of projects, funds and investments.

Thin: querysets come from the selectors and saves go through the services. The project page
edits allocations, disbursements, equity, progress and outcomes inline; before anything is
saved its inline forms are checked together against the no-overspend rule, and the save itself
runs with the project row locked and is checked once more (a concurrent API write could slip in
between the two; then nothing is saved and the page says why).
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import ProgrammeAdmin
from projects import selectors, services
from projects.filtersets import (
    DisbursementFilterSet,
    EquityInvestmentFilterSet,
    FundAllocationFilterSet,
    InvestmentFilterSet,
    ProgressReportFilterSet,
    ProjectFilterSet,
)
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
from projects.resources import FundAllocationResource, ProjectResource


def _formset_total(formset) -> Decimal:
    """The amounts a bound inline formset would leave stored (deleted rows excluded)."""
    total = Decimal("0")
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or data.get("amount") is None:
            continue
        total += data["amount"]
    return total


class DisbursementFormSet(BaseInlineFormSet):
    """Checks the page's disbursements against the page's allocations, both as edited."""

    sibling_formsets = ()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        allocations = next((fs for fs in self.sibling_formsets if fs.model is FundAllocation), None)
        if allocations is None:
            allocated = selectors.project_allocated_total(self.instance.pk) if self.instance.pk else Decimal("0")
        elif allocations.is_valid():
            allocated = _formset_total(allocations)
        else:
            return  # the allocation forms show their own errors first
        disbursed = _formset_total(self)
        if disbursed > allocated:
            raise ValidationError(
                _("Disbursements would total %(disbursed)s yuan, more than the allocations of %(allocated)s yuan.")
                % {"disbursed": disbursed, "allocated": allocated}
            )


class FundAllocationInline(admin.TabularInline):
    model = FundAllocation
    extra = 0
    fields = ["year", "source", "amount", "allocated_on", "document", "note"]


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    formset = DisbursementFormSet
    extra = 0
    fields = ["amount", "paid_on", "payee", "voucher", "note"]


class EquityInvestmentInline(admin.TabularInline):
    model = EquityInvestment
    extra = 0
    fields = ["investee", "amount", "invested_on", "share_percent", "note"]
    autocomplete_fields = ["investee"]
    show_change_link = True  # dividends are edited on the investment's own page


class ProgressReportInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    fields = ["reported_on", "percent_complete", "note"]
    show_change_link = True  # attachments are added on the report's own page


class OutcomeMeasureInline(admin.TabularInline):
    model = OutcomeMeasure
    extra = 0
    fields = ["name", "unit", "baseline", "target", "current", "measured_on"]


class SafeSaveMixin:
    """Turns a rule broken at save or delete time (a race with another writer, an allocation
    already spent) into a message on the page instead of a server error; the transaction of
    the whole page has been rolled back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Project)
class ProjectAdmin(SafeSaveMixin, ProgrammeAdmin):
    filterset_class = ProjectFilterSet
    resource_classes = [ProjectResource]
    list_display = ["code", "name", "year", "category", "status", "region", "allocated", "disbursed", "rate"]
    list_filter = ["year", "status", "category"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region", "implementer"]
    inlines = [
        FundAllocationInline,
        DisbursementInline,
        EquityInvestmentInline,
        ProgressReportInline,
        OutcomeMeasureInline,
    ]
    fieldsets = [
        (None, {"fields": ["code", "name", "category", "year", "status", "region", "implementer", "budget"]}),
        (_("Dates"), {"fields": ["started_on", "completed_on"]}),
        (
            _("Beneficiaries and benefit links"),
            {
                "fields": [
                    "beneficiary_households",
                    "beneficiaries",
                    "beneficiaries_poverty_alleviated",
                    "benefits_dividends",
                    "benefits_jobs",
                    "benefits_purchases",
                    "benefits_other",
                ]
            },
        ),
        (_("Description"), {"fields": ["description"]}),
    ]

    def get_queryset(self, request):
        return selectors.project_list()

    @admin.display(description=_("allocated (yuan)"), ordering="allocated_total")
    def allocated(self, obj):
        return obj.allocated_total

    @admin.display(description=_("disbursed (yuan)"), ordering="disbursed_total")
    def disbursed(self, obj):
        return obj.disbursed_total

    @admin.display(description=_("disbursement rate"), ordering="disbursement_rate")
    def rate(self, obj):
        rate = selectors.project_rate(obj)
        return "-" if rate is None else f"{rate * 100:.1f}%"

    def _create_formsets(self, request, obj, change):
        # Let the disbursement inline see the allocation inline as edited on the same page.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        for formset in formsets:
            formset.sibling_formsets = formsets
        return formsets, inline_instances

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        services.project_save(project=obj)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            project = services.lock_project(form.instance.pk)
            super().save_related(request, form, formsets, change)
            services.check_funds(project=project)


class MoneyRowForm(forms.ModelForm):
    """Checks the no-overspend rule on the form, to show it on the page; the service checks it
    again with the project locked when saving."""

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the submitted values
        if self.errors:
            return
        try:
            self.check_funds(self.instance)
        except ValidationError as exc:
            self.add_error(None, exc)

    def check_funds(self, instance):
        raise NotImplementedError


class FundAllocationForm(MoneyRowForm):
    class Meta:
        model = FundAllocation
        fields = ["project", "year", "source", "amount", "allocated_on", "document", "note"]

    def check_funds(self, instance):
        services.fund_allocation_check(allocation=instance)


class DisbursementForm(MoneyRowForm):
    class Meta:
        model = Disbursement
        fields = ["project", "amount", "paid_on", "payee", "voucher", "note"]

    def check_funds(self, instance):
        services.disbursement_check(disbursement=instance)


class ServiceDeleteMixin:
    """Deletes through the service, one record at a time, so that the rule is kept."""

    def delete_service(self, obj):
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_service(obj)

    def delete_queryset(self, request, queryset):
        try:
            with transaction.atomic():
                for obj in queryset:
                    self.delete_service(obj)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)


@admin.register(FundAllocation)
class FundAllocationAdmin(SafeSaveMixin, ServiceDeleteMixin, ProgrammeAdmin):
    filterset_class = FundAllocationFilterSet
    form = FundAllocationForm
    resource_classes = [FundAllocationResource]
    list_display = ["project", "year", "source", "amount", "allocated_on", "document"]
    list_filter = ["year", "source"]
    search_fields = ["project__code", "project__name", "document"]
    autocomplete_fields = ["project"]
    date_hierarchy = "allocated_on"

    def delete_service(self, obj):
        services.fund_allocation_delete(allocation=obj)

    def get_queryset(self, request):
        return selectors.fund_allocation_list()

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        services.fund_allocation_save(allocation=obj)


@admin.register(Disbursement)
class DisbursementAdmin(SafeSaveMixin, ServiceDeleteMixin, ProgrammeAdmin):
    filterset_class = DisbursementFilterSet
    form = DisbursementForm
    list_display = ["project", "amount", "paid_on", "payee", "voucher"]
    list_filter = ["paid_on"]
    search_fields = ["project__code", "project__name", "payee", "voucher"]
    autocomplete_fields = ["project"]
    date_hierarchy = "paid_on"

    def delete_service(self, obj):
        services.disbursement_delete(disbursement=obj)

    def get_queryset(self, request):
        return selectors.disbursement_list()

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        services.disbursement_save(disbursement=obj)


class EquityDividendInline(admin.TabularInline):
    model = EquityDividend
    extra = 0
    fields = ["year", "paid_on", "to_collectives", "to_households", "households"]


@admin.register(EquityInvestment)
class EquityInvestmentAdmin(ProgrammeAdmin):
    filterset_class = EquityInvestmentFilterSet
    list_display = ["investee", "project", "amount", "invested_on", "share_percent"]
    list_filter = ["invested_on"]
    search_fields = ["investee__name", "project__code", "project__name"]
    autocomplete_fields = ["project", "investee"]
    inlines = [EquityDividendInline]

    def get_queryset(self, request):
        return selectors.equity_investment_list()


class ProgressAttachmentInline(admin.TabularInline):
    model = ProgressAttachment
    extra = 1
    fields = ["title", "file"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ProgrammeAdmin):
    filterset_class = ProgressReportFilterSet
    list_display = ["project", "reported_on", "percent_complete"]
    list_filter = ["reported_on"]
    search_fields = ["project__code", "project__name", "note"]
    autocomplete_fields = ["project"]
    inlines = [ProgressAttachmentInline]

    def get_queryset(self, request):
        return selectors.progress_report_list()


@admin.register(Investment)
class InvestmentAdmin(ProgrammeAdmin):
    filterset_class = InvestmentFilterSet
    list_display = ["enterprise", "year", "sector", "amount", "output_value", "jobs_created", "east_parent"]
    list_filter = ["year", "sector"]
    search_fields = ["enterprise__name", "east_parent__name", "note"]
    autocomplete_fields = ["enterprise", "east_parent", "project"]

    def get_queryset(self, request):
        return selectors.investment_list()
