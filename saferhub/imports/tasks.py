"""Imports of big files run in the background, through the task worker (`make worker`).

The web upload keeps the file in IMPORT_UPLOAD_DIR (outside any web root, readable by the
application only), records a queued ImportRun and enqueues `import_upload`; the request
returns at once to the run's progress page. The worker runs the same runner as the command
line, keeping the run's rows_done and error_count up to date as it goes.
"""

import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django_tasks import task

from saferhub.imports.models import ImportRun, ImportStatus
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import count_rows, run_import


def upload_dir() -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR)


def keep_upload(upload: Any) -> tuple[str, int]:
    """Save an uploaded file for the worker; returns its stored name and about how many rows it has."""
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{uuid.uuid4().hex}.csv"
    path = directory / name
    with path.open("xb") as out:
        os.chmod(path, 0o600)
        for chunk in upload.chunks():
            out.write(chunk)
    with path.open("rb") as stored:
        return name, count_rows(stored)


def queue_import(
    *, kind: str, upload: Any, partnership: Any, user: Any, dry_run: bool, create_organisations: bool
) -> ImportRun:
    """Record a queued import of an uploaded file and hand it to the worker."""
    name, rows = keep_upload(upload)
    run = ImportRun.objects.create(
        partnership=partnership,
        kind=kind,
        filename=upload.name[:255],
        started_at=timezone.now(),
        user=user,
        dry_run=dry_run,
        create_organisations=create_organisations,
        status=ImportStatus.QUEUED,
        rows_total=rows,
        upload_name=name,
    )
    import_upload.enqueue(run.pk)
    return run


class RunProgress:
    """Writes a run's progress while its import transaction is still open.

    The import's own connection is inside that transaction, so progress is written on a
    second connection, committed at once, for the progress page to see. SQLite allows one
    writer at a time: there the page shows only the start and the end.
    """

    def __init__(self, run: ImportRun) -> None:
        self.run_id = run.pk
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None

    def __call__(self, rows_done: int, errors: int) -> None:
        if self.connection is None:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportRun._meta.db_table} SET rows_done = %s, error_count = %s WHERE id = %s",  # noqa: S608
                [rows_done, errors, self.run_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


@task()
def import_upload(run_id: int) -> str:
    """Run a queued import; returns the run's status."""
    # Claimed with a conditional update: a task delivered twice runs once.
    if not ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING):
        return ImportRun.objects.get(pk=run_id).status
    run = ImportRun.objects.select_related("partnership", "user").get(pk=run_id)
    path = upload_dir() / run.upload_name
    progress = RunProgress(run)
    try:
        with path.open("rb") as handle:
            result = run_import(
                get_kind(run.kind),
                handle,
                partnership=run.partnership,
                filename=run.filename,
                user=run.user,
                dry_run=run.dry_run,
                create_organisations=run.create_organisations,
                on_progress=progress,
                run=run,
            )
    except Exception as exc:
        # The import rolled back; the run must not be left "importing" for ever.
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            error_count=1,
            errors=[f"the import stopped unexpectedly ({type(exc).__name__}): try again or ask for help"],
        )
        raise
    finally:
        progress.close()
        path.unlink(missing_ok=True)
    ImportRun.objects.filter(pk=run_id).update(upload_name="")
    return result.status
