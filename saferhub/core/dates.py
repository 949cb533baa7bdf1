"""Dates as people read them, the GOV.UK and house style: "4 December 2026", "Friday 4 December",
"April 2026", "2026/27 Q1", "1 August 2025 to 31 March 2026". Never ISO, never a leading zero.

Machine outputs (CSV, JSON, file names) keep ISO dates; these are for HTML, DOCX and XLSX text.
"""

import datetime
import re
from typing import Any


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def uk_date(value: Any) -> str:
    """ "4 December 2026" (empty text for no date; other text unchanged)."""
    day = _as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day.day} {day:%B %Y}"


def uk_short_date(value: Any) -> str:
    """ "4 Dec 2026", for dense tables."""
    day = _as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day.day} {day:%b %Y}"


def uk_weekday(value: Any) -> str:
    """ "Friday 4 December" (no year, no leading zero)."""
    day = _as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day:%A} {day.day} {day:%B}"


def uk_datetime(value: Any) -> str:
    """ "4 December 2026, 14:30"."""
    if isinstance(value, datetime.datetime):
        return f"{uk_date(value)}, {value:%H:%M}"
    return uk_date(value)


def uk_month(value: Any) -> str:
    """ "April 2026", from a date or a "2026-04" month key."""
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        value = f"{value}-01"
    day = _as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day:%B %Y}"


def uk_range(start: Any, end: Any) -> str:
    """ "1 August 2025 to 31 March 2026"."""
    return f"{uk_date(start)} to {uk_date(end)}"


def uk_period(period: Any) -> str:
    """A reporting period's name ("2026/27 Q1") when it has one, otherwise its dates."""
    label = getattr(period, "label", None)
    if label and not _looks_iso(str(label)):
        return str(label)
    start, end = getattr(period, "start", None), getattr(period, "end", None)
    if start and end:
        return uk_range(start, end)
    return str(period)


def _looks_iso(text: str) -> bool:
    return any(part[:4].isdigit() and part[4:5] == "-" for part in text.split())


_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def for_people(value: Any) -> Any:
    """A table cell as people read it: dates and ISO text ("2026-04", "2026-04-01") in words; anything
    else unchanged. For HTML, DOCX and XLSX text; CSV and JSON keep the ISO form."""
    if isinstance(value, datetime.datetime):
        return uk_datetime(value)
    if isinstance(value, datetime.date):
        return uk_date(value)
    if isinstance(value, str):
        if _ISO_MONTH.match(value):
            return uk_month(value)
        if _ISO_DAY.match(value):
            return uk_date(value)
    return value
