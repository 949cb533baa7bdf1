"""Recording an import: its `ImportRun` and audit row, one implementation for every import path
(the row-by-row runner and the police files' own path)."""

from typing import Any, Protocol

from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.imports.models import ImportRun


class Result(Protocol):
    kind: str
    filename: str
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    skipped: int
    error_count: int
    errors: list[str]
    run: ImportRun | None

    @property
    def status(self) -> str: ...


def record(
    result: Result,
    partnership: Any,
    user: Any,
    started_at: Any,
    request: HttpRequest | None,
    *,
    run_values: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Save the run (creating it, or updating the one a background import made) and audit it.
    `run_values`: further fields of the run; `detail`: further counts for the audit row."""
    user = user if getattr(user, "is_authenticated", False) else None
    values = {
        "partnership": partnership,
        "kind": result.kind,
        "filename": result.filename,
        "started_at": started_at,
        "finished_at": timezone.now(),
        "user": user,
        "dry_run": result.dry_run,
        "status": result.status,
        "created_count": result.created,
        "updated_count": result.updated,
        "unchanged_count": result.unchanged,
        "error_count": result.error_count,
        "errors": result.errors[:100],
        **(run_values or {}),
    }
    if result.run is None:
        result.run = ImportRun.objects.create(**values)
    else:
        for name, value in values.items():
            setattr(result.run, name, value)
        result.run.save()
    log.record(
        user,
        AuditAction.IMPORT,
        result.run,
        request=request,
        partnership=partnership,
        detail={
            "kind": result.kind,
            "filename": result.filename,
            "dry_run": result.dry_run,
            "status": result.status,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            **(detail or {}),
            "skipped": result.skipped,
            "errors": result.error_count,
        },
    )
