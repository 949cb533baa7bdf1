"""The import kinds Saferhub knows. Subject apps register theirs from ``AppConfig.ready()``.

An import kind declares its columns (name, whether required, a parser that turns
the text of a cell into a value or raises ``CellError``), optional checks across
columns, and how to write a batch of parsed rows: each row is upserted on its
``external_ref`` and reported as created, updated or unchanged.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from saferhub.imports.runner import ImportContext, Row
    from saferhub.imports.staging import Stage


class CellError(Exception):
    """A problem with one cell; the message is shown as ``line N, column NAME: message``."""


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    # The row is valid but not for this partnership (e.g. another local authority's): counted, not written.
    SKIPPED = "skipped"
    # The kind reported an error on the row while writing it.
    ERROR = "error"


# parse(text, ctx, raw_row) -> value. `text` is stripped and never empty: blank cells give None.
Parser = Callable[[str, "ImportContext", dict[str, str]], Any]


def _text(value: str, ctx: "ImportContext", raw: dict[str, str]) -> str:
    return value


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    parse: Parser = _text
    help: str = ""


@dataclass
class ImportKind:
    """Base class for an import kind; subclasses set the attributes and implement write_batch."""

    slug: str = ""
    title: str = ""
    description: str = ""
    columns: Sequence[Column] = field(default_factory=tuple)

    def column_map(self) -> dict[str, Column]:
        return {column.name: column for column in self.columns}

    def header_name(self, name: str) -> str:
        """The column a header cell (stripped, lower-cased) names.

        Kinds that read files as a publisher issues them map varying names here (ONS
        writes `WD22CD` or `WD23CD` by boundary year); the default is the name itself.
        """
        return name

    def clean(self, ctx: "ImportContext", row: "Row") -> None:
        """Checks across columns; report problems with ``row.error(column, message)``."""

    def write_batch(self, ctx: "ImportContext", rows: list["Row"]) -> Iterable[Outcome]:
        """Upsert the rows in order, yielding one outcome per row."""
        raise NotImplementedError

    # Set-wise writing on PostgreSQL (saferhub/imports/staging.py); optional.

    def stage_columns(self, ctx: "ImportContext") -> Sequence[tuple[str, str]] | None:
        """The typed columns (name, SQL type) each valid row adds to the staging table, or None
        (the default) to write in batches with write_batch."""
        return None

    def stage_row(self, ctx: "ImportContext", row: "Row") -> Sequence[Any]:
        """The values of `stage_columns()` for a valid row."""
        raise NotImplementedError

    def stage_sql(self, ctx: "ImportContext") -> Sequence[str] | None:
        """The SQL of each of `stage_columns()` for a row checked set-wise (saferhub/imports/sqlcheck.py),
        from its trimmed cells `t_<column>` and typed values `v_<column>`; or None (the default) to
        parse every row in Python before staging it."""
        return None

    def stage_suspects(self, ctx: "ImportContext") -> Sequence[str]:
        """SQL conditions (on `t_<column>`, `v_<column>`) true for a row that `clean()` may refuse:
        such rows are checked in Python. Needed whenever `stage_sql()` is given."""
        return ()

    def write_staged(self, ctx: "ImportContext", stage: "Stage") -> dict[Outcome, int]:
        """Write every staged row, set-wise or through `stage.replay_where()`; returns how many rows
        had each outcome set-wise (replayed rows are counted by their own outcomes)."""
        raise NotImplementedError


class UnknownKind(LookupError):
    pass


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    if kind.slug in _KINDS and type(_KINDS[kind.slug]) is not type(kind):
        raise ValueError(f"Import kind '{kind.slug}' is already registered.")
    _KINDS[kind.slug] = kind
    return kind


def get_kind(slug: str) -> ImportKind:
    try:
        return _KINDS[slug]
    except KeyError:
        raise UnknownKind(f"Unknown import kind '{slug}'. Known kinds: {', '.join(known_slugs())}.") from None


def known_slugs() -> list[str]:
    return sorted(_KINDS)


def all_kinds() -> list[ImportKind]:
    return [_KINDS[slug] for slug in known_slugs()]
