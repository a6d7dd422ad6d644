"""Serializers of the consumption endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from consumption.models import Product, Sale, Venue
from cooperation.api.base import ProgrammeSerializer


class ProductSerializer(ProgrammeSerializer):
    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "category",
            "origin_region",
            "supplier",
            "certificate_number",
            "certificate_valid_until",
        ]


class VenueSerializer(ProgrammeSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", "kind", "place", "operator", "address"]


class SaleSerializer(ProgrammeSerializer):
    """A sale; ``venue``, ``east_role``, ``quantity`` and ``unit`` are optional additions to the contract."""

    class Meta:
        model = Sale
        fields = [
            "id",
            "source",
            "external_id",
            "sold_on",
            "origin_region",
            "product",
            "channel",
            "buyer_kind",
            "amount",
            "venue",
            "east_role",
            "quantity",
            "unit",
        ]


class SaleBulkRowSerializer(SaleSerializer):
    """Documents one row of ``sales/bulk/`` (the rows are checked by ``consumption.bulk``)."""

    class Meta(SaleSerializer.Meta):
        fields = [name for name in SaleSerializer.Meta.fields if name != "id"]


class SaleBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Rows that were new."))
    updated = serializers.IntegerField(help_text=_("Rows that already existed and were overwritten."))


class SaleBulkRowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the row in the request, from 0."))
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class SaleBulkErrorSerializer(serializers.Serializer):
    """A refused batch: per-row ``errors``, or ``non_field_errors`` when the body itself is wrong."""

    errors = SaleBulkRowErrorSerializer(many=True, required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
