"""The indicator registry: every domain app's indicators, in the contract's order.

Targets refer to these keys, and the dashboard summary, the reports and the admin links list
them in this order. Each indicator is declared once, in its app's ``indicators.py``; this
module only puts them in order and registers them with the core (``cooperation``) so a target
can name them. Nothing here computes a figure.
"""

from consumption import indicators as consumption
from cooperation import indicators as talent
from cooperation.indicators_base import Indicator, registry
from education import indicators as education
from healthcare import indicators as healthcare
from labor import indicators as labor
from projects import indicators as projects

INDICATORS: tuple[Indicator, ...] = (
    *projects.INDICATORS,
    *labor.INDICATORS,
    *healthcare.INDICATORS,
    *education.INDICATORS,
    *talent.INDICATORS,
    *consumption.INDICATORS,
)
INDICATORS_BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}

# The report workbook's domain sheets, in the order their indicators first appear.
SHEETS = tuple(dict.fromkeys(indicator.sheet for indicator in INDICATORS))

registry.register(*INDICATORS)


def get_indicator(key: str) -> Indicator:
    return INDICATORS_BY_KEY[key]
