"""Admin screens of education."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import ProgrammeAdmin, ProgrammeTabularInline
from cooperation.dispatch.admin import DispatchAdmin
from education import selectors
from education.filtersets import (
    ActivityFilterSet,
    MentorshipFilterSet,
    TeacherDispatchFilterSet,
    TeacherTrainingFilterSet,
    VocationalStudentFilterSet,
)
from education.models import Activity, Mentorship, TeacherDispatch, TeacherTraining, VocationalStudent


class MentorshipInline(ProgrammeTabularInline):
    """A dispatched teacher's mentees, edited on the teacher's page."""

    model = Mentorship
    fields = ["apprentice_name", "started_on"]
    extra = 1
    verbose_name = _("mentee")
    verbose_name_plural = _("mentees")


@admin.register(TeacherDispatch)
class TeacherDispatchAdmin(DispatchAdmin):
    filterset_class = TeacherDispatchFilterSet
    list_display = [*DispatchAdmin.list_display[:2], "subject", *DispatchAdmin.list_display[2:], "mentee_count"]
    search_fields = [*DispatchAdmin.search_fields, "subject"]
    inlines = [MentorshipInline]

    def get_queryset(self, request):
        return selectors.teacher_dispatch_list_with_mentees()

    @admin.display(description=_("mentees"), ordering="mentee_count")
    def mentee_count(self, obj):
        return obj.mentee_count


@admin.register(Mentorship)
class MentorshipAdmin(ProgrammeAdmin):
    filterset_class = MentorshipFilterSet
    list_display = ["apprentice_name", "mentor", "started_on"]
    list_filter = [
        "started_on",
        ("mentor__host_org", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["apprentice_name", "mentor__person_name"]
    autocomplete_fields = ["mentor"]
    date_hierarchy = "started_on"

    def get_queryset(self, request):
        return selectors.mentorship_list()


@admin.register(TeacherTraining)
class TeacherTrainingAdmin(ProgrammeAdmin):
    filterset_class = TeacherTrainingFilterSet
    list_display = ["held_on", "topic", "participants", "school"]
    list_filter = ["held_on", ("school", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["topic", "school__name"]
    autocomplete_fields = ["school"]
    date_hierarchy = "held_on"

    def get_queryset(self, request):
        return selectors.teacher_training_list()


@admin.register(VocationalStudent)
class VocationalStudentAdmin(ProgrammeAdmin):
    filterset_class = VocationalStudentFilterSet
    list_display = ["name", "hometown", "school", "enrolled_on", "major", "status"]
    list_filter = [
        "status",
        "enrolled_on",
        ("school", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "major", "school__name"]
    autocomplete_fields = ["hometown", "school"]
    date_hierarchy = "enrolled_on"

    def get_queryset(self, request):
        return selectors.vocational_student_list()


@admin.register(Activity)
class ActivityAdmin(ProgrammeAdmin):
    filterset_class = ActivityFilterSet
    list_display = ["held_on", "kind", "title", "participants", "school"]
    list_filter = ["kind", "held_on"]
    search_fields = ["title", "school__name"]
    autocomplete_fields = ["school"]
    date_hierarchy = "held_on"

    def get_queryset(self, request):
        return selectors.activity_list()
