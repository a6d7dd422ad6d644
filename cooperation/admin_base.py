"""Admin base shared by every app: change history and spreadsheet import/export."""

import contextlib
from dataclasses import dataclass
from urllib.parse import quote as url_quote

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, router
from django.forms.models import InlineForeignKeyField
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.resources import modelresource_factory
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from cooperation import locks
from cooperation.admin_filters import filterset_list_filters
from cooperation.fields import MoneyField
from cooperation.models import month_label
from cooperation.records import record_kind
from cooperation.resources_base import ProgrammeResource
from cooperation.scopes import scope_of, scoped

# The request attribute that marks a change form served as a history page (see HistoryAdmin).
_REVERT_ATTR = "_programme_history_revert"
# The request attributes of the locked periods: each record's lock as stored, asked once per
# request ({(model label, pk): message or None}); and the flag of a delete page, where a locked
# record is listed as protected (with the reason) instead of being a missing permission.
_LOCKS_ATTR = "_programme_locks"
_DELETE_PAGE_ATTR = "_programme_delete_page"

LOCKED_DELETE = _(
    "%(kind)s “%(record)s” is dated in %(month)s, an approved and locked month: it cannot be deleted. "
    "An administrator can reopen the month."
)


@dataclass(frozen=True)
class _Revert:
    stored: models.Model  # the record as stored now
    version: models.Model  # the record as the chosen version holds it
    read_only: bool  # the user may not revert: the page only shows the version


class ProgrammeHistoryHelper(HistoricalRecordContextHelper):
    """How a history page writes a change: choice labels instead of codes, a reference by its
    name, yes/no, and a dash for nothing (never a literal "None")."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if getattr(field, "flatchoices", None):
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.BooleanField):
            return _("yes") if value else _("no")
        if isinstance(field, models.ForeignKey):
            if isinstance(value, models.Model):
                return str(value)
            if isinstance(value, DeletedObject):
                # django-simple-history's stand-in for a reference it cannot fetch (or none).
                return "—" if value.pk is None else str(value)
            related = field.related_model._default_manager.filter(pk=value).first()
            return str(related) if related is not None else value
        return super().prepare_delta_change_value(change, value)


def _money_column(model, name):
    """A list column showing the money field ``name`` of ``model`` grouped, or None."""
    if not isinstance(name, str):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not isinstance(field, MoneyField):
        return None

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj):
        value = getattr(obj, name)
        return "—" if value is None else f"{value:,.2f}"

    column.__name__ = name
    return column


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, with the page of a version ("Revert") made an ordinary
    change of the record. Base of every admin with a history page.

    django-simple-history serves ``<id>/history/<history_id>/`` itself: it lets anyone who may
    *view* the record post it back and saves it through the bare form (a view-only official
    could change records; hiding the button was the only guard). Here the page is the record's
    change page (:meth:`changeform_view`) filled with the version's values, so a revert passes
    what any change passes: the change permission on the record as stored now (and whatever
    ``get_queryset``/``get_object``/``has_change_permission`` add), the change form and its
    inline forms with all their rules and the model's ``clean()``, and the same save
    (``save_model``, ``save_related``, in one transaction, logged). A user who may not change
    the record sees the version read-only and a post is refused (403).

    Whether the user may revert, and the POST itself, are decided on the stored record; the
    page shown is built from the version (:meth:`get_object` returns it on a GET). A revert
    restores the fields the change page edits; read-only fields and fields the form does not
    hold keep their current values, as in any change. A deleted record is not re-created.
    """

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history falls back to the history of a record it cannot find in the
        # list (a deleted one): for a scoped user that would show records outside the scope,
        # so a scoped user gets the history of the records their list holds only.
        if not scope_of(request.user).unrestricted:
            try:
                found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
            except (ValueError, ValidationError):  # not an id at all: no such record either
                found = False
            if not found:
                raise Http404
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ProgrammeHistoryHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.current_app = self.admin_site.name
        obj = self.get_object(request, unquote(object_id))  # the record as stored, as the change page finds it
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        if obj is None:
            raise Http404
        version = self._history_version(obj, version_id)
        read_only = self.revert_disabled(request, obj)
        if request.method == "POST" and (read_only or "_saveasnew" in request.POST):
            raise PermissionDenied
        setattr(request, _REVERT_ATTR, _Revert(stored=obj, version=version, read_only=read_only))

        opts = self.opts
        prefix = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}"
        context = {
            "title": self.history_form_view_title(request, version),
            "subtitle": None,
            "original_opts": opts,
            "changelist_url": reverse(f"{prefix}_changelist"),
            "change_url": reverse(f"{prefix}_change", args=(quote(obj.pk),)),
            "history_url": reverse(f"{prefix}_history", args=(quote(obj.pk),)),
            "change_history": False,  # editing the history rows themselves (SIMPLE_HISTORY_EDIT) is not offered
            "revert_disabled": read_only,
            **(extra_context or {}),
        }
        response = self.changeform_view(request, object_id, "", context)
        if isinstance(response, TemplateResponse) and "adminform" in (response.context_data or {}):
            response.template_name = self.object_history_form_template
        return response

    def _history_version(self, obj, version_id) -> models.Model:
        """The record as version ``version_id`` of ``obj`` holds it (404 if it is not one of its versions)."""
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        try:
            record = history.filter(**{self.opts.pk.attname: obj.pk}).get(pk=unquote(version_id))
        except (history.model.DoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        version = record.instance
        version._state.adding = False
        version._state.db = obj._state.db
        return version

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        revert = getattr(request, _REVERT_ATTR, None)
        if revert is None or obj is None:
            return obj
        if obj.pk != revert.stored.pk:  # (another row, through ``_to_field``): not this page's record
            return None
        # Shown: the version. Posted: the stored record, which the posted form then changes.
        return obj if request.method == "POST" else revert.version

    def has_change_permission(self, request, obj=None):
        revert = getattr(request, _REVERT_ATTR, None)
        if revert is not None and revert.read_only:
            return False  # the version is only shown: render it read-only
        return super().has_change_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        # Reverting is changing: it needs the change permission (and, when history permissions
        # are enforced, also the change permission of the history).
        return (
            super().revert_disabled(request, obj)
            or not self.has_change_permission(request, obj)
            or not self.has_change_history_permission(request, obj)
        )


class ProgrammeImportForm(ImportForm):
    """The import form without a format picker: the format is the uploaded file's extension
    (``.xlsx`` or ``.csv``), so a wrong choice cannot spoil an upload."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = list(formats)
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()
        self.fields["import_file"].widget.attrs.pop("class", None)
        extensions = [f".{fmt().get_extension()}" for fmt in self.formats]
        self.fields["import_file"].widget.attrs["accept"] = ",".join(extensions)
        self.fields["import_file"].help_text = _("A %(extensions)s file; the format is taken from its name.") % {
            "extensions": _(" or ").join(extensions)
        }

    @property
    def media(self):
        return forms.Form().media  # no format guessing script: there is nothing to guess

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None:
            return cleaned
        name = force_str(upload.name).lower()
        for index, fmt in enumerate(self.formats):
            if name.endswith(f".{fmt().get_extension()}"):
                cleaned["format"] = str(index)
                return cleaned
        extensions = [f".{fmt().get_extension()}" for fmt in self.formats]
        self.add_error(
            "import_file",
            _("Upload a %(extensions)s file (this one is “%(name)s”).")
            % {"extensions": _(" or ").join(extensions), "name": upload.name},
        )
        return cleaned


class ProgrammeExportForm(SelectableFieldsExportForm):
    """The export form, its column boxes labelled with the sheet's headers."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        if field is None or not issubclass(resource, ProgrammeResource):
            return super()._get_field_label(resource, field_name)
        return resource().field_label(field_name, field)


class ScopedReferencesMixin:
    """Pickers and references of an admin form (or inline) offer and accept only the records the
    user may read (their scope, :mod:`cooperation.scopes`)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(field.queryset, request.user)
        return field


# -- locked periods (CONTRACT.md 1.1; the check itself is cooperation.locks)


def stored_lock(request, obj, reason=locks.delete_error) -> str | None:
    """Why ``obj`` (as stored) may be neither changed nor deleted, or None: by default its
    locked month (``reason``: a record kind closed by another rule passes its own). Asked once
    per request and record (a page asks for the change and delete permissions, the inlines and
    the message); a record kind without a lock date asks nothing."""
    if obj is None or obj.pk is None:
        return None
    memo = request.__dict__.setdefault(_LOCKS_ATTR, {})
    key = (obj._meta.label, obj.pk)
    if key not in memo:
        memo[key] = reason(obj)
    return memo[key]


@contextlib.contextmanager
def _delete_page(request):
    """While a delete is being confirmed: a locked record is not "no permission" (which would
    hide why) but one of the protected objects, with its month (``get_deleted_objects``)."""
    before = getattr(request, _DELETE_PAGE_ATTR, False)
    setattr(request, _DELETE_PAGE_ATTR, True)
    try:
        yield
    finally:
        setattr(request, _DELETE_PAGE_ATTR, before)


def _locked_text(obj) -> str:
    kind = record_kind(type(obj))
    return str(
        LOCKED_DELETE
        % {
            "kind": capfirst(obj._meta.verbose_name),
            "record": obj,
            "month": month_label(getattr(obj, kind.date)),
        }
    )


def locked_deletes(objs) -> list[str]:
    """A text for each record that deleting ``objs`` would delete (themselves, or by a cascade:
    a worker's placements) and that lies in a locked month; one query per dated model."""
    objs = list(objs)
    if not objs:
        return []
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    return [_locked_text(obj) for obj in locks.locked_among(collector.model_objs)]


def _refuse_locked_write(form) -> None:
    """Add the lock's refusal to ``form`` (a valid model form, the page's or an inline row's)
    under the field concerned (the date, or the field that moves others), when it creates or
    changes its record. A passed check is remembered on the instance: the save asks no more."""
    if form.cleaned_data.get("DELETE"):
        return  # a deleted inline row: its formset asks (see _lock_checked_formset)
    instance = form.instance
    if not (instance._state.adding or form.has_changed()):
        return  # not written
    for name, field in form.fields.items():
        if isinstance(field, InlineForeignKeyField):
            # An inline row is checked under the page's record as edited (a new worker's
            # hometown), as the formset will save it.
            setattr(instance, name, field.parent_instance)
    for name, message in locks.write_error(instance).items():
        form.add_error(name if name in form.fields else None, message)


def _checked_form(form_class, scope=None):
    """``form_class`` refusing, under the field concerned: a record outside ``scope`` (the
    user's; None or unrestricted: no scope check) and a write that touches a locked month."""

    class CheckedForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            if self.errors:
                return
            if scope is not None and not scope.unrestricted:
                for name, message in scope.record_error(self.instance).items():
                    self.add_error(name if name in self.fields else None, message)
                if self.errors:
                    return
            _refuse_locked_write(self)

    CheckedForm.__name__ = form_class.__name__
    return CheckedForm


def _lock_checked_formset(formset_class):
    """An inline formset whose new and changed rows are checked like the page's form, and whose
    rows marked for deletion are refused (an error of the formset) when they, or what their
    deletion would cascade to, lie in a locked month."""

    class LockCheckedFormSet(formset_class):
        form = _checked_form(formset_class.form)

        def clean(self):
            super().clean()
            dropped = [form.instance for form in self.deleted_forms if form.instance.pk is not None]
            refused = locked_deletes(dropped)
            if refused:
                raise ValidationError(refused)

    LockCheckedFormSet.__name__ = formset_class.__name__
    return LockCheckedFormSet


class ProgrammeChangeList(ChangeList):
    """The admin list. A searched list shows no date drill-down unless one is chosen: the bar's
    years come from a MIN/MAX and a DISTINCT over every matching record, which on a search
    matching a fifth of 177,000 placements cost more than the page and its count together;
    the sidebar's year filter still narrows the result."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.date_hierarchy and self.query:
            prefix = f"{self.date_hierarchy}__"
            if not any(name.startswith(prefix) for name in self.params):
                self.date_hierarchy = None


class ProgrammeTabularInline(ScopedReferencesMixin, admin.TabularInline):
    """Base of the inlines: references limited to the user's scope (the parent already is);
    rows checked against the locked periods, and read-only under a record of a locked month."""

    def get_formset(self, request, obj=None, **kwargs):
        return _lock_checked_formset(super().get_formset(request, obj, **kwargs))

    def has_add_permission(self, request, obj=None):
        if stored_lock(request, obj):
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if stored_lock(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if stored_lock(request, obj):
            return False
        return super().has_delete_permission(request, obj)


class ProgrammeAdmin(ScopedReferencesMixin, ImportExportModelAdmin, HistoryAdmin):
    """Base ModelAdmin of every programme record.

    The "History" page lists each change with its user, time and changed fields
    (django-simple-history; a revert is a change, see :class:`HistoryAdmin`); import and
    export use the class's ``resource_classes``.
    Import needs the ``add`` permission, export the ``view`` permission.

    Locked months (CONTRACT.md 1.1, :mod:`cooperation.locks`): a record dated in an approved
    month opens read-only and says why; the change form (and each inline row) refuses a write
    that touches a locked month under the field concerned; the delete page and "delete
    selected" list what lies in a locked month, cascades included, as protected. Nothing is
    written by a refusal.
    """

    list_per_page = 50
    show_full_result_count = False  # avoids a second COUNT(*) on large lists
    # Why a stored record may be neither changed nor deleted, or None (its locked month); a
    # record kind closed by another rule (a declaration's closed year) declares its own.
    lock_reason = staticmethod(locks.delete_error)
    # The model's FilterSet: its filters are the list's too (see cooperation.admin_filters).
    filterset_class = None
    import_form_class = ProgrammeImportForm
    export_form_class = ProgrammeExportForm

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Every admin's own get_queryset (its selector) is narrowed to the user's scope, so that
        # lists, change and history pages, autocomplete, exports and actions all see only it.
        own = cls.__dict__.get("get_queryset")
        if own is not None and not getattr(own, "_scoped", False):

            def get_queryset(self, request, _own=own):
                return scoped(_own(self, request), request.user)

            get_queryset._scoped = True
            get_queryset.__doc__ = own.__doc__
            cls.get_queryset = get_queryset

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def get_changelist(self, request, **kwargs):
        return ProgrammeChangeList

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _checked_form(super().get_form(request, obj, change, **kwargs), scope_of(request.user))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not scope_of(request.user).can_write(obj):
            return False  # readable (a region above the scope), not the user's to change
        if stored_lock(request, obj, self.lock_reason):
            return False  # a record of a locked month: read-only (render_change_form says why)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not scope_of(request.user).can_write(obj):
            return False
        if not getattr(request, _DELETE_PAGE_ATTR, False) and stored_lock(request, obj, self.lock_reason):
            return False
        return super().has_delete_permission(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        message = None if add else stored_lock(request, obj, self.lock_reason)
        if message:
            self.message_user(request, message, messages.WARNING)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_deleted_objects(self, objs, request):
        # The delete page and "delete selected": a record of a locked month among those the
        # delete would remove (cascades included) is protected, and named with its month.
        with _delete_page(request):
            deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *locked_deletes(objs)]

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with _delete_page(request):
                return super().delete_view(request, object_id, extra_context)
        except locks.LockedPeriod as exc:
            # A month approved between the confirmation and the delete: rolled back, said.
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except locks.LockedPeriod as exc:
            # The forms check first; a write they did not see (a month approved meanwhile, a
            # service's own write) is rolled back with the page's transaction, and said.
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request, queryset):
        write_q = scope_of(request.user).write_q(self.model)
        super().delete_queryset(request, queryset if write_q is None else queryset.filter(write_q))

    def get_resource_classes(self, request):
        # import-export's generated default resource skips full_clean(): build it on ours.
        if self.resource_classes:
            return super().get_resource_classes(request)
        return [modelresource_factory(self.model, resource_class=ProgrammeResource)]

    # -- spreadsheets

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        """The empty sheet to fill in: the import's columns, drop-downs, and an explanation sheet."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.get_import_resource_classes(request)[0]
        resource = resource_class(**self.get_import_resource_kwargs(request))
        response = HttpResponse(
            resource.template_workbook(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = _("%(kind)s import template") % {"kind": self.model._meta.verbose_name_plural}
        ascii_name = f"{self.model._meta.model_name}-template.xlsx"
        response["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{url_quote(force_str(name))}.xlsx"
        )
        return response

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        info = self.get_model_info()
        context["import_template_url"] = reverse(
            f"{self.admin_site.name}:{info[0]}_{info[1]}_import_template", current_app=self.admin_site.name
        )
        return context

    def add_data_read_fail_error_to_form(self, form, e):
        # The reader's exception says nothing to staff (and is English): say what to do.
        form.add_error(
            "import_file",
            _("The file could not be read. Save it again as .xlsx or as .csv (UTF-8) and upload it once more."),
        )

    def get_list_display(self, request):
        """Money columns with thousands separators ("1,234,567.00"), still sortable."""
        return [_money_column(self.model, name) or name for name in super().get_list_display(request)]

    def get_list_filter(self, request):
        own = list(super().get_list_filter(request))
        if self.filterset_class is None:
            return own
        return [*filterset_list_filters(self.filterset_class), *own]
