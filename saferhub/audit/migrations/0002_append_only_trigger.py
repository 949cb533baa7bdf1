from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER audit_event_append_only
BEFORE UPDATE OR DELETE ON audit_auditevent
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""


def add_trigger(apps, schema_editor):
    # PostgreSQL (what partnerships run) refuses changes even from outside Django.
    # TRUNCATE, used to reset test databases, fires no row trigger.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(TRIGGER)


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_event_append_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_events")]

    operations = [migrations.RunPython(add_trigger, remove_trigger)]
