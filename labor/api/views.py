"""Endpoints of labor cooperation."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.response import Response

from cooperation.api.base import ProgrammeViewSet
from cooperation.api.filters import FilterBackend, StrictOrderingFilter
from labor import selectors, services
from labor.api import serializers
from labor.filtersets import (
    PlacementFilterSet,
    RecruitmentEventFilterSet,
    SkillsTrainingFilterSet,
    WorkerFilterSet,
    WorkshopFilterSet,
)
from labor.models import Worker
from labor.personal_data import can_view_full
from labor.validators import looks_like_id_number

# Fields only users holding labor.view_full_id_number may order by: the birth date is the
# masked part of the ID number, and ordering would let others bisect it.
FULL_VIEW_ORDERING_FIELDS = frozenset({"birth_date"})


class WorkerSearchFilter(SearchFilter):
    """``?search=``: a full ID number finds its worker through the keyed hash; anything else
    searches names and external ids as usual."""

    def filter_queryset(self, request, queryset, view):
        term = request.query_params.get(self.search_param, "")
        if looks_like_id_number(term):
            return selectors.worker_filter_id_number(queryset, term)
        return super().filter_queryset(request, queryset, view)


class WorkerOrderingFilter(StrictOrderingFilter):
    """``?ordering=``; ``birth_date`` only for users holding ``labor.view_full_id_number``
    (for others it is a 400 naming ``ordering``, as any unknown field)."""

    def get_valid_fields(self, queryset, view, context=None):
        fields = super().get_valid_fields(queryset, view, context or {})
        request = (context or {}).get("request")
        if request is not None and can_view_full(request.user):
            return fields
        return [item for item in fields if item[0] not in FULL_VIEW_ORDERING_FIELDS]


class WorkerViewSet(ProgrammeViewSet):
    """Workers. A POST whose ``external_id`` is already stored updates that worker (200)
    instead of failing, so a sending system can resend its records safely."""

    queryset = selectors.worker_list()
    serializer_class = serializers.WorkerSerializer
    filterset_class = WorkerFilterSet
    filter_backends = [FilterBackend, WorkerOrderingFilter, WorkerSearchFilter]
    search_fields = ["name", "external_id"]
    ordering_fields = ["id", "name", "birth_date", "created_at", "updated_at"]
    create_service = services.worker_create
    update_service = services.worker_update

    @extend_schema(
        responses={
            201: serializers.WorkerSerializer,
            200: OpenApiResponse(serializers.WorkerSerializer, description="Updated the worker with that external_id."),
        }
    )
    def create(self, request, *args, **kwargs):
        worker = self._stored_worker(request.data)
        if worker is None:
            return super().create(request, *args, **kwargs)
        if not request.user.has_perm("labor.change_worker"):
            raise PermissionDenied(_("Updating a worker needs the change permission."))
        serializer = self.get_serializer(worker, data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(serializer.data, status=status.HTTP_200_OK)

    def _stored_worker(self, data) -> Worker | None:
        """The stored worker whose ``external_id`` the body sends: the one a POST updates.

        The id is looked up only once its own field accepts it (type, length, trimming, NUL
        characters, lone surrogates); otherwise the full validation answers 400 naming it.
        """
        if not isinstance(data, dict) or "external_id" not in data:
            return None
        field, value = self.get_serializer().fields["external_id"], data["external_id"]
        try:
            external_id = field.run_validation(value)
        except ValidationError as exc:
            if set(exc.get_codes()) != {"unique"}:
                return None
            external_id = field.to_internal_value(value)  # valid, and taken: the worker to update
        return selectors.worker_by_external_id(external_id) if external_id else None


class PlacementViewSet(ProgrammeViewSet):
    queryset = selectors.placement_list()
    serializer_class = serializers.PlacementSerializer
    filterset_class = PlacementFilterSet
    search_fields = ["worker__name", "employer__name", "position"]
    ordering_fields = ["id", "started_on", "ended_on", "destination", "monthly_wage"]
    create_service = services.placement_create
    update_service = services.placement_update


class WorkshopViewSet(ProgrammeViewSet):
    queryset = selectors.workshop_list()
    serializer_class = serializers.WorkshopSerializer
    filterset_class = WorkshopFilterSet
    search_fields = ["name", "operator__name", "notes"]
    ordering_fields = ["id", "name", "opened_on", "jobs_offered"]


class RecruitmentEventViewSet(ProgrammeViewSet):
    queryset = selectors.recruitment_event_list()
    serializer_class = serializers.RecruitmentEventSerializer
    filterset_class = RecruitmentEventFilterSet
    search_fields = ["place", "organiser__name"]
    ordering_fields = ["id", "held_on", "attendees", "hires"]


class SkillsTrainingViewSet(ProgrammeViewSet):
    queryset = selectors.skills_training_list()
    serializer_class = serializers.SkillsTrainingSerializer
    filterset_class = SkillsTrainingFilterSet
    search_fields = ["course", "organiser__name"]
    ordering_fields = ["id", "course", "started_on", "ended_on", "trainees"]
