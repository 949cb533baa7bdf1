"""Cells that spreadsheet programs cannot run: every CSV and XLSX Saferhub writes passes its text through here.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
taken as a formula by Excel, LibreOffice and Google Sheets (OWASP, "CSV
Injection"). An organisation imported as `=HYPERLINK("http://x","y")` would
otherwise become a live link in a quarterly return. Such text gets a leading
apostrophe, so it shows as typed and never runs. Real numbers ("-12", "+3.5")
stay as they are, so negative figures remain numbers.
"""

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A plain decimal number with an optional sign: what a spreadsheet reads as a number, not a formula.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """The value safe for a spreadsheet cell: text that would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]
