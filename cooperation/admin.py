"""Admin screens of the programme core."""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export import fields as resource_fields
from import_export import widgets as resource_widgets

from cooperation import selectors, submissions
from cooperation.admin_base import ProgrammeAdmin, ProgrammeHistoryHelper
from cooperation.choices import RegionLevel, Side, SubmissionStatus
from cooperation.filtersets import (
    OrganizationFilterSet,
    PairingFilterSet,
    RegionFilterSet,
    SecondmentFilterSet,
    SubmissionFilterSet,
    TargetFilterSet,
)
from cooperation.models import Organization, Pairing, Region, ScopeRegion, Secondment, Submission, Target, month_label
from cooperation.month_checks import month_warnings
from cooperation.resources import OrganizationResource, RegionResource
from cooperation.resources_base import ProgrammeResource
from cooperation.roles import REVIEW_PERMISSION
from cooperation.scopes import scope_of


@admin.register(Region)
class RegionAdmin(ProgrammeAdmin):
    filterset_class = RegionFilterSet
    resource_classes = [RegionResource]
    list_display = ["name", "code", "level", "side", "parent"]
    list_filter = ["level", "side"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return selectors.region_list()


@admin.register(Organization)
class OrganizationAdmin(ProgrammeAdmin):
    filterset_class = OrganizationFilterSet
    resource_classes = [OrganizationResource]
    list_display = ["name", "kind", "side", "region", "credit_code"]
    list_filter = ["kind", "side"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region", "parent"]

    def get_queryset(self, request):
        return selectors.organization_list()


@admin.register(Pairing)
class PairingAdmin(ProgrammeAdmin):
    filterset_class = PairingFilterSet
    list_display = ["__str__", "kind", "started_on", "ended_on"]
    list_filter = ["kind", "started_on"]
    search_fields = ["focus", "east_region__name", "west_region__name", "east_org__name", "west_org__name"]
    autocomplete_fields = ["east_region", "west_region", "east_org", "west_org"]
    date_hierarchy = "started_on"

    def get_queryset(self, request):
        return selectors.pairing_list()


@admin.register(Target)
class TargetAdmin(ProgrammeAdmin):
    filterset_class = TargetFilterSet
    list_display = ["year", "indicator", "region", "value"]
    list_filter = ["year", "indicator"]
    search_fields = ["indicator", "region__name", "notes"]
    autocomplete_fields = ["region"]

    def get_queryset(self, request):
        return selectors.target_list()


@admin.register(Secondment)
class SecondmentAdmin(ProgrammeAdmin):
    filterset_class = SecondmentFilterSet
    list_display = ["person_name", "kind", "direction", "region", "position", "started_on", "ended_on"]
    list_filter = ["kind", "direction", "started_on"]
    search_fields = ["person_name", "position"]
    autocomplete_fields = ["region", "home_org", "host_org"]
    date_hierarchy = "started_on"

    def get_queryset(self, request):
        return selectors.secondment_list()


# -- monthly submissions (CONTRACT.md 1.1; the rules are cooperation.submissions')

# The moves as people read them: the buttons, and the history's change reason.
MOVE_LABELS = {
    "submit": pgettext_lazy("submission move", "Submit"),
    "approve": pgettext_lazy("submission move", "Approve"),
    "return": pgettext_lazy("submission move", "Return"),
    "reopen": pgettext_lazy("submission move", "Reopen"),
}
# What a move page tells the user before they confirm.
MOVE_EXPLANATIONS = {
    "submit": _("Once submitted, a reviewer checks the month; once approved, its figures are locked."),
    "approve": _(
        "Once approved, the county's figures of this month are locked: nobody can change them until an "
        "administrator reopens the month."
    ),
    "return": _("The month goes back to the county's staff, who correct it and submit it again."),
    "reopen": _("The month is unlocked and becomes “returned”: its figures can be changed and submitted again."),
}
MOVE_DONE = {
    "submit": _("%(submission)s was submitted for review."),
    "approve": _("%(submission)s was approved: its figures are locked."),
    "return": _("%(submission)s was returned with your comment."),
    "reopen": _("%(submission)s was reopened: its figures are unlocked."),
}


class MonthInput(forms.DateInput):
    """The browser's month picker (``<input type="month">``, a text box where there is none)."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month: ``2023-04`` (the month picker), or the month's first day ``2023-04-01``."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y/%m/%d", "%Y年%m月"]

    def to_python(self, value):
        month = super().to_python(value)
        if month is not None and month.day != 1:
            raise ValidationError(
                _("Give the month (e.g. 2023-04) or its first day (e.g. 2023-04-01)."), code="not_first_day"
            )
        return month


class SubmissionForm(forms.ModelForm):
    """A draft's county, month and comment (the rest changes only by the moves)."""

    month = MonthField(
        label=_("month"),
        help_text=_("Choose the month reported (e.g. 2023-04). Typing its first day (2023-04-01) works too."),
    )

    class Meta:
        model = Submission
        fields = ["region", "month", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    # Said where the field is edited only (a read-only page shows no instructions).
    HELP = {
        "region": _("A western county of your scope."),
        "comment": _("Optional: a note for the reviewers."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in self.HELP.items():
            if name in self.fields:
                self.fields[name].help_text = text

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            # Moved (submitted, approved) since the page was opened: it changes only by its moves.
            status = Submission.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
            if status not in submissions.EDITABLE:
                raise ValidationError(
                    _("This submission is %(status)s meanwhile: it changes only by its moves.")
                    % {"status": SubmissionStatus(status).label if status else "—"}
                )
        return cleaned


class MoveForm(forms.Form):
    """The confirmation of a move, with the text the move takes (comment or reason), if any."""

    def __init__(self, *args, move: str, warnings=(), initial_comment: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.move = move
        if move == "submit":
            self.fields["comment"] = forms.CharField(
                label=_("comment"),
                required=bool(warnings),
                initial=initial_comment,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=(
                    _("This month has %(count)d warning(s): say why the figures are right.") % {"count": len(warnings)}
                    if warnings
                    else _("Optional: a note for the reviewers.")
                ),
            )
        elif move == "return":
            self.fields["comment"] = forms.CharField(
                label=_("comment for the county"),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Say what must be corrected: the county's staff read it."),
            )
        elif move == "reopen":
            self.fields["reason"] = forms.CharField(
                label=_("reason"),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Say why the approved month is reopened."),
            )

    def service_kwargs(self) -> dict:
        """The keyword arguments the move's service takes from the form."""
        return {name: self.cleaned_data.get(name, "") for name in self.fields}

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's refusal on the form: under its field, or above the form (``status``)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class WarningsWidget(resource_widgets.Widget):
    """The warnings in a sheet: their messages, one after the other (written only)."""

    def render(self, value, obj=None, **kwargs):
        return "；".join(str(warning.get("message", "")) for warning in value or [])


class SubmissionResource(ProgrammeResource):
    """Monthly submissions in a sheet. An import creates drafts and changes the county, month
    and comment of drafts and returned months (through the services, as the API's POST and
    PATCH); the status, the people, the times and the warnings are exported only: they change
    by the moves (a sheet cannot approve a month)."""

    warnings = resource_fields.Field(attribute="warnings", column_name="warnings", widget=WarningsWidget())

    MOVED_ONLY = ("status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "warnings")

    class Meta:
        model = Submission
        fields = [
            "region", "month", "status", "submitted_by", "submitted_at",
            "reviewed_by", "reviewed_at", "comment", "warnings",
        ]  # fmt: skip
        import_id_fields = ["region", "month"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in self.MOVED_ONLY:
            self.fields[name].readonly = True

    def save_instance(self, instance, is_create, row, **kwargs):
        # Through the services, as the API's POST and PATCH (the dry run too, rolled back after).
        user = self.scope_user()
        if is_create:
            saved = submissions.submission_create(
                region=instance.region, month=instance.month, comment=instance.comment, user=user
            )
        else:
            saved = submissions.submission_update(
                submission=instance, region=instance.region, month=instance.month, comment=instance.comment
            )
        instance.pk = saved.pk
        instance._state.adding = False


class SubmissionHistoryHelper(ProgrammeHistoryHelper):
    """A history row's changes of the county and the month (a draft edited); what a move
    changes (status, people, times, comment, warnings) has its own columns on the page."""

    EDITED = ("region", "month")

    def context_for_delta_changes(self, delta):
        edited = [change for change in delta.changes if change.field in self.EDITED]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=edited))

    def prepare_delta_change_value(self, change, value):
        if change.field == "month" and value is not None:
            return month_label(value)
        if isinstance(value, models.Model):
            return str(value)  # (the diff holds the county itself: no query needed)
        return super().prepare_delta_change_value(change, value)


def _status_badge(status: str) -> str:
    return format_html(
        '<span class="submission-status submission-status-{}">{}</span>', status, SubmissionStatus(status).label
    )


def _person_and_time(user, moment):
    """A list cell: who, and below it when (local time, to the minute); a dash for nobody."""
    if user is None:
        return "—"
    when = date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else ""
    return format_html('{}<br><span class="quiet">{}</span>', user, when)


def _warning_items(warnings):
    return format_html_join("", "<li>{}</li>", ((w.get("message", ""),) for w in warnings or []))


@admin.register(Submission)
class SubmissionAdmin(ProgrammeAdmin):
    """The months of the counties: the list, a draft's page, each move's confirmation page and
    the reviewers' queue ("waiting for me"). Every move goes through
    :mod:`cooperation.submissions`, which decides who may make it."""

    filterset_class = SubmissionFilterSet
    resource_classes = [SubmissionResource]
    form = SubmissionForm
    list_display = [
        "region", "month_display", "status_badge", "submitted", "reviewed", "warning_count",
    ]  # fmt: skip
    list_display_links = ["region", "month_display"]
    list_filter = ["status"]
    search_fields = ["region__name", "region__code"]
    ordering = ["-month", "region__code"]
    empty_value_display = "—"
    import_export_change_list_template = "admin/cooperation/submission/change_list.html"
    object_history_list_template = "admin/cooperation/submission/object_history_list.html"
    history_list_display = ["move_label"]
    MOVED = ["status_badge", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "warnings_list"]

    def get_queryset(self, request):
        return selectors.submission_list()

    # -- columns and read-only fields

    @admin.display(description=_("month"), ordering="month")
    def month_display(self, obj):
        return month_label(obj.month)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return _status_badge(obj.status)

    @admin.display(description=_("submitted by / at"), ordering="submitted_at")
    def submitted(self, obj):
        return _person_and_time(obj.submitted_by, obj.submitted_at)

    @admin.display(description=_("reviewed by / at"), ordering="reviewed_at")
    def reviewed(self, obj):
        return _person_and_time(obj.reviewed_by, obj.reviewed_at)

    @admin.display(description=_("warnings"))
    def warning_count(self, obj):
        if not obj.warnings:
            return "—"
        return format_html(
            '<span class="submission-warnings" title="{}">{}</span>',
            "\n".join(str(w.get("message", "")) for w in obj.warnings),
            len(obj.warnings),
        )

    @admin.display(description=_("warnings"))
    def warnings_list(self, obj):
        if obj.warnings:
            return format_html('<ul class="submission-warning-list">{}</ul>', _warning_items(obj.warnings))
        if obj.status == SubmissionStatus.DRAFT:
            return gettext("Checked when the month is submitted.")
        return gettext("No warnings.")

    def move_label(self, record):
        """A history row's move in words (its change reason), else created / changed."""
        label = MOVE_LABELS.get(record.history_change_reason)
        return label if label is not None else record.get_history_type_display()

    # -- the form

    def _stored_editable(self, request, obj) -> bool:
        """Whether the stored submission is a draft or returned (asked of the database: a
        history page shows a version, whose status may be another)."""
        memo = request.__dict__.setdefault("_submission_statuses", {})
        if obj.pk not in memo:
            memo[obj.pk] = Submission.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        return memo[obj.pk] in submissions.EDITABLE

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self._stored_editable(request, obj):
            return False  # submitted or approved: read-only, it changes only by its moves
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != SubmissionStatus.DRAFT:
            return False  # a month on its way keeps its record (submission_delete)
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Only drafts may be deleted, each from its own page (the bulk delete would take any).
        actions.pop("delete_selected", None)
        return actions

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["region", "month", "comment"]})]
        month = "month" if self.has_change_permission(request, obj) else "month_display"
        return [
            (None, {"fields": ["region", month, "comment"]}),
            (
                _("Review"),
                {
                    "fields": [
                        "status_badge",
                        ("submitted_by", "submitted_at"),
                        ("reviewed_by", "reviewed_at"),
                        "warnings_list",
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.MOVED, "month_display"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "region":
            queryset = field.queryset.filter(level=RegionLevel.COUNTY, side=Side.WEST)
            scope = scope_of(request.user)
            if not scope.unrestricted:
                # Within the scope only (the counties above a town of the scope are readable, not its own).
                queryset = queryset.filter(scope.subtree_q(""))
            field.queryset = queryset.order_by("code")
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "region" and field is not None:
            # A county is chosen, not created or edited from a month's page.
            widget = field.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return field

    def save_model(self, request, obj, form, change):
        if change:
            saved = submissions.submission_update(
                submission=obj, region=obj.region, month=obj.month, comment=obj.comment
            )
        else:
            saved = submissions.submission_create(
                region=obj.region, month=obj.month, comment=obj.comment, user=request.user
            )
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        submissions.submission_delete(submission=obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return SubmissionHistoryHelper(self.model, historical_record)

    # -- pages

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("queue/", view(self.queue_view), name="{}_{}_queue".format(*info)),
            path("<path:object_id>/move/<str:move>/", view(self.move_view), name="{}_{}_move".format(*info)),
            *super().get_urls(),
        ]

    def _url(self, name, *args) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    def _move_links(self, obj, moves, back: str = "") -> list[dict]:
        suffix = f"?{urlencode({'next': back})}" if back else ""
        return [
            {"move": move, "label": MOVE_LABELS[move], "url": self._url("move", quote(obj.pk), move) + suffix}
            for move in moves
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if request.user.has_perm(REVIEW_PERMISSION):
            extra_context["queue_url"] = self._url("queue")
            extra_context["queue_count"] = selectors.submissions_waiting_for(request.user).count()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            moves = submissions.allowed_moves(submission=obj, user=request.user)
            extra_context["moves"] = self._move_links(obj, moves)
            extra_context["status_badge"] = _status_badge(obj.status)
        return super().change_view(request, object_id, form_url, extra_context)

    def move_view(self, request, object_id, move):
        """The confirmation page of ``move``: what the move does, the month's warnings, the
        comment or reason it takes; the POST makes the move through its service."""
        if move not in submissions.MOVES:
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        change_url = self._url("change", quote(obj.pk))
        back = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
            back = ""
        if request.method != "POST" and move not in submissions.allowed_moves(submission=obj, user=request.user):
            if obj.status in submissions.MOVES[move][0]:
                raise PermissionDenied  # not this user's move (their role, or four eyes)
            self.message_user(
                request,
                gettext("This submission is %(status)s: it cannot be %(move)s now.")
                % {"status": obj.get_status_display(), "move": MOVE_LABELS[move]},
                messages.WARNING,
            )
            return HttpResponseRedirect(back or change_url)

        # Submitting shows the warnings it will store; the other moves, those stored.
        warnings = month_warnings(region=obj.region, month=obj.month) if move == "submit" else obj.warnings
        initial_comment = obj.comment if obj.status == SubmissionStatus.DRAFT else ""
        form = MoveForm(
            request.POST if request.method == "POST" else None,
            move=move,
            warnings=warnings,
            initial_comment=initial_comment,
        )
        if request.method == "POST" and form.is_valid():
            try:
                # PermissionDenied (the role, four eyes) goes up: a 403 page.
                submissions.MOVE_SERVICES[move](submission=obj, user=request.user, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                self.message_user(request, MOVE_DONE[move] % {"submission": obj}, messages.SUCCESS)
                return HttpResponseRedirect(back or change_url)

        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(move)s: %(submission)s") % {"move": MOVE_LABELS[move], "submission": obj},
            "subtitle": None,
            "opts": self.opts,
            "original": obj,
            "move": move,
            "move_label": MOVE_LABELS[move],
            "month": month_label(obj.month),
            "explanation": MOVE_EXPLANATIONS[move],
            "status_badge": _status_badge(obj.status),
            "warnings": warnings,
            "warnings_fresh": move == "submit",
            "form": form,
            "errors": form.non_field_errors(),
            "change_url": change_url,
            "cancel_url": back or change_url,
            "has_view_permission": True,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/cooperation/submission/move.html", context)

    def queue_view(self, request):
        """待我审核: the submitted months the user may approve or return (not their own), oldest first."""
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        paginator = Paginator(selectors.submissions_waiting_for(request.user), 100)
        page = paginator.get_page(request.GET.get("p"))
        queue_url = self._url("queue")
        rows = []
        for submission in page.object_list:
            moves = [
                move
                for move in submissions.allowed_moves(submission=submission, user=request.user)
                if move in ("approve", "return")
            ]
            rows.append(
                {
                    "submission": submission,
                    "change_url": self._url("change", quote(submission.pk)),
                    "month": month_label(submission.month),
                    "submitted": _person_and_time(submission.submitted_by, submission.submitted_at),
                    "moves": self._move_links(submission, moves, back=queue_url),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Waiting for me"),
            "subtitle": None,
            "opts": self.opts,
            "rows": rows,
            "page": page,
            "count": paginator.count,
            "changelist_url": self._url("changelist"),
            "has_view_permission": self.has_view_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/cooperation/submission/queue.html", context)


# The admin's index shows reviewers the way to their queue (templates/admin/cooperation/submission/index.html).
admin.site.index_template = "admin/cooperation/submission/index.html"


class ScopeRegionInline(admin.TabularInline):
    """The user's scope on the user's page: the regions they work on (none: the whole programme)."""

    model = ScopeRegion
    extra = 0
    autocomplete_fields = ["region"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        scope = scope_of(request.user)
        if db_field.name == "region" and not scope.unrestricted:
            # A scoped administrator hands out only regions within their own scope.
            field.queryset = field.queryset.filter(scope.subtree_q(""))
        return field

    verbose_name = _("region of the scope")
    verbose_name_plural = _(
        "Scope: the regions this user works on (and the regions paired with them). None: the whole programme."
    )


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ScopeRegionInline]
