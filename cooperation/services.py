"""Writes of the programme core that hold rules across rows."""

from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.models import Region, ScopeRegion
from cooperation.scopes import forget_scope


class UnknownRegionCodes(ValueError):
    """Codes that name no stored region."""

    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__(_("No region has the code(s) %(codes)s: nothing was changed.") % {"codes": ", ".join(codes)})


@transaction.atomic
def set_scope(*, user, codes: list[str]) -> list[Region]:
    """Make the regions of ``codes`` (GB/T 2260) the whole scope of ``user`` (none: the whole
    programme). Raises :class:`UnknownRegionCodes` naming every unknown code, changing nothing.
    Added and removed scope regions leave their history (who, when) like every record."""
    wanted = list(dict.fromkeys(code.strip() for code in codes))
    regions = {region.code: region for region in Region.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in regions]
    if unknown:
        raise UnknownRegionCodes(unknown)
    for entry in ScopeRegion.objects.filter(user=user).exclude(region__code__in=wanted).select_related("region"):
        entry.delete()  # one by one, so that each removal is in the history
    kept = set(ScopeRegion.objects.filter(user=user).values_list("region__code", flat=True))
    for code in wanted:
        if code not in kept:
            ScopeRegion.objects.create(user=user, region=regions[code])
    forget_scope(user)
    return sorted(regions.values(), key=lambda region: region.code)
