"""Importing published police files: several files at once, all or nothing, streamed.

The published files are wide (a column per month) or long (a row per crime) and large,
so these kinds have their own path rather than the row-by-row runner: each file is read
once to fingerprint it, then streamed into a temporary staging table (PostgreSQL `COPY`;
batched inserts on SQLite) and merged into the real table with a few set-wise statements,
all in one transaction across every file given. Any problem in any file rolls everything
back, and every problem is still reported as `line N, column NAME: message`.
"""

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.crime.models import CrimeFile
from saferhub.imports import recording
from saferhub.imports.models import ImportRun, ImportStatus
from saferhub.imports.registry import ImportKind

MAX_KEPT_ERRORS = 1000
SQLITE_BATCH = 2000
CHUNK = 1 << 20


class FileRejected(Exception):
    """Stop reading a file: its problems are already reported."""


@dataclass
class FileResult:
    """What one file did; the same attributes the import pages show for any import."""

    kind: str
    filename: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    run: ImportRun | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def summary(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.removed:
            text += f", {self.removed} replaced by the revision"
        if self.skipped:
            text += f", {self.skipped} skipped (LSOA not one of the partnership's: outside its areas, or a 2011 code not in its 2011 lookup)"
        return text + "".join(f"; {note}" for note in self.notes)

    @property
    def status(self) -> str:
        if not self.ok:
            return ImportStatus.FAILED
        return ImportStatus.CHECKED if self.dry_run else ImportStatus.SUCCEEDED


class Problems:
    """Collects a file's problems and passes each to the caller as it is found."""

    def __init__(self, result: FileResult, on_error: Callable[[str], None] | None) -> None:
        self.result = result
        self.on_error = on_error

    def __call__(self, line: int, column: str | None, message: str) -> None:
        text = f"line {line}, column {column}: {message}" if column else f"line {line}: {message}"
        self.result.error_count += 1
        if len(self.result.errors) < MAX_KEPT_ERRORS:
            self.result.errors.append(text)
        if self.on_error is not None:
            self.on_error(text)

    @property
    def any(self) -> bool:
        return self.result.error_count > 0


def fingerprint(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def text_stream(handle: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


class Staging:
    """A temporary table filled by COPY on PostgreSQL, by batched inserts elsewhere."""

    def __init__(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        self.name = name
        self.columns = columns
        self.names = [column for column, _ in columns]
        self.count = 0

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            body = ", ".join(f"{column} {sql_type}" for column, sql_type in self.columns)
            cursor.execute(f"CREATE TEMPORARY TABLE {self.name} ({body})")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def fill(self, rows: Iterable[Sequence[Any]]) -> None:
        """Write the rows; the iterable may stop early (a problem found) without harm."""
        with connection.cursor() as cursor:
            if is_postgres():
                raw = cursor.cursor
                with raw.copy(f"COPY {self.name} ({', '.join(self.names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.count += 1
                return
            marks = ", ".join(["%s"] * len(self.names))
            sql = f"INSERT INTO {self.name} ({', '.join(self.names)}) VALUES ({marks})"  # noqa: S608 - our own names
            batch: list[Sequence[Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= SQLITE_BATCH:
                    cursor.executemany(sql, batch)
                    self.count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                self.count += len(batch)

    def index(self, *columns: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {self.name}_key ON {self.name} ({', '.join(columns)})")
            if is_postgres():
                cursor.execute(f"ANALYZE {self.name}")


def prepare_merge(table: str) -> None:
    """Plan the merge statements as the bulk joins they are.

    A bulk load (perhaps earlier in this same transaction) leaves the statistics stale, and
    the planner then prefers an index probe per staged row: half a million probes where one
    hash join of the two tables takes a second. Fresh statistics, and no nested loops for
    the rest of this import's transaction.
    """
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
            cursor.execute("SET LOCAL enable_nestloop = off")


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class FileImportKind(ImportKind):
    """An import kind that takes whole files (several at once) through its own streaming path."""

    def import_file(
        self, ctx: "FileContext", handle: IO[bytes], source: CrimeFile, problems: Problems, result: FileResult
    ) -> None:
        raise NotImplementedError

    def run_files(  # noqa: C901 - one transaction over the files, with its outcomes
        self,
        files: Sequence[tuple[str, IO[bytes]]],
        *,
        partnership: Any,
        user: Any = None,
        dry_run: bool = False,
        request: HttpRequest | None = None,
        on_error: Callable[[str], None] | None = None,
        on_file: Callable[[str], None] | None = None,
    ) -> list[FileResult]:
        """Import the files in the order given, in one transaction: any problem anywhere writes nothing."""
        started_at = timezone.now()
        results: list[FileResult] = []
        with transaction.atomic():
            for filename, handle in files:
                if on_file is not None:
                    on_file(filename)
                result = FileResult(kind=self.slug, filename=filename[:255], dry_run=dry_run)
                results.append(result)
                problems = Problems(result, on_error)
                ctx = FileContext(partnership=partnership, filename=filename[:255])
                try:
                    with transaction.atomic():
                        source = self._source(partnership, filename, handle)
                        self.import_file(ctx, handle, source, problems, result)
                        if problems.any:
                            raise FileRejected
                        source.rows = max(source.rows, ctx.rows)
                        source.first_month, source.last_month = ctx.first_month, ctx.last_month
                        source.layout = ctx.layout
                        source.save()
                except FileRejected:
                    pass
                except UnicodeDecodeError:
                    problems(ctx.line + 1, None, "the file is not UTF-8 text: save it as 'CSV UTF-8' and try again")
                except DatabaseError as exc:
                    problems(ctx.line or 1, None, f"the file could not be saved ({exc})")
            failed = any(not result.ok for result in results)
            if dry_run or failed:
                transaction.set_rollback(True)
            else:
                for result in results:
                    _record(result, partnership, user, started_at, request)
        if dry_run or failed:
            with transaction.atomic():
                for result in results:
                    if failed and result.ok:
                        # Checked and found sound, but not imported: another file had problems.
                        result.dry_run = True
                        result.notes.append("not imported: another file given with it has problems")
                    _record(result, partnership, user, started_at, request)
        return results

    def _source(self, partnership: Any, filename: str, handle: IO[bytes]) -> CrimeFile:
        digest = fingerprint(handle)
        source, _ = CrimeFile.objects.get_or_create(
            partnership=partnership,
            kind=self.slug,
            sha256=digest,
            defaults={"name": filename[:255], "imported_at": timezone.now()},
        )
        return source


@dataclass
class FileContext:
    partnership: Any
    filename: str
    line: int = 0
    rows: int = 0
    layout: str = ""
    first_month: Any = None
    last_month: Any = None


def numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Rows of a csv.reader with the line each starts on (a quoted field may span lines)."""
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        yield start, cells


def _record(result: FileResult, partnership: Any, user: Any, started_at: Any, request: HttpRequest | None) -> None:
    recording.record(result, partnership, user, started_at, request, detail={"removed": result.removed})
