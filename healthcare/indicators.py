"""Indicators of the medical team dispatch (``healthcare.*``), declared once."""

from django.utils.translation import gettext_lazy as _

from cooperation.indicators_base import DrillDown, Indicator, Sheet, Trend
from healthcare import selectors
from healthcare.models import MedicalDispatch, MedicalServiceStat

SHEET = Sheet("healthcare", _("Healthcare"))

STAFF_DISPATCHED = Indicator(
    "healthcare.staff_dispatched",
    _("Medical staff dispatched"),
    "people",
    selectors.healthcare_staff_dispatched,
    sheet=SHEET,
    drilldown=DrillDown(MedicalDispatch),
)
OUTPATIENTS = Indicator(
    "healthcare.outpatients",
    _("Patient visits"),
    "visits",
    selectors.healthcare_outpatients,
    sheet=SHEET,
    drilldown=DrillDown(MedicalServiceStat, measure="sum", field="outpatients"),
    trend=Trend(selectors.healthcare_outpatients_by_month),
)
SURGERIES = Indicator(
    "healthcare.surgeries",
    _("Surgeries and invasive procedures"),
    "cases",
    selectors.healthcare_surgeries,
    sheet=SHEET,
    drilldown=DrillDown(MedicalServiceStat, measure="sum", field="surgeries"),
)
RESCUES = Indicator(
    "healthcare.rescues",
    _("Critical-care rescues"),
    "cases",
    selectors.healthcare_rescues,
    sheet=SHEET,
    drilldown=DrillDown(MedicalServiceStat, measure="sum", field="rescues"),
)

INDICATORS = (STAFF_DISPATCHED, OUTPATIENTS, SURGERIES, RESCUES)
