"""Indicators of labor cooperation (``labor.*``), declared once. Each counts distinct workers,
so each drills down to the workers list filtered as the figure is (one row per worker)."""

from django.utils.translation import gettext_lazy as _

from cooperation.indicators_base import Breakdown, DrillDown, Indicator, Rollup, Sheet, Trend
from labor import selectors
from labor.choices import Destination
from labor.models import Placement, Worker

# Each figure counts the distinct workers of the year's placements (kept per year, by hometown).
ROLLUP = Rollup(records=Placement, distinct=True)

SHEET = Sheet("labor", _("Labor cooperation"))

LABOR_EMPLOYED = Indicator(
    "labor.employed",
    _("Rural workers employed"),
    "people",
    selectors.labor_employed,
    sheet=SHEET,
    drilldown=DrillDown(Worker),
    rollup=ROLLUP,
    trend=Trend(selectors.labor_employed_by_month, cumulative=False),
    breakdowns=(
        Breakdown(
            "placements_by_destination",
            _("Placements by destination"),
            selectors.placements_by_destination,
            "destination",
            "workers",
            choices=tuple(Destination.choices),
        ),
    ),
)
LABOR_EMPLOYED_POVERTY_ALLEVIATED = Indicator(
    "labor.employed_poverty_alleviated",
    _("Poverty-alleviated workers employed"),
    "people",
    selectors.labor_employed_poverty_alleviated,
    sheet=SHEET,
    drilldown=DrillDown(Worker, params={"poverty_alleviated": "true"}),
    rollup=ROLLUP,
)
LABOR_EMPLOYED_EAST = Indicator(
    "labor.employed_east",
    _("Workers employed in the east"),
    "people",
    selectors.labor_employed_east,
    sheet=SHEET,
    drilldown=DrillDown(Worker, params={"destination": "east"}),
    rollup=ROLLUP,
)

INDICATORS = (LABOR_EMPLOYED, LABOR_EMPLOYED_POVERTY_ALLEVIATED, LABOR_EMPLOYED_EAST)
