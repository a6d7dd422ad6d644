"""Admin of the reports: ask for one now, regenerate, download; who receives them by e-mail.

A scoped user lists, opens and asks for only the reports of regions within the scope, as in
the API (CONTRACT.md 1.1).

The schedule itself is django-celery-beat's "Periodic tasks" page (staff may change it); its
admin is registered again here with the labels it leaves in English (a few are not marked for
translation) and its crontabs described in the active language.
"""

import re

from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from cooperation.admin_base import HistoryAdmin, ProgrammeAdmin
from cooperation.models import Region
from cooperation.scopes import scope_of
from reports import crosscheck, selectors, services
from reports.filtersets import DeclarationFilterSet
from reports.models import Declaration, Report, ReportSubscription, declaration_lock_error
from reports.resources import DeclarationResource


class ReportRequestForm(forms.ModelForm):
    """Kind, period start and region; an existing report of that period and region is
    regenerated, not refused. The region follows the user's scope (``report_region_for``):
    left empty by a user with one scope region, it is that region."""

    user = None  # set by ReportAdmin.get_form

    class Meta:
        model = Report
        fields = ["kind", "period_start", "region"]

    def _get_validation_exclusions(self):
        # The unique (kind, period, region) key is kept by the service, which resets the
        # existing row instead of refusing it; the period rules still run in Report.clean().
        return super()._get_validation_exclusions() | {"period_start"}

    def clean(self):
        cleaned = super().clean()
        if "region" in cleaned and self.user is not None:
            try:
                cleaned["region"] = services.report_region_for(user=self.user, region=cleaned["region"])
            except ValidationError as error:
                self.add_error(None, error)
            else:
                self.instance.region = cleaned["region"]
        return cleaned


class ReportRegionFilter(admin.SimpleListFilter):
    """The region a report covers: the whole programme (unscoped users) or one of the regions
    that have reports the user may read."""

    title = _("region")
    parameter_name = "region"
    WHOLE = "none"

    def lookups(self, request, model_admin):
        choices = [] if not scope_of(request.user).unrestricted else [(self.WHOLE, _("Whole programme"))]
        regions = Region.objects.filter(pk__in=model_admin.get_queryset(request).values("region")).order_by("code")
        return choices + [(str(region.pk), str(region)) for region in regions]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == self.WHOLE:
            return queryset.filter(region__isnull=True)
        if not (value.isascii() and value.isdigit() and len(value) <= 18):  # a bigint id
            raise IncorrectLookupParameters(_("Choose a region from the list."))
        return queryset.filter(region_id=int(value))


@admin.register(Report)
class ReportAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "kind",
        "area",
        "period_start",
        "period_end",
        "status",
        "generated_at",
        "attempts",
        "download",
    ]
    list_filter = ["kind", "status", ReportRegionFilter]
    date_hierarchy = "period_start"
    actions = ["regenerate"]
    autocomplete_fields = ["region"]
    readonly_fields = [
        "kind",
        "region",
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
        # The reports the user may read: a scoped user's change, history and download links
        # reach no other (404), as in the API.
        return selectors.report_list(user=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("ReportRequestForm", (ReportRequestForm,), {"user": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "region" and field is not None:
            # Only the regions the user may ask a report for: within the scope (all when unscoped).
            write_q = scope_of(request.user).write_q(Region)
            if write_q is not None:
                field.queryset = field.queryset.filter(write_q)
            field.empty_label = _("Whole programme")
        return field

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["kind", "period_start", "region"]

    def save_model(self, request, obj, form, change):
        if change:
            return  # reports change only by being generated
        report = services.report_request(
            kind=obj.kind, period_start=obj.period_start, region=obj.region, user=request.user
        )
        obj.pk = report.pk
        obj.refresh_from_db()
        self.message_user(request, _("The report is being generated; reload the list in a moment."))

    def save_related(self, request, form, formsets, change):
        pass

    @admin.display(description=_("Region"), ordering="region__code")
    def area(self, obj):
        return str(obj.region) if obj.region_id else _("Whole programme")

    @admin.display(description=_("Workbook"))
    def download(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("report-file", args=[obj.pk]), obj.file_name())

    @admin.action(description=_("Generate the selected reports again"), permissions=["add"])
    def regenerate(self, request, queryset):
        reports = list(queryset)
        for report in reports:
            services.report_request(
                kind=report.kind, period_start=report.period_start, region=report.region, user=request.user
            )
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


@admin.register(Declaration)
class DeclarationAdmin(ProgrammeAdmin):
    """The figures each side declares. A declaration of a closed year (its December approved)
    opens read-only and says why, like a record of a locked month; a change moving one into a
    closed year is refused under ``year`` on its page and in imports; it is not deleted: the
    delete page lists it as the reason, as it lists protected records."""

    filterset_class = DeclarationFilterSet
    resource_classes = [DeclarationResource]
    list_display = ["year", "region", "indicator", "side", "value"]
    list_filter = ["year", "side", "indicator"]
    search_fields = ["indicator", "note", "region__name", "region__code"]
    autocomplete_fields = ["region"]
    fields = ["year", "region", "indicator", "side", "value", "note"]

    @staticmethod
    def lock_reason(declaration):
        return declaration_lock_error(year=declaration.year, region=declaration.region)

    def get_queryset(self, request):
        return crosscheck.declaration_list()

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for declaration in objs:
            message = self.lock_reason(declaration)
            if message:
                protected.append(f"{declaration}: {message}")
        return deleted, model_count, perms_needed, protected


# The report schedule: django-celery-beat's admin in the active language.

# cron-descriptor (django-celery-beat's dependency) names months and weekdays in English in
# every locale; Django's own names are translated.
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # fmt: skip
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ENGLISH_DATE_NAMES = {
    **{name: MONTHS[number] for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name: WEEKDAYS[number] for number, name in enumerate(_WEEKDAY_NAMES)},
}
_DATE_NAME = re.compile(r"\b(" + "|".join(_ENGLISH_DATE_NAMES) + r")\b")


def crontab_in_words(crontab: CrontabSchedule) -> str:
    """The crontab in words of the active language, with its time zone ("在 02:00, 每月的 1 号 Asia/Shanghai")."""
    options = Options()
    chinese = (translation.get_language() or "").startswith("zh")
    options.locale_code = "zh_CN" if chinese else "en_US"
    options.use_24hour_time_format = chinese
    expression = " ".join(
        [crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week]
    )
    try:
        words = ExpressionDescriptor(expression, options).get_description()
    except (FormatException, MissingFieldException, WrongArgumentException):
        return crontab.human_readable
    words = _DATE_NAME.sub(lambda match: str(_ENGLISH_DATE_NAMES[match.group(1)]), words)
    return f"{words} {crontab.timezone}"


class TaskNameListFilter(admin.AllValuesFieldListFilter):
    """The list filter on the task's name: django-celery-beat's field label is not translatable."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("task")


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "task_name", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description=_("task"))
    def task_name(self, obj):
        return obj.task


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "interval", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", ("task", TaskNameListFilter), "start_time", "last_run_at"]

    @admin.display(description=_("Schedule"))
    def schedule(self, obj):
        return obj.scheduler

    @admin.display(description=_("In words"))
    def crontab_translation(self, obj):
        return crontab_in_words(obj.crontab) if obj.crontab_id else ""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # django-celery-beat's own view fills readable_crontabs in English (and drops form_url).
        readable = {crontab.pk: crontab_in_words(crontab) for crontab in CrontabSchedule.objects.all()}
        extra_context = {**(extra_context or {}), "readable_crontabs": readable}
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    inlines = [PeriodicTaskInline]
    list_display = ("__str__", "in_words")
    fields = ("in_words", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("in_words",)

    @admin.display(description=_("In words"))
    def in_words(self, obj):
        return crontab_in_words(obj)


class IntervalScheduleAdmin(beat_admin.IntervalScheduleAdmin):
    inlines = [PeriodicTaskInline]


class SolarScheduleAdmin(beat_admin.SolarScheduleAdmin):
    inlines = [PeriodicTaskInline]


class ClockedScheduleAdmin(beat_admin.ClockedScheduleAdmin):
    inlines = [PeriodicTaskInline]


for _model, _model_admin in (
    (PeriodicTask, PeriodicTaskAdmin),
    (CrontabSchedule, CrontabScheduleAdmin),
    (IntervalSchedule, IntervalScheduleAdmin),
    (SolarSchedule, SolarScheduleAdmin),
    (ClockedSchedule, ClockedScheduleAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
