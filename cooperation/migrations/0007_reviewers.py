"""Create the ``reviewers`` role (CONTRACT.md 1.1: it approves and returns monthly submissions).
Its permissions are kept in sync after every migrate by ``cooperation.roles``."""

from django.db import migrations

NAME = "reviewers"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=NAME)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0006_submissions"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_role, remove_role)]
