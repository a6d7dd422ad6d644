"""Endpoints of the programme core."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cooperation import selectors, submissions
from cooperation.api import serializers
from cooperation.api.base import ProgrammeViewSet
from cooperation.filtersets import (
    OrganizationFilterSet,
    PairingFilterSet,
    RegionFilterSet,
    SecondmentFilterSet,
    SubmissionFilterSet,
    TargetFilterSet,
)


class RegionViewSet(ProgrammeViewSet):
    queryset = selectors.region_list()
    serializer_class = serializers.RegionSerializer
    filterset_class = RegionFilterSet
    search_fields = ["name", "code"]
    ordering_fields = ["id", "name", "code", "level"]
    ordering = ["code"]


class OrganizationViewSet(ProgrammeViewSet):
    queryset = selectors.organization_list()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "credit_code"]
    ordering_fields = ["id", "name", "kind", "side"]
    ordering = ["name", "id"]


class PairingViewSet(ProgrammeViewSet):
    queryset = selectors.pairing_list()
    serializer_class = serializers.PairingSerializer
    filterset_class = PairingFilterSet
    search_fields = ["focus", "east_region__name", "west_region__name", "east_org__name", "west_org__name"]
    ordering_fields = ["id", "kind", "started_on", "ended_on"]


class TargetViewSet(ProgrammeViewSet):
    queryset = selectors.target_list()
    serializer_class = serializers.TargetSerializer
    filterset_class = TargetFilterSet
    search_fields = ["indicator", "region__name", "notes"]
    ordering_fields = ["id", "year", "indicator", "value"]


class SecondmentViewSet(ProgrammeViewSet):
    queryset = selectors.secondment_list()
    serializer_class = serializers.SecondmentSerializer
    filterset_class = SecondmentFilterSet
    search_fields = ["person_name", "position"]
    ordering_fields = ["id", "person_name", "started_on", "ended_on"]


def _text_field(request, name: str):
    """``name`` of the action's JSON body: a string, None when absent (a body that is not an
    object is a 400)."""
    data = request.data
    if data is None or data == {} or data == "":
        return None
    if not isinstance(data, dict):
        raise ValidationError(
            {"non_field_errors": [_('Expected an object such as {"%(name)s": "..."}.') % {"name": name}]}
        )
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValidationError({name: [_("Not a valid string.")]})
    return value


def _move_schema(move: str, body: str | None):
    request = None
    if body is not None:
        request = inline_serializer(
            f"Submission{move.title()}Body", {body: drf_serializers.CharField(required=move != "submit")}
        )
    return extend_schema(
        request=request, responses={200: serializers.SubmissionSerializer}, summary=f"{move} a submission"
    )


class SubmissionViewSet(ProgrammeViewSet):
    """Monthly submissions (CONTRACT.md 1.1): POST creates a draft; the actions move it."""

    queryset = selectors.submission_list()
    serializer_class = serializers.SubmissionSerializer
    filterset_class = SubmissionFilterSet
    search_fields = ["region__name", "region__code", "comment"]
    ordering_fields = ["id", "month", "status", "submitted_at", "reviewed_at"]
    ordering = ["-month", "region__code"]
    update_service = submissions.submission_update
    delete_service = submissions.submission_delete

    def get_permissions(self):
        if self.action in ("submit", "approve", "return_", "reopen"):
            # Who may make a move is the service's rule (four eyes included); reading the
            # submission is what it takes to ask (checked in _move).
            return [IsAuthenticated()]
        return super().get_permissions()

    def _move(self, request, move: str, **kwargs):
        submission = self.get_object()
        if not request.user.has_perm("cooperation.view_submission"):
            self.permission_denied(request)
        service = submissions.MOVE_SERVICES[move]
        moved = service(submission=submission, user=request.user, **kwargs)
        return Response(self.get_serializer(self._refetch(moved)).data)

    @_move_schema("submit", "comment")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._move(request, "submit", comment=_text_field(request, "comment"))

    @_move_schema("approve", None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._move(request, "approve")

    @_move_schema("return", "comment")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._move(request, "return", comment=_text_field(request, "comment"))

    @_move_schema("reopen", "reason")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._move(request, "reopen", reason=_text_field(request, "reason"))
