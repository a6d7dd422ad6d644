"""Indicators of the teacher team dispatch and of vocational education (``education.*``)."""

from django.utils.translation import gettext_lazy as _

from cooperation.indicators_base import DrillDown, Indicator, Sheet
from education import selectors
from education.models import Mentorship, TeacherDispatch, TeacherTraining, VocationalStudent

SHEET = Sheet("education", _("Education"))

TEACHERS_DISPATCHED = Indicator(
    "education.teachers_dispatched",
    _("Teachers dispatched"),
    "people",
    selectors.education_teachers_dispatched,
    sheet=SHEET,
    drilldown=DrillDown(TeacherDispatch),
)
TEACHERS_TRAINED = Indicator(
    "education.teachers_trained",
    _("Teachers trained"),
    "person-times",
    selectors.education_teachers_trained,
    sheet=SHEET,
    drilldown=DrillDown(TeacherTraining, measure="sum", field="participants"),
)
MENTORSHIPS = Indicator(
    "education.mentorships",
    _("Mentor-apprentice pairs"),
    "pairs",
    selectors.education_mentorships,
    sheet=SHEET,
    drilldown=DrillDown(Mentorship),
)
VOCATIONAL_STUDENTS = Indicator(
    "education.vocational_students",
    _("Vocational students enrolled"),
    "people",
    selectors.education_vocational_students,
    sheet=SHEET,
    drilldown=DrillDown(VocationalStudent),
)

INDICATORS = (TEACHERS_DISPATCHED, TEACHERS_TRAINED, MENTORSHIPS, VOCATIONAL_STUDENTS)
