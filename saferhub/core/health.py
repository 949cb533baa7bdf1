"""/healthz for load balancers and monitoring: the database answers, every migration is applied, and how long
ago the background worker last beat. Public, never cached, and it reveals no data."""

from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from saferhub.accounts.middleware import public
from saferhub.core import heartbeat

# Once every migration is applied it stays so for the life of the process (new code means a new process).
_migrations_applied = False


def _unapplied_migrations() -> int:
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = unapplied == 0
    return unapplied


@public
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    body: dict[str, Any] = {"status": "ok", "database": "ok", "migrations": "unknown", "worker": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        body.update(status="unavailable", database="unreachable")
        return JsonResponse(body, status=503)
    try:
        unapplied = _unapplied_migrations()
        if unapplied:
            body.update(status="unavailable", migrations=f"{unapplied} unapplied")
            return JsonResponse(body, status=503)
        body["migrations"] = "ok"
        # Reported, not judged: a stopped worker delays e-mails and reminders but the site still serves.
        body["worker"] = heartbeat.status(settings.WORKER_HEARTBEAT_STALE_SECONDS)
    except DatabaseError:
        body.update(status="unavailable", database="error")
        return JsonResponse(body, status=503)
    return JsonResponse(body)
