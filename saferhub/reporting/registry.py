"""The reports Saferhub can produce. Subject apps register theirs from ``AppConfig.ready()``.

A report kind has a slug, a title, ``build(partnership, date_from, date_to, **options)``
returning the JSON-able result (aggregated in the database, in the key order of the
published format), and ``tables(result)`` describing that result as generic tables
for the HTML, XLSX and DOCX renderers.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from saferhub.reporting.tables import Table


@dataclass(frozen=True)
class ReportOption:
    name: str
    label: str
    required: bool = False
    help: str = ""
    # The partnership's choices as (value, name) pairs, offered as a select instead of a text box.
    choices: Callable[[Any], Sequence[tuple[str, str]]] | None = None
    # The select's first option when the option may be left blank, e.g. "Every strategy".
    blank_label: str = ""


@dataclass(frozen=True)
class ReportKind:
    slug: str
    title: str
    build: Callable[..., dict[str, Any]]
    tables: Callable[[dict[str, Any]], list[Table]]
    description: str = ""
    options: Sequence[ReportOption] = ()
    # A report fixed by its last day alone (e.g. the crime dashboard) gives its first day from it,
    # and `--from` may then be left out.
    default_from: Callable[[datetime.date], datetime.date] | None = None
    # Formats a report renders itself (a layout of its own): format -> render(report) -> bytes.
    renderers: Mapping[str, Callable[[Any], bytes]] = field(default_factory=dict)
    # A cheap COUNT of the source rows a period covers: (partnership, date_from, date_to) -> rows.
    # Over REPORT_BACKGROUND_ROWS the web download is built by the task worker; None: always in the request.
    count_rows: Callable[[Any, datetime.date, datetime.date], int] | None = None
    # The protective marking in the header and footer of its documents: "OFFICIAL" for a return of
    # published or aggregate figures only.
    marking: str = "OFFICIAL-SENSITIVE"


class UnknownReport(LookupError):
    pass


_REPORTS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    if kind.slug in _REPORTS and _REPORTS[kind.slug].build is not kind.build:
        raise ValueError(f"Report kind '{kind.slug}' is already registered.")
    _REPORTS[kind.slug] = kind
    return kind


def get_report(slug: str) -> ReportKind:
    try:
        return _REPORTS[slug]
    except KeyError:
        raise UnknownReport(f"Unknown report '{slug}'. Known reports: {', '.join(sorted(_REPORTS))}.") from None


def all_reports() -> list[ReportKind]:
    return [_REPORTS[slug] for slug in sorted(_REPORTS)]
