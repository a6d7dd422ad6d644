"""Choice sets of consumption assistance; the channel and buyer values are the public contract's."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SaleChannel(models.TextChoices):
    HALL = "hall", _("Sales hall")
    STORE = "store", _("Store or dedicated counter")
    WAREHOUSE = "warehouse", _("Warehouse")
    ECOMMERCE = "ecommerce", _("E-commerce")
    CANTEEN = "canteen", _("Canteen")
    FAIR = "fair", _("Trade fair")
    OTHER = "other", _("Other")


class BuyerKind(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    ENTERPRISE = "enterprise", _("Enterprise")
    UNION = "union", _("Trade union")
    INDIVIDUAL = "individual", _("Individual")
    OTHER = "other", _("Other")


class EastRole(models.TextChoices):
    """Whether the east bought the products itself or helped sell them to others."""

    BOUGHT = "bought", _("Bought by the east")
    HELPED_SELL = "helped_sell", _("Sold with the east's help")


class VenueKind(models.TextChoices):
    HALL = "hall", _("Sales hall")
    STORE = "store", _("Flagship store")
    COUNTER = "counter", _("Dedicated counter")
    ORIGIN_WAREHOUSE = "origin_warehouse", _("Origin warehouse")
    DESTINATION_WAREHOUSE = "destination_warehouse", _("Destination warehouse")
    ONLINE_SHOP = "online_shop", _("Online shop")
