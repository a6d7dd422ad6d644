"""Admin screens of projects, funds and investments.

Thin: querysets come from the selectors and saves go through the services. The project page
edits allocations, disbursements, equity, progress and outcomes inline; its money rows are
checked together by the service's no-overspend rule (``services.project_funds_check``) when
the page is cleaned, to show a form error, and once more with the project row locked when
they are saved (a concurrent API write could slip in between the two; then nothing is saved
and the page says why). The allocation and disbursement pages check their record the same way.

Searches find codes and document numbers by prefix, names by contains (pg_trgm), and a
project's code or name on the other lists through a subquery the indexes serve
(:class:`~cooperation.admin_filters.IndexedSearchMixin`; indexes: migration 0004).
"""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import ProgrammeAdmin, ProgrammeTabularInline
from cooperation.admin_filters import IndexedSearchMixin
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


def _as_record(obj) -> dict:
    """``{<record>: obj}``: the keyword a service takes a record by, its model name in snake
    case (``fund_allocation=``), as the API's base viewset passes it."""
    return {re.sub(r"(?<!^)(?=[A-Z])", "_", obj._meta.object_name).lower(): obj}


def _money_rows(formsets) -> dict:
    """The allocations and disbursements of a valid project page as they will be stored:
    ``rows`` (new or changed, as edited) and ``dropped`` (marked for deletion), the arguments
    of ``services.project_funds_check``. Empty extra forms are no rows."""
    rows, dropped = [], []
    for formset in formsets:
        if formset.model not in (FundAllocation, Disbursement):
            continue
        deleted = formset.deleted_forms
        for form in formset.forms:
            if form in deleted:
                dropped.append(form.instance)
            elif form.instance.pk is not None or form.has_changed():
                rows.append(form.instance)
    return {"rows": rows, "dropped": dropped}


class DisbursementFormSet(BaseInlineFormSet):
    """Checks the page's disbursements with the page's allocations, both as edited."""

    sibling_formsets = ()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        formsets = self.sibling_formsets or [self]
        if not all(fs.is_valid() for fs in formsets if fs.model is FundAllocation):
            return  # the allocation forms show their own errors first
        try:
            services.project_funds_check(project=self.instance, **_money_rows(formsets))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None  # an error of the whole formset


class FundAllocationInline(ProgrammeTabularInline):
    model = FundAllocation
    extra = 0
    fields = ["year", "source", "amount", "allocated_on", "document", "note"]


class DisbursementInline(ProgrammeTabularInline):
    model = Disbursement
    formset = DisbursementFormSet
    extra = 0
    fields = ["amount", "paid_on", "payee", "voucher", "note"]


class EquityInvestmentInline(ProgrammeTabularInline):
    model = EquityInvestment
    extra = 0
    fields = ["investee", "amount", "invested_on", "share_percent", "note"]
    autocomplete_fields = ["investee"]
    show_change_link = True  # dividends are edited on the investment's own page


class ProgressReportInline(ProgrammeTabularInline):
    model = ProgressReport
    extra = 0
    fields = ["reported_on", "percent_complete", "note"]
    show_change_link = True  # attachments are added on the report's own page


class OutcomeMeasureInline(ProgrammeTabularInline):
    model = OutcomeMeasure
    extra = 0
    fields = ["name", "unit", "baseline", "target", "current", "measured_on"]


class ServiceAdmin(IndexedSearchMixin, ProgrammeAdmin):
    """Saves and deletes one record at a time through the app's services (``save_service``,
    ``delete_service``; without one, Django's own), so that their rules are kept. A rule
    broken at save or delete time (a race with another writer, an allocation already spent)
    becomes a message on the page instead of a server error; the transaction of the whole page
    has been rolled back."""

    save_service = None
    delete_service = None

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        service = type(self).save_service
        if service is None:
            return super().save_model(request, obj, form, change)
        return service(**_as_record(obj))

    def delete_model(self, request, obj):
        service = type(self).delete_service
        if service is None:
            return super().delete_model(request, obj)
        return service(**_as_record(obj))

    def delete_queryset(self, request, queryset):
        if type(self).delete_service is None:
            return super().delete_queryset(request, queryset)
        try:
            with transaction.atomic():
                for obj in queryset:
                    self.delete_model(request, obj)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

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


class ServiceCheckedForm(forms.ModelForm):
    """A record's form that runs the service's check of the record as edited
    (``check_service``), to show a broken cross-row rule as a form error; the save service runs
    the same check again with the project locked."""

    check_service = None

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the submitted values
        service = type(self).check_service
        if self.errors or service is None:
            return
        try:
            service(**_as_record(self.instance))
        except ValidationError as exc:
            self.add_error(None, exc)


class FundAllocationForm(ServiceCheckedForm):
    check_service = services.fund_allocation_check

    class Meta:
        model = FundAllocation
        fields = ["project", "year", "source", "amount", "allocated_on", "document", "note"]


class DisbursementForm(ServiceCheckedForm):
    check_service = services.disbursement_check

    class Meta:
        model = Disbursement
        fields = ["project", "amount", "paid_on", "payee", "voucher", "note"]


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    filterset_class = ProjectFilterSet
    resource_classes = [ProjectResource]
    save_service = services.project_save
    list_display = ["code", "name", "year", "category", "status", "region", "allocated", "disbursed", "rate"]
    list_filter = ["year", "status", "category"]
    search_fields = ["^code", "name"]
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
        rate = obj.disbursement_rate
        return "-" if rate is None else f"{rate * 100:.1f}%"

    def _create_formsets(self, request, obj, change):
        # Let the disbursement inline see the allocation inline as edited on the same page.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        for formset in formsets:
            formset.sibling_formsets = formsets
        return formsets, inline_instances

    def save_related(self, request, form, formsets, change):
        # The formsets save the page's money rows together: checked as a whole, with the
        # project locked, before they are written.
        with services.project_funds_change(project=form.instance, **_money_rows(formsets)):
            super().save_related(request, form, formsets, change)


@admin.register(FundAllocation)
class FundAllocationAdmin(ServiceAdmin):
    filterset_class = FundAllocationFilterSet
    form = FundAllocationForm
    resource_classes = [FundAllocationResource]
    save_service = services.fund_allocation_save
    delete_service = services.fund_allocation_delete
    list_display = ["project", "year", "source", "amount", "allocated_on", "document"]
    list_filter = ["year", "source"]
    search_fields = ["^project__code", "project__name", "^document"]
    autocomplete_fields = ["project"]
    date_hierarchy = "allocated_on"

    def get_queryset(self, request):
        return selectors.fund_allocation_list()


@admin.register(Disbursement)
class DisbursementAdmin(ServiceAdmin):
    filterset_class = DisbursementFilterSet
    form = DisbursementForm
    save_service = services.disbursement_save
    delete_service = services.disbursement_delete
    list_display = ["project", "amount", "paid_on", "payee", "voucher"]
    list_filter = ["paid_on"]
    search_fields = ["^project__code", "project__name", "payee", "^voucher"]
    autocomplete_fields = ["project"]
    date_hierarchy = "paid_on"

    def get_queryset(self, request):
        return selectors.disbursement_list()


class EquityDividendInline(ProgrammeTabularInline):
    model = EquityDividend
    extra = 0
    fields = ["year", "paid_on", "to_collectives", "to_households", "households"]


@admin.register(EquityInvestment)
class EquityInvestmentAdmin(IndexedSearchMixin, ProgrammeAdmin):
    filterset_class = EquityInvestmentFilterSet
    list_display = ["investee", "project", "amount", "invested_on", "share_percent"]
    list_filter = ["invested_on"]
    search_fields = ["investee__name", "^project__code", "project__name"]
    autocomplete_fields = ["project", "investee"]
    inlines = [EquityDividendInline]

    def get_queryset(self, request):
        return selectors.equity_investment_list()


class ProgressAttachmentInline(ProgrammeTabularInline):
    model = ProgressAttachment
    extra = 1
    fields = ["title", "file"]


@admin.register(ProgressReport)
class ProgressReportAdmin(IndexedSearchMixin, ProgrammeAdmin):
    filterset_class = ProgressReportFilterSet
    list_display = ["project", "reported_on", "percent_complete"]
    list_filter = ["reported_on"]
    search_fields = ["^project__code", "project__name", "note"]
    autocomplete_fields = ["project"]
    inlines = [ProgressAttachmentInline]

    def get_queryset(self, request):
        return selectors.progress_report_list()


@admin.register(Investment)
class InvestmentAdmin(IndexedSearchMixin, ProgrammeAdmin):
    filterset_class = InvestmentFilterSet
    list_display = ["enterprise", "year", "sector", "amount", "output_value", "jobs_created", "east_parent"]
    list_filter = ["year", "sector"]
    search_fields = ["enterprise__name", "east_parent__name", "note"]
    autocomplete_fields = ["enterprise", "east_parent", "project"]

    def get_queryset(self, request):
        return selectors.investment_list()
