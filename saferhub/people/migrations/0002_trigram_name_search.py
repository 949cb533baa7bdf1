"""Name search on PostgreSQL: pg_trgm and unaccent, an immutable search-name function and its GIN index.

Nothing happens on SQLite, which searches names by simple containment (see people.search).
The function wraps ``unaccent`` with its dictionary named, which makes it safe to declare
IMMUTABLE and so to index.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """CREATE OR REPLACE FUNCTION saferhub_search_name(first text, last text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary,
                                           coalesce(first, '') || ' ' || coalesce(last, ''))) $$""",
    "CREATE INDEX IF NOT EXISTS person_search_name_trgm ON people_person "
    "USING gin (saferhub_search_name(first_name, last_name) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_search_name_trgm",
    "DROP FUNCTION IF EXISTS saferhub_search_name(text, text)",
]


def _run(statements: list[str]):  # noqa: ANN202
    def run(apps, schema_editor):  # noqa: ANN001, ANN202, ARG001
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0001_person_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
