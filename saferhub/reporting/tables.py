"""The generic description of a report's tables, used by every renderer (HTML, XLSX, DOCX).

A report kind turns its result dict into a list of ``Table``. The renderers know
nothing about any particular report.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

SUPPRESSED = "<5"
# Shown for derived figures (percentages) on a row whose count is suppressed.
CONFIDENTIAL = "[c]"
# What publishing puts in place of a number.
MARKERS = frozenset({SUPPRESSED, CONFIDENTIAL})


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def is_blank(value: Any) -> bool:
    return value is None or value == ""


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    # Indexes of columns holding counts: they are charted and may be suppressed.
    counts: Sequence[int] = (1,)
    # Indexes of columns derived from a count on the same row (e.g. a percentage).
    derived: Sequence[int] = ()
    # A final row of column totals, or None.
    total: Sequence[Any] | None = None
    # Whether the HTML output draws a bar chart of the first count column beside the table.
    chart: bool = True
    # The column (index) charted; defaults to the first count column.
    chart_column: int | None = None
    notes: Sequence[str] = field(default_factory=tuple)
    # Other columns holding numbers (e.g. a target); columns whose every cell is a number are found anyway.
    numbers: Sequence[int] = ()
    # The XLSX sheet's name when the caption is too long to read well cut to 31 characters.
    sheet_name: str = ""

    @property
    def numeric(self) -> list[int]:
        """Columns of numbers: right-aligned in HTML and written as numbers in XLSX. The first column labels rows."""
        inferred = {col for col in range(1, len(self.columns)) if self._holds_numbers(col)}
        return sorted({*self.counts, *self.derived, *self.numbers, *inferred})

    def _holds_numbers(self, col: int) -> bool:
        rows = [*self.rows, *([self.total] if self.total is not None else [])]
        cells = [row[col] for row in rows if col < len(row) and not is_blank(row[col])]
        return bool(cells) and all(is_number(cell) or (isinstance(cell, str) and cell in MARKERS) for cell in cells)

    @property
    def charted_column(self) -> int:
        return self.chart_column if self.chart_column is not None else self.counts[0]

    def with_cells(self, rows: list[list[Any]], total: list[Any] | None) -> "Table":
        return replace(self, rows=rows, total=total)


def _is_small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4


def _suppress_next_smallest(cells: list[tuple[int, int]], grid: list[list[Any]]) -> bool:
    """Among the given (row, col) cells, suppress the smallest still shown. False if none is left."""
    shown = [(grid[r][c], r, c) for r, c in cells if isinstance(grid[r][c], int) and not isinstance(grid[r][c], bool)]
    if not shown:
        return False
    _, r, c = min(shown)
    grid[r][c] = SUPPRESSED
    return True


def _secondary(table: Table, grid: list[list[Any]], total: list[Any]) -> None:
    for col in table.counts:
        column = [(r, col) for r in range(len(grid))]
        hidden = sum(1 for r, c in column if grid[r][c] == SUPPRESSED)
        if hidden == 1 and not _suppress_next_smallest(column, grid):
            total[col] = SUPPRESSED
        if _is_small(total[col]):
            total[col] = SUPPRESSED


def _hide_derived(table: Table, row: list[Any]) -> None:
    if any(row[col] == SUPPRESSED for col in table.counts):
        for col in table.derived:
            row[col] = CONFIDENTIAL


def suppress(table: Table) -> Table:
    """Suppress small numbers for publication.

    Primary: every count from 1 to 4 is shown as "<5" (0 is shown: it reveals no one).
    Secondary, on a table with a total row: when exactly one cell of a count column is
    suppressed, the total would give it away, so the next smallest count in that column
    is suppressed too (or, when there is no other cell, the total itself). Derived
    figures on a row with a suppressed count are shown as "[c]".
    """
    grid = [list(row) for row in table.rows]
    total = list(table.total) if table.total is not None else None
    for row in grid:
        for col in table.counts:
            if _is_small(row[col]):
                row[col] = SUPPRESSED
    if total is not None:
        _secondary(table, grid, total)
        _hide_derived(table, total)
    for row in grid:
        _hide_derived(table, row)
    return table.with_cells(grid, total)
