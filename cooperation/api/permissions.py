"""API permissions: exactly the Django model permissions the admin uses."""

from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Like DRF's DjangoModelPermissions, but reading needs the ``view`` permission too.

    Anonymous requests get 401 (the token authenticator answers with a WWW-Authenticate
    header); an authenticated user without the permission gets 403.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }
