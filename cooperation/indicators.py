"""The programme core's indicator (``talent.cadres``), declared once."""

from django.utils.translation import gettext_lazy as _

from cooperation import selectors
from cooperation.indicators_base import DrillDown, Indicator, Sheet
from cooperation.models import Secondment

SHEET = Sheet("talent", _("Talent"))

CADRES = Indicator(
    "talent.cadres",
    _("Cadres seconded"),
    "people",
    selectors.talent_cadres,
    sheet=SHEET,
    drilldown=DrillDown(Secondment, params={"kind": "cadre"}),
)

INDICATORS = (CADRES,)
