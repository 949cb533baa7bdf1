"""Running an import: one implementation for the command line and the web page.

The file is streamed row by row. Every row is parsed and checked; rows are written
in batches of ``settings.IMPORT_BATCH_SIZE`` inside one transaction. When any
problem is found, writing stops, checking goes on to the end of the file so that
every problem is reported, and the whole transaction is rolled back: an import is
all or nothing. A dry run does the same work and always rolls back, so its counts
are exactly what a real run would report.
"""

import contextlib
import csv
import io
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.accounts.models import Agency, AgencyKind
from saferhub.cases.actions import settle_overtaken_closures
from saferhub.core.models import ReferenceCode
from saferhub.imports import recording, sqlcheck, staging
from saferhub.imports.models import ImportRun, ImportStatus
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome

# Problems kept on the result and the ImportRun; all are passed to `on_error`.
MAX_KEPT_ERRORS = 1000
# Distinct cell texts whose parsed value is kept, per column.
MAX_CACHED_VALUES = 50_000
# A binary file is decoded this many bytes at a time (cut at a line end).
READ_BLOCK = 1 << 20
# `on_progress` is called at most this often (seconds), and once at the end.
PROGRESS_INTERVAL = 1.0
NOT_UTF8 = "the file is not UTF-8 text: save it as 'CSV UTF-8' and try again"

# on_progress(rows_done, errors_so_far)
ProgressCallback = Callable[[int, int], None]


class _NotUtf8(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


@dataclass
class Row:
    """One parsed line of the file.

    A column the file's header leaves out is in `values` as None, like a blank cell, but
    the two mean different things (docs/imports.md): ABSENT leaves the field alone on an
    existing record (a new record gets the default), BLANK sets it to blank or unknown.
    Kinds tell them apart with `has()` or `present_only()`.
    """

    line: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str | None, str]] = field(default_factory=list)
    # The columns named in the file's header row.
    present: frozenset[str] = frozenset()

    def error(self, column: str | None, message: str) -> None:
        self.errors.append((column, message))

    def has(self, column: str) -> bool:
        """Whether the file has this column (even if this row's cell is blank)."""
        return column in self.present

    def present_only(self, values: dict[str, Any], sources: Mapping[str, str | Sequence[str]]) -> dict[str, Any]:
        """The field values an update may write: those whose source column (or any of several) is in the file.

        `sources` maps a field to the column(s) it comes from; fields not in it (from required
        columns, or always recomputed) are kept.
        """
        kept = {}
        for name, value in values.items():
            source = sources.get(name)
            columns = (source,) if isinstance(source, str) else source
            if columns is None or any(column in self.present for column in columns):
                kept[name] = value
        return kept

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value


class ImportContext:
    """What parsers and kinds need to know about the run, with per-run caches of lookups."""

    def __init__(self, *, partnership: Any, user: Any, dry_run: bool, create_organisations: bool) -> None:
        self.partnership = partnership
        self.user = user
        self.dry_run = dry_run
        self.create_organisations = create_organisations
        self.organisations_created = 0
        # Scratch space for a kind (for example, names seen earlier in the file).
        self.state: dict[str, Any] = {}
        # The columns in the file's header (set once the header is read); see Row.has().
        self.present_columns: frozenset[str] = frozenset()
        self._codes: dict[str, dict[str, ReferenceCode]] = {}
        self._organisations: dict[str, Agency | None] = {}

    def codes(self, code_list: str) -> dict[str, ReferenceCode]:
        if code_list not in self._codes:
            self._codes[code_list] = {code.code: code for code in ReferenceCode.objects.of(self.partnership, code_list)}
        return self._codes[code_list]

    def find_organisation(self, name: str) -> Agency | None:
        key = name.lower()
        if key not in self._organisations:
            self._organisations[key] = (
                Agency.objects.filter(partnership=self.partnership, name__iexact=name).select_related("parent").first()
            )
        return self._organisations[key]

    def organisation(self, name: str, group: str | None = None) -> Agency:
        """The partnership's organisation of that name; created (under `group`) only when allowed."""
        if len(name) > 200:
            raise CellError("organisation names are at most 200 characters")
        agency = self.find_organisation(name)
        if agency is not None:
            return agency
        if not self.create_organisations:
            raise CellError(f"unknown organisation '{name}' (give --create-organisations to create it)")
        parent = self.organisation(group) if group and group.lower() != name.lower() else None
        agency = Agency.objects.create(partnership=self.partnership, name=name, kind=AgencyKind.OTHER, parent=parent)
        self._organisations[name.lower()] = agency
        self.organisations_created += 1
        return agency


@dataclass
class ImportResult:
    kind: str
    filename: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    organisations_created: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    run: ImportRun | None = None
    # Rows read from the file (blank ones included).
    rows: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def summary(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.skipped:
            text += f", {self.skipped} skipped"
        if self.organisations_created:
            text += f" ({self.organisations_created} new organisations)"
        return text

    @property
    def status(self) -> str:
        if not self.ok:
            return ImportStatus.FAILED
        return ImportStatus.CHECKED if self.dry_run else ImportStatus.SUCCEEDED


class _Run:
    """One pass over one file."""

    def __init__(
        self,
        kind: ImportKind,
        ctx: ImportContext,
        result: ImportResult,
        on_error: Callable[[str], None] | None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.kind = kind
        self.ctx = ctx
        self.result = result
        self.on_error = on_error
        self.on_progress = on_progress
        self.rows_done = 0
        self.progress_at = time.monotonic()
        self.stage: staging.Stage | None = None
        # Set-wise checking (PostgreSQL): the file's text, and problems that end the reading, which
        # are reported after the rows' own (as the batched path reports them).
        self.raw: sqlcheck.RawStage | None = None
        self.ending: list[tuple[int, str]] = []
        self.header: list[str] = []
        # Each column with, for a pure parser (codes, dates, choices…), its results by cell text.
        self.parsers: list[tuple[str, Column, dict[str, tuple[Any, str | None]] | None]] = []
        self.columns = kind.column_map()
        self.batch: list[Row] = []
        self.batch_size = max(1, int(getattr(settings, "IMPORT_BATCH_SIZE", 500)))

    def report(self, line: int, column: str | None, message: str) -> None:
        text = f"line {line}, column {column}: {message}" if column else f"line {line}: {message}"
        self.result.error_count += 1
        if len(self.result.errors) < MAX_KEPT_ERRORS:
            self.result.errors.append(text)
        if self.on_error is not None:
            self.on_error(text)

    def read_header(self, header: list[str]) -> list[str] | None:
        names = [self.kind.header_name(name.strip().lower()) for name in header]
        seen: set[str] = set()
        for name in names:
            if not name:
                self.report(1, None, "a column has no name in the header row")
            elif name in seen:
                self.report(1, name, "the column appears more than once")
            elif name not in self.columns:
                self.report(1, name, f"unknown column (known columns: {', '.join(self.columns)})")
            seen.add(name)
        for column in self.kind.columns:
            if column.required and column.name not in seen:
                self.report(1, column.name, "required column is missing from the header row")
        return None if self.result.error_count else names

    def parse(self, line: int, names: list[str], cells: list[str]) -> Row:
        raw = dict.fromkeys(self.columns, "") | dict(zip(names, cells, strict=True))
        row = Row(line=line, raw=raw, present=self.ctx.present_columns)
        values = row.values
        for name, column, cache in self.parsers:
            text = raw[name].strip()
            if not text:
                values[name] = None
                if column.required:
                    row.error(name, "a value is required")
                continue
            if "\x00" in text:
                # PostgreSQL cannot store it, SQLite would: refused on both, before writing.
                row.error(name, "the cell holds a NUL character (byte 0): remove it and save the file again")
                continue
            hit = cache.get(text) if cache is not None else None
            if hit is not None:
                value, message = hit
            else:
                try:
                    value, message = column.parse(text, self.ctx, raw), None
                except CellError as exc:
                    value, message = None, str(exc)
                if cache is not None and len(cache) < MAX_CACHED_VALUES:
                    cache[text] = (value, message)
            if message is None:
                values[name] = value
            else:
                row.error(name, message)
        if not row.errors:
            self.kind.clean(self.ctx, row)
        return row

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch or self.result.error_count:
            return
        try:
            with transaction.atomic():
                outcomes = list(self.kind.write_batch(self.ctx, batch))
        except DatabaseError as exc:
            self.report(batch[0].line, None, f"rows {batch[0].line} to {batch[-1].line} could not be saved ({exc})")
            return
        for row, outcome in zip(batch, outcomes, strict=True):
            if outcome is Outcome.ERROR:
                for column, message in row.errors:
                    self.report(row.line, column, message)
            else:
                setattr(self.result, outcome.value, getattr(self.result, outcome.value) + 1)

    def process(self, stream: Iterable[str] | Any) -> None:
        reader = csv.reader(_text_lines(stream))
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                self.report(1, None, "the file is empty: a header row is needed")
                return
            names = self.read_header(header)
            if names is None:
                return
            self.start(names)
            line = reader.line_num
            for cells in reader:
                # A quoted field may span lines: a row is numbered by the line it starts on.
                start, line = line + 1, reader.line_num
                self.process_row(start, names, cells)
        except _NotUtf8 as exc:
            self.end(exc.line, NOT_UTF8)
        except UnicodeDecodeError:
            # A text stream decoded by the caller: the line is only known to be after the last one read.
            self.end(line + 1, NOT_UTF8)
        except csv.Error as exc:
            self.end(reader.line_num, f"the file is not valid CSV ({exc})")
        self.finish()
        self.result.rows = self.rows_done
        self.progress(final=True)

    def start(self, names: list[str]) -> None:
        """After a good header: the parsers, and the staging tables on PostgreSQL."""
        self.ctx.present_columns = frozenset(names)
        self.parsers = [
            (column.name, column, {} if getattr(column.parse, "pure", False) else None) for column in self.kind.columns
        ]
        self.header = names
        if staging.supported() and (columns := self.kind.stage_columns(self.ctx)) is not None:
            self.stage = staging.Stage(self.kind, columns)
            self.stage.replay = self.replay
            if self.kind.stage_sql(self.ctx) is not None:
                self.raw = sqlcheck.RawStage(self.kind, names)

    def finish(self) -> None:
        if self.raw is not None:
            self.check_setwise()
        for line, message in self.ending:
            self.report(line, None, message)
        self.flush()
        if self.stage is not None and not self.result.error_count:
            self.stage.flush()
            self.stage.analyze()
            # Replayed rows add to the counts while write_staged runs: add its own afterwards.
            counts = self.kind.write_staged(self.ctx, self.stage)
            for outcome, count in counts.items():
                setattr(self.result, outcome.value, getattr(self.result, outcome.value) + count)

    def end(self, line: int, message: str) -> None:
        if self.raw is not None:
            self.ending.append((line, message))
        else:
            self.report(line, None, message)

    def check_setwise(self) -> None:
        """Check the staged text in SQL; parse only the suspect rows in Python, in file order
        (saferhub/imports/sqlcheck.py); stage the valid rows' typed values for `write_staged`."""
        raw, stage = self.raw, self.stage
        assert raw is not None and stage is not None  # noqa: S101 - set together in process()
        suspects = sqlcheck.stage_checked(self.ctx, self.kind, raw, stage)
        held = sorted(raw.held.items())
        for line, shape, values in sqlcheck.suspects(suspects, len(raw.columns)):
            while held and held[0][0] < line:
                self.check_row(*held.pop(0), self.header)
            if shape is not None:
                self.report(line, None, f"expected {raw.width} values, one per header column, but found {shape}")
            else:
                self.check_row(line, values, raw.columns)
        for line, values in held:
            self.check_row(line, values, self.header)

    def check_row(self, line: int, cells: list[str], names: list[str]) -> None:
        row = self.parse(line, names, cells)
        for column, message in row.errors:
            self.report(line, column, message)
        if not row.errors and not self.result.error_count and self.stage is not None:
            self.stage.add(row, self.kind.stage_row(self.ctx, row))

    def replay(self, rows: Iterator[tuple[int, list[str]]]) -> None:
        """Write staged rows (by line, with their cells) through the kind's write_batch."""
        assert self.stage is not None  # noqa: S101 - only the stage calls it
        for line, cells in rows:
            row = self.parse(line, self.stage.raw_columns, cells)
            for column, message in row.errors:
                self.report(line, column, message)
            self.batch.append(row)
            if len(self.batch) >= self.batch_size:
                self.flush()
        self.flush()

    def progress(self, final: bool = False) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if final or now - self.progress_at >= PROGRESS_INTERVAL:
            self.progress_at = now
            self.on_progress(self.rows_done, self.result.error_count)

    def process_row(self, line: int, names: list[str], cells: list[str]) -> None:
        self.rows_done += 1
        if self.on_progress is not None and not self.rows_done % 256:
            self.progress()
        if not any(cell.strip() for cell in cells):
            return  # blank lines are allowed anywhere
        if self.raw is not None:
            self.raw.add(line, cells)
            return
        if len(cells) != len(names):
            self.report(line, None, f"expected {len(names)} values, one per header column, but found {len(cells)}")
            return
        row = self.parse(line, names, cells)
        for column, message in row.errors:
            self.report(line, column, message)
        if row.errors or self.result.error_count:
            return
        if self.stage is not None:
            self.stage.add(row, self.kind.stage_row(self.ctx, row))
            return
        self.batch.append(row)
        if len(self.batch) >= self.batch_size:
            self.flush()


def _text_lines(stream: Iterable[str] | Any) -> Iterator[str]:
    """The stream's lines as text.

    A binary stream (an open file or upload) is decoded here a block at a time, so that a
    byte that is not UTF-8 is reported on its own physical line (raising ``_NotUtf8``) rather
    than somewhere near the block a text wrapper happened to be decoding.
    """
    read = getattr(stream, "read", None)
    if read is None or not isinstance(read(0), bytes):
        yield from stream
        return
    lines_before, rest, first = 0, b"", True
    while True:
        block = read(READ_BLOCK)
        data = rest + block
        if block:
            cut = data.rfind(b"\n") + 1
            data, rest = data[:cut], data[cut:]
            if not data:
                continue
        if first:
            data, first = data.removeprefix(b"\xef\xbb\xbf"), False
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # Hand over the good lines before the bad one, then stop.
            good = data.rfind(b"\n", 0, exc.start) + 1
            yield from io.StringIO(data[:good].decode("utf-8", errors="replace"), newline="")
            raise _NotUtf8(lines_before + data.count(b"\n", 0, good) + 1) from None
        lines_before += data.count(b"\n")
        yield from io.StringIO(text, newline="")
        if not block:
            return


@contextlib.contextmanager
def _statements_not_kept() -> Iterator[None]:
    """With DEBUG on, Django keeps every statement on the connection: an import of a big file would
    keep thousands of them (with their values). The debug cursor is switched off for this
    connection (connections are per thread) while the import runs."""
    had_own = "make_debug_cursor" in vars(connection)
    connection.make_debug_cursor = connection.make_cursor  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        if not had_own:
            del connection.make_debug_cursor


def run_import(
    kind: ImportKind,
    stream: Iterable[str] | Any,
    *,
    partnership: Any,
    filename: str,
    user: Any = None,
    dry_run: bool = False,
    create_organisations: bool = False,
    request: HttpRequest | None = None,
    on_error: Callable[[str], None] | None = None,
    on_progress: ProgressCallback | None = None,
    run: ImportRun | None = None,
) -> ImportResult:
    """Import a file of one kind: a binary stream (best: bad bytes are reported on their exact
    line) or a text stream (opened with encoding ``utf-8-sig`` and ``newline=""``)."""
    started_at = run.started_at if run is not None else timezone.now()
    result = ImportResult(kind=kind.slug, filename=filename[:255], dry_run=dry_run, run=run)
    ctx = ImportContext(partnership=partnership, user=user, dry_run=dry_run, create_organisations=create_organisations)
    recorded = False
    with _statements_not_kept(), transaction.atomic():
        _Run(kind, ctx, result, on_error, on_progress).process(stream)
        result.organisations_created = ctx.organisations_created
        if result.status == ImportStatus.SUCCEEDED:
            # A file may close cases with a closure awaiting a manager's approval.
            settle_overtaken_closures(user, request=request)
            _record(result, partnership, user, started_at, request)
            recorded = True
        else:
            transaction.set_rollback(True)
    if not recorded:
        with transaction.atomic():
            _record(result, partnership, user, started_at, request)
    return result


def count_rows(stream: Any) -> int:
    """About how many rows a binary file holds (its lines after the header; a value spanning lines
    counts more than once), reading it once and rewinding it."""
    lines, last = 0, b"\n"
    while block := stream.read(READ_BLOCK):
        lines, last = lines + block.count(b"\n"), block[-1:]
    stream.seek(0)
    return max(0, lines + (last != b"\n") - 1)


def _record(result: ImportResult, partnership: Any, user: Any, started_at: Any, request: HttpRequest | None) -> None:
    recording.record(
        result,
        partnership,
        user,
        started_at,
        request,
        run_values={"organisations_created": result.organisations_created, "rows_done": result.rows},
    )
