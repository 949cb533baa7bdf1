"""Cell parsers shared by every import kind.

Each returns a parser ``(text, ctx, raw_row) -> value`` that raises ``CellError``
with a message naming what is wrong. Blank cells never reach a parser: they are None.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from saferhub.imports import sqlcheck
from saferhub.imports.registry import CellError, Parser
from saferhub.imports.runner import ImportContext


def with_sql(parser: Parser, rule: sqlcheck.Rule) -> Parser:
    """Attach the parser's rule in SQL (saferhub/imports/sqlcheck.py) for the set-wise check."""
    parser.sql = rule  # type: ignore[attr-defined]
    return parser


def pure(parser: Parser) -> Parser:
    """Mark a parser whose result depends only on the cell's text (and the run): the runner
    parses each distinct text once per run."""
    parser.pure = True  # type: ignore[attr-defined]
    return parser


def text(max_length: int) -> Parser:
    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
        if len(value) > max_length:
            raise CellError(f"at most {max_length} characters are allowed (found {len(value)})")
        return value

    return with_sql(parse, sqlcheck.Text(max_length))


# Dates outside these bounds are typing slips (2999 for 2019, 1066 for 1966), refused by every kind.
EARLIEST_DATE = datetime.date(1900, 1, 1)
# How far ahead a date may be: meetings and hearings are planned, but not for years ahead.
LATEST_DATE_AHEAD = datetime.timedelta(days=366)


def latest_date() -> datetime.date:
    return timezone.localdate() + LATEST_DATE_AHEAD


@pure
def date(value: str, ctx: ImportContext, raw: dict[str, str]) -> datetime.date:
    try:
        if len(value) != 10:
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CellError(f"'{value}' is not a date in the form YYYY-MM-DD") from None
    if day < EARLIEST_DATE:
        raise CellError(f"{day} is before {EARLIEST_DATE}: check the year")
    if day > latest_date():
        raise CellError(f"{day} is more than a year ahead (after {latest_date()}): check the year")
    return day


with_sql(date, sqlcheck.Date())


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> int:
        try:
            number = int(value)
        except ValueError:
            raise CellError(f"'{value}' is not a whole number") from None
        if minimum is not None and number < minimum:
            raise CellError(f"{number} is less than the lowest allowed value, {minimum}")
        if maximum is not None and number > maximum:
            raise CellError(f"{number} is more than the highest allowed value, {maximum}")
        return number

    return with_sql(pure(parse), sqlcheck.Integer(minimum, maximum))


def choice(values: Iterable[str]) -> Parser:
    allowed = tuple(values)

    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
        lowered = value.lower()
        if lowered not in allowed:
            raise CellError(f"'{value}' is not one of: {', '.join(allowed)}")
        return lowered

    return with_sql(pure(parse), sqlcheck.Choice(allowed))


YES, NO, UNKNOWN = "yes", "no", "unknown"


@pure
def yes_no_unknown(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    """`yes`, `no` or `unknown`; a blank cell is None, which kinds store as unknown."""
    return choice((YES, NO, UNKNOWN))(value, ctx, raw)


with_sql(yes_no_unknown, sqlcheck.Choice((YES, NO, UNKNOWN)))


@pure
def yes_no(value: str, ctx: ImportContext, raw: dict[str, str]) -> bool:
    return choice((YES, NO))(value, ctx, raw) == YES


with_sql(yes_no, sqlcheck.Choice((YES, NO), boolean=True))


def code(code_list: str) -> Parser:
    """One code of the partnership's list (matched exactly, then ignoring case)."""

    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> Any:
        return _lookup_code(ctx, code_list, value)

    return with_sql(pure(parse), sqlcheck.Code(code_list))


def codes(code_list: str, separator: str = ";") -> Parser:
    """Several codes separated by `separator`; returns them in file order without repeats."""

    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> list[Any]:
        found: list[Any] = []
        for part in value.split(separator):
            part = part.strip()
            if part:
                reference = _lookup_code(ctx, code_list, part)
                if reference not in found:
                    found.append(reference)
        return found

    return with_sql(pure(parse), sqlcheck.Codes(code_list, separator))


def _lookup_code(ctx: ImportContext, code_list: str, value: str) -> Any:
    known = ctx.codes(code_list)
    if value in known:
        return known[value]
    folded = [reference for key, reference in known.items() if key.casefold() == value.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise CellError(f"'{value}' is not a code in the {code_list} list")


def organisation(group_column: str | None = None) -> Parser:
    """An organisation of the partnership, by name; with --create-organisations an unknown one is
    created, under the agency named in `group_column` when that column has a value."""

    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> Any:
        group = raw.get(group_column, "").strip() if group_column else ""
        return ctx.organisation(value, group or None)

    return with_sql(parse, sqlcheck.Organisation(group_column))
