"""Serializers of the programme core's endpoints."""

from rest_framework import serializers

from cooperation.api.base import ProgrammeSerializer
from cooperation.models import Organization, Pairing, Region, Secondment, Submission, Target


class RegionSerializer(ProgrammeSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "parent", "side"]


class OrganizationSerializer(ProgrammeSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "side", "region", "credit_code", "parent", "address", "contact"]
        extra_kwargs = {"credit_code": {"allow_blank": True}}


class PairingSerializer(ProgrammeSerializer):
    class Meta:
        model = Pairing
        fields = ["id", "kind", "east_region", "west_region", "east_org", "west_org", "started_on", "ended_on", "focus"]


class TargetSerializer(ProgrammeSerializer):
    class Meta:
        model = Target
        fields = ["id", "year", "indicator", "value", "region", "notes"]


class SecondmentSerializer(ProgrammeSerializer):
    class Meta:
        model = Secondment
        fields = [
            "id",
            "person_name",
            "direction",
            "kind",
            "region",
            "home_org",
            "host_org",
            "position",
            "started_on",
            "ended_on",
        ]


class SubmissionSerializer(ProgrammeSerializer):
    """A county's month (CONTRACT.md 1.1). The status and the people move only by the actions
    (``submit/``, ``approve/``, ``return/``, ``reopen/``); users are given by username."""

    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "region",
            "month",
            "status",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "comment",
            "warnings",
        ]
        read_only_fields = ["status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "warnings"]
        extra_kwargs = {"comment": {"required": False, "allow_blank": True}}
