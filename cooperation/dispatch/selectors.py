"""Reads shared by every dispatch model."""

from django.db.models import QuerySet

from cooperation.models import Region
from cooperation.selectors import records_in


def dispatch_list(model) -> QuerySet:
    """Every dispatch of ``model`` with what its lists show, in one query."""
    return model.objects.select_related("source_org", "host_org")


def dispatch_count(qs: QuerySet, *, year: int, region: Region | None = None) -> int:
    """Dispatch records whose stay overlaps ``year``, hosted in ``region`` or below it (the
    record kind of :class:`~cooperation.dispatch.models.Dispatch`): one person sent twice
    counts twice."""
    return records_in(qs, year=year, region=region).count()
