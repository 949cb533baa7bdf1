import pytest
from django.db import DatabaseError, connection, transaction

from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit import log
from saferhub.audit.models import AppendOnlyError, AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted_through_django():
    event = log.record(UserFactory(), AuditAction.SEARCH, detail={"q": "synthetic"})
    event.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_database_refuses_changes_from_outside_django():
    event = log.record(UserFactory(), AuditAction.SEARCH)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
