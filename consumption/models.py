"""Consumption assistance (消费帮扶): the west's products, where they are sold, and the sales."""

from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from consumption.choices import BuyerKind, EastRole, SaleChannel, VenueKind
from cooperation.fields import MoneyField, positive_constraint
from cooperation.models import AuditedModel, Organization, Region, require_side
from cooperation.records import RecordKind

# Field sizes shared with the bulk validator, which checks rows without building models.
SOURCE_MAX_LENGTH = 64
EXTERNAL_ID_MAX_LENGTH = 128
UNIT_MAX_LENGTH = 20
QUANTITY_MAX_DIGITS = 14
QUANTITY_DECIMAL_PLACES = 3


class Product(AuditedModel):
    """A western farm product sold through consumption assistance, with its certificate if any.

    The consumption-assistance product certificate (消费帮扶产品认定) has a number and an expiry
    date; a product without one can still be sold.
    """

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("category"), max_length=100, help_text=_("Free text, e.g. beef, buckwheat, potatoes.")
    )
    origin_region = models.ForeignKey(
        Region,
        verbose_name=_("origin region"),
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"side": "west"},
    )
    supplier = models.ForeignKey(
        Organization,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
    )
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)

    record_kind = RecordKind(region="origin_region")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        indexes = [
            # The admin's search by name (``name ILIKE '%…%'``); pg_trgm, see migration 0003.
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="product_name_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="product_certificate_number_unique",
                violation_error_message=_("A product with this certificate number already exists."),
                violation_error_code="duplicate_certificate",
            ),
            models.CheckConstraint(
                condition=Q(certificate_valid_until__isnull=True) | ~Q(certificate_number=""),
                name="product_certificate_expiry_needs_number",
                violation_error_message=_("A certificate expiry date needs the certificate number."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = require_side(self, "origin_region", "west")
        if self.certificate_valid_until and not self.certificate_number:
            errors["certificate_number"] = _("A certificate expiry date needs the certificate number.")
        if errors:
            raise ValidationError(errors)


class Venue(AuditedModel):
    """Where products are sold or stored: a sales hall, store, counter, warehouse or online shop."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=VenueKind.choices)
    place = models.ForeignKey(
        Region,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="venues",
        help_text=_("The region the venue is in (an origin warehouse in the west, a hall in the east...)."),
    )
    operator = models.ForeignKey(
        Organization,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venues",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    record_kind = RecordKind(region="place")

    class Meta:
        verbose_name = _("sales venue")
        verbose_name_plural = _("sales venues")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Sale(AuditedModel):
    """A sale of western products bought or sold with the east's help, as the sending system reported it.

    ``(source, external_id)`` is the sending system's key: the bulk endpoint upserts on it, so a
    resent batch updates instead of duplicating. ``amount`` is in yuan.
    """

    source = models.CharField(_("source system"), max_length=SOURCE_MAX_LENGTH)
    external_id = models.CharField(_("external id"), max_length=EXTERNAL_ID_MAX_LENGTH)
    sold_on = models.DateField(_("sold on"))
    origin_region = models.ForeignKey(
        Region,
        verbose_name=_("origin region"),
        on_delete=models.PROTECT,
        related_name="sales",
        limit_choices_to={"side": "west"},
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, null=True, blank=True, related_name="sales"
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, null=True, blank=True, related_name="sales"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=SaleChannel.choices)
    buyer_kind = models.CharField(_("buyer kind"), max_length=12, choices=BuyerKind.choices)
    east_role = models.CharField(_("role of the east"), max_length=12, choices=EastRole.choices, blank=True, default="")
    amount = MoneyField(_("amount (yuan)"), positive=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=QUANTITY_MAX_DIGITS,
        decimal_places=QUANTITY_DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(_("unit"), max_length=UNIT_MAX_LENGTH, blank=True, help_text=_("For example kg, box."))

    record_kind = RecordKind(region="origin_region", date="sold_on")

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-sold_on", "-id"]
        indexes = [
            models.Index(fields=["sold_on"], name="sale_sold_on_idx"),
            models.Index(fields=["-sold_on", "-id"], name="sale_sold_on_id"),  # the default ordering
            # The admin's search by identifier: ``=source`` (UPPER(source) = ...) and
            # ``^external_id`` (external_id ILIKE 'x%', pg_trgm; see migration 0003).
            models.Index(Upper("source"), name="sale_source_upper"),
            GinIndex(fields=["external_id"], opclasses=["gin_trgm_ops"], name="sale_external_id_trgm"),
        ]
        constraints = [
            # ``external_id`` last: a key lost to a concurrent request (a bulk upsert, most
            # likely) is answered under the constraint's last field (cooperation.constraints).
            models.UniqueConstraint(
                fields=["source", "external_id"],
                name="sale_source_external_id_unique",
                violation_error_message=_("A sale with this source and external id already exists."),
                violation_error_code="duplicate_sale",
            ),
            positive_constraint("sale_amount_positive"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="sale_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.source}:{self.external_id}"

    def clean(self):
        # The bulk endpoint applies the same rules in consumption.bulk (it checks rows without
        # building models); keep the two in step.
        errors = require_side(self, "origin_region", "west")
        if errors:
            raise ValidationError(errors)
