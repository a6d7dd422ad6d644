"""Create the four roles (groups). Their permissions are kept in sync after every migrate by
``cooperation.roles.sync_role_permissions``, since permissions exist only after migrations."""

from django.db import migrations

ROLE_NAMES = ["administrators", "programme staff", "officials", "api clients"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
