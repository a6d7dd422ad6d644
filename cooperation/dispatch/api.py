"""API base of every dispatch endpoint: the contract's fields and the shared list behaviour."""

from cooperation.api.base import ProgrammeViewSet

# The contract's fields of a dispatch; each app adds its own (specialty; subject).
DISPATCH_FIELDS = ["id", "person_name", "source_org", "host_org", "role", "started_on", "ended_on"]


class DispatchViewSet(ProgrammeViewSet):
    """Subclasses set ``queryset``, ``serializer_class`` and ``filterset_class``."""

    search_fields = ["person_name", "source_org__name", "host_org__name"]
    ordering_fields = ["id", "person_name", "role", "started_on", "ended_on"]
    ordering = ["-started_on", "-id"]
