from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Programme core")

    def ready(self):
        from cooperation.roles import sync_role_permissions

        # Sender-less: runs once per app after migrate; the last run sees every permission.
        post_migrate.connect(sync_role_permissions, dispatch_uid="cooperation.sync_role_permissions")
