"""The `board-pack` return: every offered section for the period, as DOCX, JSON, HTML or XLSX.

`python manage.py report board-pack --to YYYY-MM-DD [--from …] [--publish] --format docx --output F`
builds the pack from the live data with a plain cover sheet; the pack pages add the
summary, recommendations and the chosen sections, and keep issued versions.
"""

import datetime
from typing import Any

from saferhub.boardpack.contents import SLUG, PackSpec, all_tables, build_contents, sections_for
from saferhub.boardpack.document import render_docx
from saferhub.reporting.periods import quarter_of
from saferhub.reporting.registry import ReportKind, register


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    return build_contents(partnership, PackSpec(date_from=date_from, date_to=date_to))


def default_from(date_to: datetime.date) -> datetime.date:
    """Without --from, the pack covers the quarter the last day falls in."""
    return quarter_of(date_to).start


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """The source rows of every section's report, so a big pack is built by the worker."""
    total = 0
    for section in sections_for(partnership, PackSpec(date_from=date_from, date_to=date_to)):
        if section.kind.count_rows is not None:
            total += section.kind.count_rows(partnership, date_from, date_to)
    return total


def _docx(report: Any) -> bytes:
    return render_docx(report.result, publish=report.publish)


KIND = register(
    ReportKind(
        slug=SLUG,
        title="Board pack",
        description="The partnership's quarterly performance report to its board: the crime dashboard and every "
        "module's return, strategy indicators and action plan progress, with a cover sheet.",
        build=build,
        tables=all_tables,
        default_from=default_from,
        count_rows=count_rows,
        renderers={"docx": _docx},
    )
)
