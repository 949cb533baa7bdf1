from django.db import migrations


def add_index(apps, schema_editor):
    # Case-insensitive reference look-ups (search by reference) on PostgreSQL; SQLite's
    # unique (partnership, reference) index serves its small databases well enough.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS case_reference_upper_idx ON cases_case (partnership_id, UPPER(reference::text));"
        )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_reference_upper_idx;")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_referrals_sharing")]

    operations = [migrations.RunPython(add_index, remove_index)]
