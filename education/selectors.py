"""Reads and figures of education: every aggregate of the app lives here."""

from django.db.models import Count, QuerySet, Sum

from cooperation.dispatch.selectors import dispatch_count, dispatch_list
from cooperation.models import Region
from cooperation.selectors import records_in
from education.models import Activity, Mentorship, TeacherDispatch, TeacherTraining, VocationalStudent


def teacher_dispatch_list() -> QuerySet:
    return dispatch_list(TeacherDispatch)


def teacher_dispatch_list_with_mentees() -> QuerySet:
    """Teacher dispatches with ``mentee_count``, their number of mentees (the admin list shows it)."""
    # An aggregate drops Meta.ordering (Django 3.1+): keep the model's order for pickers and pages.
    return teacher_dispatch_list().annotate(mentee_count=Count("mentorships")).order_by(*TeacherDispatch._meta.ordering)


def mentorship_list() -> QuerySet:
    return Mentorship.objects.select_related("mentor", "mentor__host_org")


def teacher_training_list() -> QuerySet:
    return TeacherTraining.objects.select_related("school")


def vocational_student_list() -> QuerySet:
    return VocationalStudent.objects.select_related("hometown", "school")


def activity_list() -> QuerySet:
    return Activity.objects.select_related("school")


def education_teachers_dispatched(*, year: int, region: Region | None = None) -> int:
    """``education.teachers_dispatched``: teacher dispatch records overlapping the year."""
    return dispatch_count(TeacherDispatch.objects.all(), year=year, region=region)


def education_teachers_trained(*, year: int, region: Region | None = None) -> int:
    """``education.teachers_trained``: participants of trainings held in the year.

    With a region, a training counts in its school's region; one without a school counts only
    in the programme-wide figure (the contract's rule), which the subtree filter gives, since
    a NULL school never matches it.
    """
    qs = records_in(TeacherTraining.objects.all(), year=year, region=region)
    return qs.aggregate(total=Sum("participants"))["total"] or 0


def education_mentorships(*, year: int, region: Region | None = None) -> int:
    """``education.mentorships``: pairs started in the year, in the mentor's host region."""
    return records_in(Mentorship.objects.all(), year=year, region=region).count()


def education_vocational_students(*, year: int, region: Region | None = None) -> int:
    """``education.vocational_students``: students enrolled in the year, by their hometown."""
    return records_in(VocationalStudent.objects.all(), year=year, region=region).count()
