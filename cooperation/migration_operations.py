"""Migration operations of the project, imported by the migrations that use them.

Kept small and stable: a migration that imports one runs it as it is today, so a change here
must keep the meaning of every migration already written with it.
"""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)


class AddTrigramIndex(migrations.AddIndex):
    """``AddIndex`` of a pg_trgm GIN index (``gin_trgm_ops``), built only where the database
    offers pg_trgm: the embedded PostgreSQL (pgserver, used without ``DATABASE_URL``) does not
    ship it. There the index is skipped with a note and searches by contains scan the table, as
    before; Django's state holds the index either way (``makemigrations --check`` stays clean),
    and removing it later is a ``DROP INDEX IF EXISTS``, which a skipped index does not break."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            available = cursor.fetchone() is not None
        if not available:
            logger.warning("pg_trgm is not available: index %s skipped (searches by contains scan)", self.index.name)
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        super().database_forwards(app_label, schema_editor, from_state, to_state)
