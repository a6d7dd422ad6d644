"""Shape of the dashboard summary (for the OpenAPI document; the body is built from the selectors)."""

from rest_framework import serializers

from indicators.serializers import IndicatorSerializer


class SummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.IntegerField(allow_null=True)
    indicators = IndicatorSerializer(many=True)
