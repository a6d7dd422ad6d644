"""A trigram index on organisation names (issue 13: admin searches by contains at scale), built
only where the database offers pg_trgm (cooperation.migration_operations.AddTrigramIndex)."""

import django.contrib.postgres.indexes
from django.db import migrations

from cooperation.migration_operations import AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0008_reminders")]

    operations = [
        AddTrigramIndex(
            model_name="organization",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["name"], name="organization_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
