"""The shape of an indicator row in the API (the summary and the reports), for the OpenAPI document."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# A figure: a JSON number, or for money a decimal string in yuan with two places.
FIGURE_SCHEMA = {
    "oneOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}],
    "nullable": True,
}


@extend_schema_field(FIGURE_SCHEMA)
class FigureField(serializers.Field):
    pass


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = FigureField()
    unit = serializers.CharField()
    target = FigureField()
    completion = serializers.FloatField(allow_null=True)
