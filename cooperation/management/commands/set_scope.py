"""``manage.py set_scope USERNAME [CODE ...]``: set the regions a user works on (CONTRACT.md 1.1)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation import services


class Command(BaseCommand):
    help = (
        "Set a user's scope from GB/T 2260 region codes (no code: the whole programme). An unknown "
        "code is an error naming it, and nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("codes", nargs="*", metavar="CODE")

    def handle(self, *args, username, codes, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%(username)s”.") % {"username": username})
        try:
            with transaction.atomic():
                regions = services.set_scope(user=user, codes=codes)
        except services.UnknownRegionCodes as exc:
            raise CommandError(str(exc)) from None
        if regions:
            listed = ", ".join(f"{region.name} ({region.code})" for region in regions)
            self.stdout.write(_("%(username)s now works on: %(regions)s.") % {"username": username, "regions": listed})
        else:
            self.stdout.write(_("%(username)s now works on the whole programme.") % {"username": username})
