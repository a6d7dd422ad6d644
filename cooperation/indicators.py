"""The registry of programme indicators (the contract's indicator table).

Targets refer to these keys, and the dashboard summary and the reports list them in this order.
Each indicator names the selector that computes it: a function in a domain app's
``selectors`` module called as ``fn(year=Y, region=R)`` (``region`` a ``Region`` or None), which
returns an ``int`` or a ``Decimal`` in yuan. Nothing else computes an indicator.
"""

from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    unit: str
    unit_label: Promise
    selector: str  # "app.selectors.function"
    money: bool = False

    def compute(self, *, year: int, region=None) -> int | Decimal:
        module_name, func_name = self.selector.rsplit(".", 1)
        return getattr(import_module(module_name), func_name)(year=year, region=region)


def _money(key, label, selector):
    return Indicator(key, label, "yuan", pgettext_lazy("unit", "yuan"), selector, money=True)


INDICATORS: tuple[Indicator, ...] = (
    _money("funds.allocated", _("Aid funds allocated"), "projects.selectors.funds_allocated"),
    _money("funds.disbursed", _("Aid funds disbursed"), "projects.selectors.funds_disbursed"),
    Indicator(
        "projects.count",
        _("Projects"),
        "projects",
        pgettext_lazy("unit", "projects"),
        "projects.selectors.projects_count",
    ),
    Indicator(
        "investment.enterprises",
        _("Enterprises investing"),
        "enterprises",
        pgettext_lazy("unit", "enterprises"),
        "projects.selectors.investment_enterprises",
    ),
    _money("investment.amount", _("Investment in place"), "projects.selectors.investment_amount"),
    Indicator(
        "labor.employed",
        _("Rural workers employed"),
        "people",
        pgettext_lazy("unit", "people"),
        "labor.selectors.labor_employed",
    ),
    Indicator(
        "labor.employed_poverty_alleviated",
        _("Poverty-alleviated workers employed"),
        "people",
        pgettext_lazy("unit", "people"),
        "labor.selectors.labor_employed_poverty_alleviated",
    ),
    Indicator(
        "labor.employed_east",
        _("Workers employed in the east"),
        "people",
        pgettext_lazy("unit", "people"),
        "labor.selectors.labor_employed_east",
    ),
    Indicator(
        "healthcare.staff_dispatched",
        _("Medical staff dispatched"),
        "people",
        pgettext_lazy("unit", "people"),
        "healthcare.selectors.healthcare_staff_dispatched",
    ),
    Indicator(
        "healthcare.outpatients",
        _("Patient visits"),
        "visits",
        pgettext_lazy("unit", "visits"),
        "healthcare.selectors.healthcare_outpatients",
    ),
    Indicator(
        "healthcare.surgeries",
        _("Surgeries and invasive procedures"),
        "cases",
        pgettext_lazy("unit", "cases"),
        "healthcare.selectors.healthcare_surgeries",
    ),
    Indicator(
        "healthcare.rescues",
        _("Critical-care rescues"),
        "cases",
        pgettext_lazy("unit", "cases"),
        "healthcare.selectors.healthcare_rescues",
    ),
    Indicator(
        "education.teachers_dispatched",
        _("Teachers dispatched"),
        "people",
        pgettext_lazy("unit", "people"),
        "education.selectors.education_teachers_dispatched",
    ),
    Indicator(
        "education.teachers_trained",
        _("Teachers trained"),
        "person-times",
        pgettext_lazy("unit", "person-times"),
        "education.selectors.education_teachers_trained",
    ),
    Indicator(
        "education.mentorships",
        _("Mentor-apprentice pairs"),
        "pairs",
        pgettext_lazy("unit", "pairs"),
        "education.selectors.education_mentorships",
    ),
    Indicator(
        "education.vocational_students",
        _("Vocational students enrolled"),
        "people",
        pgettext_lazy("unit", "people"),
        "education.selectors.education_vocational_students",
    ),
    Indicator(
        "talent.cadres",
        _("Cadres seconded"),
        "people",
        pgettext_lazy("unit", "people"),
        "cooperation.selectors.talent_cadres",
    ),
    _money("consumption.sales", _("Consumption assistance sales"), "consumption.selectors.consumption_sales"),
)

INDICATORS_BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
INDICATOR_CHOICES = [(indicator.key, indicator.label) for indicator in INDICATORS]


def get_indicator(key: str) -> Indicator:
    return INDICATORS_BY_KEY[key]
