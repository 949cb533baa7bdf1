"""What a board pack holds, as the JSON the `board-pack` return publishes (INTERCHANGE.md).

The JSON lists the sections in order, each with its title, the report it was built from
(with that report's options) and the figures: the report's own result for the period,
built by the report's own `build`, so an outside tool can check the pack against the
returns run on their own. The tables every renderer draws come from the same figures
through the report's own `tables`.
"""

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from saferhub.boardpack.models import DEFAULT_TITLE, BoardPack
from saferhub.boardpack.sections import Section, chosen_sections, offered_sections
from saferhub.core.dates import uk_range
from saferhub.reporting.periods import quarter_of
from saferhub.reporting.registry import UnknownReport, get_report
from saferhub.reporting.service import ReportError
from saferhub.reporting.tables import Table, suppress

SLUG = "board-pack"


@dataclass(frozen=True)
class PackSpec:
    """The choices that make a pack: its period, cover sheet and sections (keys, in order)."""

    date_from: datetime.date
    date_to: datetime.date
    period_label: str = ""
    title: str = DEFAULT_TITLE
    meeting_title: str = ""
    meeting_date: datetime.date | None = None
    report_of: str = ""
    summary: str = ""
    recommendations: str = ""
    # None: every section offered, in the default order.
    sections: list[str] | None = None
    status: str = "draft"
    version: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


def spec_of(pack: BoardPack) -> PackSpec:
    return PackSpec(
        date_from=pack.date_from,
        date_to=pack.date_to,
        period_label=pack.period_label,
        title=pack.title,
        meeting_title=pack.meeting_title,
        meeting_date=pack.meeting_date,
        report_of=pack.report_of,
        summary=pack.summary,
        recommendations=pack.recommendations,
        sections=list(pack.sections),
        status=pack.status,
        version=pack.number,
    )


def period_label(date_from: datetime.date, date_to: datetime.date) -> str:
    quarter = quarter_of(date_from)
    if (quarter.start, quarter.end) == (date_from, date_to):
        return quarter.label
    year_start = datetime.date(date_from.year if date_from.month >= 4 else date_from.year - 1, 4, 1)
    if date_from == year_start and date_to == datetime.date(year_start.year + 1, 3, 31):
        return f"{year_start.year}/{(year_start.year + 1) % 100:02d}"
    return uk_range(date_from, date_to)


def build_section(section: Section, partnership: Any, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The section's entry: the report's own result for the period, or why it could not be built."""
    entry: dict[str, Any] = {
        "key": section.key,
        "title": section.title,
        "report": section.report,
        "options": dict(section.options),
    }
    try:
        entry["figures"] = section.kind.build(partnership, date_from, date_to, **section.options)
    except ReportError as exc:
        # E.g. no crime data imported yet: the pack says so rather than failing as a whole.
        entry["figures"] = None
        entry["unavailable"] = str(exc)
    if section.rag:
        entry["rag_explained"] = section.rag
    return entry


def sections_for(partnership: Any, spec: PackSpec) -> list[Section]:
    if spec.sections is None:
        return offered_sections(partnership)
    return chosen_sections(partnership, spec.sections)


def build_contents(partnership: Any, spec: PackSpec) -> dict[str, Any]:
    return {
        "report": SLUG,
        "period": {"from": spec.date_from.isoformat(), "to": spec.date_to.isoformat()},
        "period_label": spec.period_label or period_label(spec.date_from, spec.date_to),
        "partnership": partnership.name,
        "title": spec.title,
        "meeting": {
            "title": spec.meeting_title,
            "date": spec.meeting_date.isoformat() if spec.meeting_date else None,
        },
        "report_of": spec.report_of,
        "summary": spec.summary,
        "recommendations": spec.recommendations,
        "status": spec.status,
        "version": spec.version,
        **spec.extra,
        "sections": [
            build_section(section, partnership, spec.date_from, spec.date_to)
            for section in sections_for(partnership, spec)
        ],
    }


def section_tables(entry: dict[str, Any], number: int, *, publish: bool) -> list[Table]:
    """A section's tables, drawn by its report's own `tables`; small numbers suppressed for publication."""
    if entry.get("figures") is None:
        return []
    try:
        kind = get_report(entry["report"])
    except UnknownReport:
        # A pack issued while a module was installed keeps its JSON; its tables cannot be drawn now.
        return []
    tables = [replace(table, key=f"s{number}-{table.key}") for table in kind.tables(entry["figures"])]
    return [suppress(table) for table in tables] if publish else tables


def all_tables(result: dict[str, Any]) -> list[Table]:
    """Every section's tables in one list, captions prefixed by their section (the HTML and XLSX forms)."""
    tables = []
    for number, entry in enumerate(result.get("sections", []), start=1):
        for table in section_tables(entry, number, publish=False):
            tables.append(replace(table, caption=f"{number}. {entry['title']}: {table.caption}"))
    return tables
