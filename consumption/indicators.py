"""The consumption assistance indicator (``consumption.sales``), declared once."""

from django.utils.translation import gettext_lazy as _

from consumption import selectors
from consumption.choices import BuyerKind, SaleChannel
from consumption.models import Sale
from cooperation.indicators_base import Breakdown, DrillDown, Sheet, Trend, money_indicator

SHEET = Sheet("consumption", _("Consumption assistance"))

SALES = money_indicator(
    "consumption.sales",
    _("Consumption assistance sales"),
    selectors.consumption_sales,
    sheet=SHEET,
    drilldown=DrillDown(Sale, measure="sum", field="amount"),
    trend=Trend(selectors.sales_by_month),
    breakdowns=(
        Breakdown(
            "sales_by_channel",
            _("Sales by channel"),
            selectors.sales_by_channel,
            "channel",
            "amount",
            choices=tuple(SaleChannel.choices),
        ),
        Breakdown(
            "sales_by_buyer_kind",
            _("Sales by buyer"),
            selectors.sales_by_buyer_kind,
            "buyer_kind",
            "amount",
            choices=tuple(BuyerKind.choices),
        ),
    ),
)

INDICATORS = (SALES,)
