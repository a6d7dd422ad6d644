"""Create the demo users (one per role, and the scoped ones) and print the logins."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.users import demo_users_ensure


def scope_label(regions: list) -> str:
    """The printed scope: the regions' names and codes, or the whole programme."""
    if not regions:
        return _("whole programme")
    return ", ".join(f"{region.name} ({region.code})" for region in regions)


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo users: one per role for the whole programme, and users scoped "
        "to Zhaojue, to Yuyao and to Liangshan. Prints their logins, scopes and API tokens."
    )

    def handle(self, *args, **options):
        result = demo_users_ensure()
        self.stdout.write(_("Demo logins (http://127.0.0.1:8000/admin/ and /dashboard/):"))
        for login in result.logins:
            self.stdout.write(
                _("  %(username)-9s password %(password)-20s role: %(role)-16s API token: %(token)s")
                % {"username": login.username, "password": login.password, "role": login.role, "token": login.token}
            )
            self.stdout.write(
                _("            scope: %(scope)s; sees %(sees)s")
                % {"scope": scope_label(login.scope), "sees": login.sees}
            )
        for spec in result.skipped:
            self.stderr.write(
                _("  %(username)s not created: the region(s) %(codes)s of its scope are not stored (run seed_demo).")
                % {"username": spec.username, "codes": ", ".join(spec.scope)}
            )
