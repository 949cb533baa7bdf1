"""Big report downloads are built in the background, through the task worker (`make worker`).

The reports page counts the source rows a period covers (the kind's `count_rows`); over
REPORT_BACKGROUND_ROWS it records a queued ReportBuild and enqueues `build_report`, and the
request returns at once to the build's page. The worker runs the same `run_report` as the
request would (audited as an EXPORT by the requester) and keeps the file in REPORT_BUILD_DIR,
private to the application, until it is downloaded through the build's download view.
"""

import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from saferhub.reporting.models import BuildStatus, ReportBuild
from saferhub.reporting.registry import ReportKind, get_report
from saferhub.reporting.service import run_report


def build_dir() -> Path:
    return Path(settings.REPORT_BUILD_DIR)


def rows_covered(kind: ReportKind, partnership: Any, date_from: Any, date_to: Any) -> int:
    """How many source rows the period covers; 0 for kinds that do not say (they always run in the request)."""
    return kind.count_rows(partnership, date_from, date_to) if kind.count_rows else 0


def needs_background(kind: ReportKind, partnership: Any, date_from: Any, date_to: Any) -> int | None:
    """The rows covered when the report is too big to build in the request, otherwise None."""
    rows = rows_covered(kind, partnership, date_from, date_to)
    return rows if rows > settings.REPORT_BACKGROUND_ROWS else None


def queue_build(
    *,
    kind: ReportKind,
    partnership: Any,
    user: Any,
    date_from: Any,
    date_to: Any,
    fmt: str,
    publish: bool,
    options: dict[str, Any],
    rows_total: int,
) -> ReportBuild:
    """Record a queued build and hand it to the worker."""
    build = ReportBuild.objects.create(
        partnership=partnership,
        requested_by=user,
        kind=kind.slug,
        date_from=date_from,
        date_to=date_to,
        options=options,
        format=fmt,
        publish=publish,
        rows_total=rows_total,
    )
    build_report.enqueue(build.pk)
    return build


def write_private(content: bytes) -> str:
    """Store built bytes readable by the application only; returns the stored name."""
    directory = build_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{uuid.uuid4().hex}.bin"
    # Created 0600 from the start: never readable by others, not even for a moment.
    descriptor = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    return name


@task()
def build_report(build_id: int) -> str:
    """Build a queued report; returns the build's status."""
    # Claimed with a conditional update: a task delivered twice runs once.
    if not ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(status=BuildStatus.RUNNING):
        return ReportBuild.objects.get(pk=build_id).status
    build = ReportBuild.objects.select_related("partnership", "requested_by").get(pk=build_id)
    try:
        report = run_report(
            get_report(build.kind),
            build.partnership,
            build.date_from,
            build.date_to,
            fmt=build.format,
            publish=build.publish,
            options=build.options,
            user=build.requested_by,
        )
        content, _content_type, download_name = report.render(build.format)
        name = write_private(content)
    except Exception as exc:
        ReportBuild.objects.filter(pk=build_id).update(
            status=BuildStatus.FAILED,
            finished_at=timezone.now(),
            error=f"The report could not be built ({type(exc).__name__}: {exc}). Try again, or ask for help.",
        )
        raise
    ReportBuild.objects.filter(pk=build_id).update(
        status=BuildStatus.DONE, finished_at=timezone.now(), file_name=name, download_name=download_name[:255]
    )
    return BuildStatus.DONE
