from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Programme core")

    def ready(self):
        from django.db.models.signals import pre_delete

        from cooperation.locks import refuse_locked_delete
        from cooperation.roles import sync_role_permissions

        # The warning rules of the monthly submissions, one module per domain app.
        autodiscover_modules("month_checks")
        # Every model (a cascade deletes records of other kinds): the receiver asks only dated ones.
        pre_delete.connect(refuse_locked_delete, dispatch_uid="cooperation.refuse_locked_delete")

        # Sender-less: runs once per app after migrate; the last run sees every permission.
        post_migrate.connect(sync_role_permissions, dispatch_uid="cooperation.sync_role_permissions")
