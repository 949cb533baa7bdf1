"""A partly typed case reference ("ASB-2026") is a prefix match: an index that serves ``LIKE 'ASB-2026%'``.

PostgreSQL only (``text_pattern_ops`` on the upper-cased reference, which is what
``reference__istartswith`` compares); SQLite's small databases read the unique
(partnership, reference) index.
"""

from django.db import migrations


def add_index(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS case_reference_prefix_idx "
            "ON cases_case (partnership_id, UPPER(reference::text) text_pattern_ops)"
        )


def remove_index(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_reference_prefix_idx")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_referral_decided_and_sent_indexes")]

    operations = [migrations.RunPython(add_index, remove_index, elidable=False)]
