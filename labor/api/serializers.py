"""Serializers of labor cooperation's endpoints."""

from rest_framework import serializers

from cooperation.api.base import ProgrammeSerializer
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from labor.personal_data import can_view_full, mask_id_number, mask_phone


class PersonalDataField(serializers.CharField):
    """A personal-data string: written in full, read back masked unless the requesting user
    holds ``labor.view_full_id_number``."""

    def __init__(self, *, mask, **kwargs):
        self.mask = mask
        super().__init__(**kwargs)

    def represent_for(self, request):
        """The conversion for ``request``'s user (also used by :mod:`cooperation.api.rows`)."""
        plain = super().to_representation
        if request is not None and can_view_full(request.user):
            return plain
        mask = self.mask
        return lambda value: mask(plain(value))

    def to_representation(self, value):
        return self.represent_for(self.context.get("request"))(value)


class BirthDateField(serializers.DateField):
    """The birth date, read-only: ``null`` unless the requesting user holds
    ``labor.view_full_id_number`` (it is the masked part of the ID number)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def represent_for(self, request):
        """The conversion for ``request``'s user (also used by :mod:`cooperation.api.rows`)."""
        if request is None or not can_view_full(request.user):
            return lambda value: None
        return super().to_representation

    def to_representation(self, value):
        return self.represent_for(self.context.get("request"))(value)


class WorkerSerializer(ProgrammeSerializer):
    id_number = PersonalDataField(
        mask=mask_id_number,
        max_length=40,
        help_text="18-character resident ID number (GB 11643). Read back as 513431********1234 unless the "
        "user holds labor.view_full_id_number.",
    )
    phone = PersonalDataField(
        mask=mask_phone,
        max_length=30,
        required=False,
        allow_blank=True,
        help_text="Read back as 138****5678 unless the user holds labor.view_full_id_number.",
    )
    birth_date = BirthDateField(
        help_text="Derived from the ID number. null unless the user holds labor.view_full_id_number: it is the "
        "masked part of the number (use birth_year).",
    )
    birth_year = serializers.IntegerField(
        source="birth_date.year", read_only=True, allow_null=True, help_text="Derived from the ID number."
    )

    class Meta:
        model = Worker
        fields = [
            "id",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "birth_year",
            "hometown",
            "poverty_alleviated",
            "monitored_household",
            "phone",
            "external_id",
        ]
        read_only_fields = ["gender"]
        extra_kwargs = {"external_id": {"allow_blank": True}, "poverty_alleviated": {"required": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # A stored worker keeps its number unless a new one is sent: a client that only
            # ever saw it masked can still replace the whole record (PUT, or an upsert).
            self.fields["id_number"].required = False
            self.fields["poverty_alleviated"].required = False

    def build_instance(self, attrs):
        instance = super().build_instance(attrs)
        # Properties, not columns: the base class copies columns only.
        for key in ("id_number", "phone"):
            if key in attrs:
                setattr(instance, key, attrs[key])
        return instance


class PlacementSerializer(ProgrammeSerializer):
    class Meta:
        model = Placement
        fields = ["id", "worker", "employer", "destination", "position", "started_on", "ended_on", "monthly_wage"]


class WorkshopSerializer(ProgrammeSerializer):
    class Meta:
        model = Workshop
        fields = ["id", "name", "operator", "region", "opened_on", "closed_on", "jobs_offered", "notes"]


class RecruitmentEventSerializer(ProgrammeSerializer):
    class Meta:
        model = RecruitmentEvent
        fields = ["id", "held_on", "place", "region", "organiser", "employers", "positions", "attendees", "hires"]

    def validate(self, attrs):
        # The base class reads every attribute back from an unsaved instance, and an unsaved
        # instance cannot read a many-to-many field: keep the list aside meanwhile.
        employers = attrs.pop("employers", None)
        attrs = super().validate(attrs)
        if employers is not None:
            attrs["employers"] = employers
        return attrs


class SkillsTrainingSerializer(ProgrammeSerializer):
    class Meta:
        model = SkillsTraining
        fields = [
            "id",
            "course",
            "region",
            "organiser",
            "started_on",
            "ended_on",
            "trainees",
            "trainees_poverty_alleviated",
        ]
