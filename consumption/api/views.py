"""Endpoints of consumption assistance: products, venues, sales and the sales bulk upsert."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from consumption import selectors, services
from consumption.api import serializers
from consumption.api.parsers import BulkJSONParser
from consumption.filtersets import ProductFilterSet, SaleFilterSet, VenueFilterSet
from cooperation.api.base import ProgrammeViewSet


class ProductViewSet(ProgrammeViewSet):
    queryset = selectors.product_list()
    serializer_class = serializers.ProductSerializer
    filterset_class = ProductFilterSet
    search_fields = ["name", "category", "certificate_number"]
    ordering_fields = ["id", "name", "category", "certificate_valid_until"]


class VenueViewSet(ProgrammeViewSet):
    queryset = selectors.venue_list()
    serializer_class = serializers.VenueSerializer
    filterset_class = VenueFilterSet
    search_fields = ["name", "address"]
    ordering_fields = ["id", "name", "kind"]


class SaleViewSet(ProgrammeViewSet):
    queryset = selectors.sale_list()
    serializer_class = serializers.SaleSerializer
    filterset_class = SaleFilterSet
    search_fields = ["source", "external_id", "product__name"]
    ordering_fields = ["id", "sold_on", "amount", "channel", "buyer_kind", "source", "external_id"]

    @extend_schema(
        request=serializers.SaleBulkRowSerializer(many=True),
        responses={
            200: serializers.SaleBulkResultSerializer,
            400: OpenApiResponse(serializers.SaleBulkErrorSerializer, description="Nothing was written."),
        },
        description=(
            "Create or update up to 5,000 sales by (source, external_id); all rows or none. Each row is the "
            "sale's whole state: optional fields left out are cleared. `updated` counts every row that already "
            "existed (a replay answers created 0, updated n); an unchanged row is not rewritten. Two rows with "
            "the same (source, external_id) in one request are refused, both indexes named."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        filter_backends=[],
        pagination_class=None,
        parser_classes=[BulkJSONParser],
    )
    def bulk(self, request):
        # The base permission checks "add"; an upsert may also change stored sales.
        if not request.user.has_perm("consumption.change_sale"):
            raise PermissionDenied
        try:
            result = services.sale_bulk_upsert(data=request.data, user=request.user)
        except services.SaleBulkError as exc:
            return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(result)
