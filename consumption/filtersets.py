"""FilterSets of consumption assistance, shared by the API and the admin."""

import django_filters
from django.utils.translation import gettext_lazy as _

from consumption.models import Product, Sale, Venue
from cooperation.filtering import ProgrammeFilterSet, RegionWithinFilter, YearFilter


class ProductFilterSet(ProgrammeFilterSet):
    origin_region_within = RegionWithinFilter(field_name="origin_region")
    certified = django_filters.BooleanFilter(
        field_name="certificate_number", method="filter_certified", label=_("Has a certificate")
    )
    certificate_valid_until = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Product
        fields = ["category", "origin_region", "supplier", "certificate_number"]

    def filter_certified(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(certificate_number="") if value else queryset.filter(certificate_number="")


class VenueFilterSet(ProgrammeFilterSet):
    place_within = RegionWithinFilter(field_name="place")

    class Meta:
        model = Venue
        fields = ["kind", "place", "operator"]


class SaleFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="sold_on")
    sold_on = django_filters.DateFromToRangeFilter()
    origin_region_within = RegionWithinFilter(field_name="origin_region")

    class Meta:
        model = Sale
        fields = [
            "source",
            "external_id",
            "origin_region",
            "product",
            "venue",
            "channel",
            "buyer_kind",
            "east_role",
        ]
