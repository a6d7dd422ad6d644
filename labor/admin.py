"""Admin screens of labor cooperation.

Personal data: the worker list, form, history and exports show ID numbers and phones masked
unless the user holds ``labor.view_full_id_number``; search finds a worker by the full ID
number through the keyed hash. Without that permission the birth date (the masked part of
the number) is shown as the birth year only, and the list cannot be filtered by it.

Search at scale (150,000 workers): names by contains through pg_trgm indexes, external ids by
prefix, a worker's name on the placements through a subquery the indexes serve
(:class:`~cooperation.admin_filters.IndexedSearchMixin`; indexes: migration 0004).
"""

from django.contrib import admin
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import ProgrammeAdmin, ProgrammeHistoryHelper, ProgrammeTabularInline
from cooperation.admin_filters import IndexedSearchMixin
from labor import selectors, services
from labor.filtersets import (
    PlacementFilterSet,
    RecruitmentEventFilterSet,
    SkillsTrainingFilterSet,
    WorkerFilterSet,
    WorkshopFilterSet,
)
from labor.forms import PlacementAdminForm, PlacementInlineFormSet, WorkerAdminForm
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from labor.personal_data import can_view_full, decrypt, mask_id_number, mask_phone
from labor.resources import (
    RecruitmentEventResource,
    SkillsTrainingResource,
    WorkerPlacementResource,
    WorkerResource,
    WorkshopResource,
)
from labor.validators import looks_like_id_number


class PersonalDataAdminMixin:
    """Passes the user to the resources, which mask personal data unless permitted."""

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}


class PlacementInline(ProgrammeTabularInline):
    model = Placement
    formset = PlacementInlineFormSet
    fields = ["destination", "employer", "position", "started_on", "ended_on", "monthly_wage"]
    autocomplete_fields = ["employer"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("employer")


class WorkerHistoryHelper(ProgrammeHistoryHelper):
    """History page changes: personal data masked (or shown in full to permitted users), the
    birth date by year unless permitted, the search hash hidden."""

    full_view = False
    # The ciphertext columns, and how each one's plain value is masked.
    masks = {"id_number_cipher": mask_id_number, "phone_cipher": mask_phone}

    def prepare_delta_change_value(self, change, value):
        if change.field == "birth_date" and not self.full_view:
            return getattr(value, "year", None) if value else value
        if change.field in self.masks:
            plain = decrypt(value or "")
            return plain if self.full_view else self.masks[change.field](plain)
        if change.field == "id_number_hash":
            return "…"
        return super().prepare_delta_change_value(change, value)


@admin.register(Worker)
class WorkerAdmin(PersonalDataAdminMixin, IndexedSearchMixin, ProgrammeAdmin):
    filterset_class = WorkerFilterSet
    form = WorkerAdminForm
    inlines = [PlacementInline]
    # Without labor.view_full_id_number, ``birth_year`` replaces ``birth_date`` (see
    # _birth_date_swapped): the date is the masked part of the ID number.
    list_display = ["name", "gender", "birth_date", "hometown", "poverty_alleviated", "placement_count"]
    list_filter = ["poverty_alleviated"]
    search_fields = ["name", "^external_id"]
    autocomplete_fields = ["hometown"]
    readonly_fields = ["gender", "birth_date"]
    resource_classes = [WorkerResource]

    def get_queryset(self, request):
        return selectors.worker_admin_list()

    @admin.display(description=_("placements"), ordering="placement_count")
    def placement_count(self, worker):
        return worker.placement_count

    @admin.display(description=_("birth year"), ordering=ExtractYear("birth_date"))
    def birth_year(self, worker):
        # A read-only field shows None as "None" (only list columns use the empty value).
        return worker.birth_date.year if worker.birth_date else self.get_empty_value_display()

    @staticmethod
    def _birth_date_swapped(request, names):
        """``names`` with the birth year in place of the birth date, unless the user may see it."""
        if can_view_full(request.user):
            return list(names)
        return ["birth_year" if name == "birth_date" else name for name in names]

    def lookup_allowed(self, lookup, value, request):
        # ?birth_date__gte=... would let a user bisect the date they are not shown.
        if lookup.split("__")[0] == "birth_date" and not can_view_full(request.user):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_display(self, request):
        full = can_view_full(request.user)

        @admin.display(description=_("ID number"))
        def id_number(worker):
            return worker.id_number if full else worker.id_number_masked

        @admin.display(description=_("phone"))
        def phone(worker):
            return worker.phone if full else mask_phone(worker.phone)

        display = self._birth_date_swapped(request, super().get_list_display(request))
        display[1:1] = [id_number, phone]
        return display

    @admin.display(description=_("ID number"))
    def masked_id_number(self, worker):
        return worker.id_number_masked

    @admin.display(description=_("phone"))
    def masked_phone(self, worker):
        return mask_phone(worker.phone)

    def _shows_masked_text(self, request, obj) -> bool:
        # A view-only page shows each field's value as text, not through the form.
        return obj is not None and not self.has_change_permission(request, obj) and not can_view_full(request.user)

    def get_fields(self, request, obj=None):
        fields = self._birth_date_swapped(request, super().get_fields(request, obj))
        if self._shows_masked_text(request, obj):
            swap = {"id_number": "masked_id_number", "phone": "masked_phone"}
            fields = [swap.get(name, name) for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = self._birth_date_swapped(request, super().get_readonly_fields(request, obj))
        if self._shows_masked_text(request, obj):
            readonly += ["masked_id_number", "masked_phone"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.full_view = can_view_full(request.user)
        return form

    def get_search_results(self, request, queryset, search_term):
        if looks_like_id_number(search_term):
            return selectors.worker_filter_id_number(queryset, search_term), False
        return super().get_search_results(request, queryset, search_term)

    def get_import_resource_classes(self, request):
        return [WorkerPlacementResource]

    def get_export_resource_classes(self, request):
        # The export form lists the columns of the class it is given: the user's own.
        return [WorkerResource.for_user(request.user)]

    def get_historical_record_context_helper(self, request, historical_record):
        helper = WorkerHistoryHelper(self.model, historical_record)
        helper.full_view = can_view_full(request.user)
        return helper

    def save_formset(self, request, form, formset, change):
        if formset.model is not Placement:
            return super().save_formset(request, form, formset, change)
        placements = formset.save(commit=False)
        for placement in formset.deleted_objects:
            placement.delete()
        for placement in placements:
            services.placement_save(placement=placement)
        formset.save_m2m()
        return None


@admin.register(Placement)
class PlacementAdmin(PersonalDataAdminMixin, IndexedSearchMixin, ProgrammeAdmin):
    filterset_class = PlacementFilterSet
    form = PlacementAdminForm
    list_display = ["worker", "destination", "employer", "started_on", "ended_on", "monthly_wage"]
    list_filter = ["destination", "started_on", "worker__poverty_alleviated"]
    search_fields = ["worker__name", "employer__name", "position"]
    autocomplete_fields = ["worker", "employer"]
    date_hierarchy = "started_on"
    resource_classes = [WorkerPlacementResource]

    def get_queryset(self, request):
        return selectors.placement_list()

    def get_search_results(self, request, queryset, search_term):
        if looks_like_id_number(search_term):
            return queryset.filter(
                worker__in=selectors.worker_filter_id_number(Worker.objects.all(), search_term)
            ), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        services.placement_save(placement=obj)


@admin.register(Workshop)
class WorkshopAdmin(IndexedSearchMixin, ProgrammeAdmin):
    filterset_class = WorkshopFilterSet
    resource_classes = [WorkshopResource]
    list_display = ["name", "operator", "region", "opened_on", "closed_on", "jobs_offered"]
    list_filter = ["opened_on"]
    search_fields = ["name", "operator__name", "notes"]
    autocomplete_fields = ["operator", "region"]

    def get_queryset(self, request):
        return selectors.workshop_list()


@admin.register(RecruitmentEvent)
class RecruitmentEventAdmin(IndexedSearchMixin, ProgrammeAdmin):
    filterset_class = RecruitmentEventFilterSet
    resource_classes = [RecruitmentEventResource]
    list_display = ["held_on", "place", "organiser", "positions", "attendees", "hires"]
    list_filter = ["held_on"]
    search_fields = ["place", "organiser__name"]
    autocomplete_fields = ["organiser", "region", "employers"]
    date_hierarchy = "held_on"

    def get_queryset(self, request):
        return selectors.recruitment_event_list()


@admin.register(SkillsTraining)
class SkillsTrainingAdmin(IndexedSearchMixin, ProgrammeAdmin):
    filterset_class = SkillsTrainingFilterSet
    resource_classes = [SkillsTrainingResource]
    list_display = [
        "course",
        "region",
        "organiser",
        "started_on",
        "ended_on",
        "trainees",
        "trainees_poverty_alleviated",
    ]
    list_filter = ["started_on"]
    search_fields = ["course", "organiser__name"]
    autocomplete_fields = ["organiser", "region"]

    def get_queryset(self, request):
        return selectors.skills_training_list()
