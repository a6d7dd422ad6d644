"""Indicators of projects, funds and enterprise investment (``funds.*``, ``projects.count``,
``investment.*``), declared once: the dashboard, the summary API, the reports, the admin links
and the targets all read these objects."""

from django.utils.translation import gettext_lazy as _

from cooperation.indicators_base import Breakdown, DrillDown, Indicator, Sheet, Trend, money_indicator
from projects import selectors
from projects.choices import ProjectCategory
from projects.models import Disbursement, FundAllocation, Investment, Project

SHEET = Sheet("projects", _("Funds and projects"))

FUNDS_ALLOCATED = money_indicator(
    "funds.allocated",
    _("Aid funds allocated"),
    selectors.funds_allocated,
    sheet=SHEET,
    drilldown=DrillDown(FundAllocation, measure="sum", field="amount"),
    trend=Trend(selectors.funds_allocated_by_month),
    breakdowns=(
        Breakdown(
            "funds_by_category",
            _("Funds by project category"),
            selectors.funds_by_category,
            "category",
            "amount",
            choices=tuple(ProjectCategory.choices),
            zeros=False,
        ),
    ),
)
FUNDS_DISBURSED = money_indicator(
    "funds.disbursed",
    _("Aid funds disbursed"),
    selectors.funds_disbursed,
    sheet=SHEET,
    drilldown=DrillDown(Disbursement, measure="sum", field="amount"),
    trend=Trend(selectors.funds_disbursed_by_month),
)
PROJECTS_COUNT = Indicator(
    "projects.count",
    _("Projects"),
    "projects",
    selectors.projects_count,
    sheet=SHEET,
    drilldown=DrillDown(Project, params={"cancelled": "false"}),
)
INVESTMENT_ENTERPRISES = Indicator(
    "investment.enterprises",
    _("Enterprises investing"),
    "enterprises",
    selectors.investment_enterprises,
    sheet=SHEET,
    drilldown=DrillDown(Investment, measure="distinct", field="enterprise_id"),
)
INVESTMENT_AMOUNT = money_indicator(
    "investment.amount",
    _("Investment in place"),
    selectors.investment_amount,
    sheet=SHEET,
    drilldown=DrillDown(Investment, measure="sum", field="amount"),
)

INDICATORS = (FUNDS_ALLOCATED, FUNDS_DISBURSED, PROJECTS_COUNT, INVESTMENT_ENTERPRISES, INVESTMENT_AMOUNT)
