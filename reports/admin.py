"""Admin of the reports: ask for one now, regenerate, download; who receives them by e-mail.

The schedule itself is django-celery-beat's "Periodic tasks" page (staff may change it).
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cooperation.admin_base import HistoryAdmin
from reports import selectors, services
from reports.models import Report, ReportSubscription


class ReportRequestForm(forms.ModelForm):
    """Kind and period start; an existing report of that period is regenerated, not refused."""

    class Meta:
        model = Report
        fields = ["kind", "period_start"]

    def _get_validation_exclusions(self):
        # The unique (kind, period) key is kept by the service, which resets the existing row
        # instead of refusing it; the period rules still run in Report.clean().
        return super()._get_validation_exclusions() | {"period_start"}


@admin.register(Report)
class ReportAdmin(HistoryAdmin):
    list_display = ["__str__", "kind", "period_start", "period_end", "status", "generated_at", "attempts", "download"]
    list_filter = ["kind", "status"]
    date_hierarchy = "period_start"
    actions = ["regenerate"]
    readonly_fields = [
        "kind",
        "period_start",
        "period_end",
        "status",
        "requested_at",
        "generated_at",
        "attempts",
        "error",
        "mailed_at",
        "download",
    ]

    def get_queryset(self, request):
        return selectors.report_list()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ReportRequestForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["kind", "period_start"]

    def save_model(self, request, obj, form, change):
        if change:
            return  # reports change only by being generated
        report = services.report_request(kind=obj.kind, period_start=obj.period_start)
        obj.pk = report.pk
        obj.refresh_from_db()
        self.message_user(request, _("The report is being generated; reload the list in a moment."))

    def save_related(self, request, form, formsets, change):
        pass

    @admin.display(description=_("Workbook"))
    def download(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("report-file", args=[obj.pk]), obj.file_name())

    @admin.action(description=_("Generate the selected reports again"), permissions=["add"])
    def regenerate(self, request, queryset):
        reports = list(queryset)
        for report in reports:
            services.report_request(kind=report.kind, period_start=report.period_start)
        self.message_user(
            request,
            ngettext("%(n)d report queued.", "%(n)d reports queued.", len(reports)) % {"n": len(reports)},
            messages.SUCCESS,
        )


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(HistoryAdmin):
    list_display = ["user", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]
    search_fields = ["user__username", "user__email"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")
