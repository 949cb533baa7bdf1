"""Producing a report: one implementation for `manage.py report` and the web pages."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.reporting import outputs
from saferhub.reporting.registry import ReportKind
from saferhub.reporting.tables import Table, suppress

FORMATS = {
    "json": ("application/json; charset=utf-8", "json"),
    "html": ("text/html; charset=utf-8", "html"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}
BINARY_FORMATS = frozenset({"xlsx", "docx"})


class ReportError(ValueError):
    """A request for a report that cannot be met; the message says why."""


@dataclass
class Report:
    kind: ReportKind
    partnership: Any
    date_from: datetime.date
    date_to: datetime.date
    result: dict[str, Any]
    publish: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.kind.title

    @property
    def tables(self) -> list[Table]:
        """The result as tables; in publish mode small numbers are suppressed (the JSON is not)."""
        tables = self.kind.tables(self.result)
        return [suppress(table) for table in tables] if self.publish else tables

    @property
    def filename_stem(self) -> str:
        extra = "".join(f"-{value}" for value in self.options.values() if value)
        stem = f"{self.kind.slug}{extra}-{self.partnership.slug}-{self.date_from}-to-{self.date_to}"
        return re.sub(r"[^A-Za-z0-9_.-]", "-", stem)

    def render(self, fmt: str) -> tuple[bytes, str, str]:
        """(content, content type, file name) in the given format."""
        if fmt not in FORMATS:
            raise ReportError(f"Unknown format '{fmt}': use one of {', '.join(FORMATS)}.")
        content_type, extension = FORMATS[fmt]
        if fmt in self.kind.renderers:
            content = self.kind.renderers[fmt](self)
        elif fmt == "json":
            content = outputs.to_json(self.result)
        elif fmt == "html":
            content = outputs.to_html(
                self.title, self.result, self.tables, partnership=self.partnership, publish=self.publish
            )
        elif fmt == "xlsx":
            content = outputs.to_xlsx(self.title, self.result, self.tables, date_to=self.date_to)
        else:
            content = outputs.to_docx(
                self.title,
                self.result,
                self.tables,
                partnership=self.partnership,
                date_to=self.date_to,
                marking=self.kind.marking,
            )
        return content, content_type, f"{self.filename_stem}.{extension}"


def clean_options(kind: ReportKind, given: dict[str, Any]) -> dict[str, Any]:
    known = {option.name for option in kind.options}
    for name, value in given.items():
        if value and name not in known:
            raise ReportError(f"The {kind.slug} report takes no --{name.replace('_', '-')}.")
    options = {}
    for option in kind.options:
        value = given.get(option.name)
        if option.required and not value:
            raise ReportError(
                f"The {kind.slug} report needs {option.label.lower()} (--{option.name.replace('_', '-')})."
            )
        if value:
            options[option.name] = value
    return options


def run_report(
    kind: ReportKind,
    partnership: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    fmt: str,
    publish: bool = False,
    options: dict[str, Any] | None = None,
    user: Any = None,
    request: HttpRequest | None = None,
) -> Report:
    """Build a report and record the export in the audit trail (same transaction)."""
    if date_from > date_to:
        raise ReportError(f"The period starts ({date_from}) after it ends ({date_to}).")
    if fmt not in FORMATS:
        raise ReportError(f"Unknown format '{fmt}': use one of {', '.join(FORMATS)}.")
    options = clean_options(kind, options or {})
    with transaction.atomic():
        result = kind.build(partnership, date_from, date_to, **options)
        log.record(
            user,
            AuditAction.EXPORT,
            None,
            request=request,
            partnership=partnership,
            detail={
                "report": kind.slug,
                "from": date_from.isoformat(),
                "to": date_to.isoformat(),
                "format": fmt,
                "publish": publish,
                **options,
            },
        )
    return Report(kind, partnership, date_from, date_to, result, publish=publish, options=options)
