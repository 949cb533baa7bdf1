from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.partnerships import partnership_for_command
from saferhub.imports.registry import UnknownKind, get_kind, known_slugs
from saferhub.imports.runner import count_rows, run_import

BAR_WIDTH = 30


class ProgressBar:
    """`[#####-----]  52% 52,000 of about 100,000 rows, 0 problems` on one line of a terminal."""

    def __init__(self, out: Any, total: int) -> None:
        self.out = out
        self.total = total
        self.shown = False

    def __call__(self, done: int, errors: int) -> None:
        fraction = min(1.0, done / self.total) if self.total else 1.0
        filled = round(fraction * BAR_WIDTH)
        noun = "problem" if errors == 1 else "problems"
        self.out.write(
            f"\r[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {fraction:4.0%} "
            f"{done:,} of about {self.total:,} rows, {errors:,} {noun}\x1b[K"
        )
        self.out.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.out.write("\r\x1b[K")
            self.shown = False

    def error(self, text: str) -> None:
        self.clear()
        self.out.write(text + "\n")


def is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Command(BaseCommand):
    help = "Import a CSV file of one kind. All or nothing: any problem means nothing is written."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"what the file holds: {', '.join(known_slugs())}")
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE",
            help="path of a UTF-8 CSV file with a header row (several for some kinds)",
        )
        parser.add_argument("--partnership", help="slug; may be left out when only one partnership exists")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, writing nothing")
        parser.add_argument(
            "--create-organisations", action="store_true", help="create organisations the partnership does not have"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kind = get_kind(options["kind"])
        except UnknownKind as exc:
            raise CommandError(str(exc)) from exc
        try:
            partnership = partnership_for_command(options["partnership"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        # Kinds that take whole files (published police data) import several at once, in one transaction.
        if hasattr(kind, "run_files"):
            self._run_files(kind, partnership, options)
            return
        if len(options["files"]) > 1:
            raise CommandError(f"The {kind.slug} import takes one file at a time.")
        path = Path(options["files"][0])
        try:
            # Binary: the runner decodes it, so that a bad byte is reported on its own line.
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        with handle:
            # A progress bar on a terminal only: a log file or a pipe gets just the problems.
            bar = ProgressBar(self.stderr._out, count_rows(handle)) if is_terminal(self.stderr._out) else None
            result = run_import(
                kind,
                handle,
                partnership=partnership,
                filename=path.name,
                dry_run=options["dry_run"],
                create_organisations=options["create_organisations"],
                on_error=bar.error if bar else self.stderr.write,
                on_progress=bar,
            )
            if bar:
                bar.clear()
        if not result.ok:
            noun = "problem" if result.error_count == 1 else "problems"
            raise CommandError(f"{result.error_count} {noun} found in {path.name}: nothing was imported.")
        prefix = "Dry run, nothing written: " if result.dry_run else ""
        self.stdout.write(f"{prefix}{result.summary}")

    def _run_files(self, kind: Any, partnership: Any, options: dict[str, Any]) -> None:
        paths = [Path(name) for name in options["files"]]
        with ExitStack() as stack:
            files = []
            for path in paths:
                try:
                    files.append((path.name, stack.enter_context(path.open("rb"))))
                except OSError as exc:
                    raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
            results = kind.run_files(
                files,
                partnership=partnership,
                dry_run=options["dry_run"],
                on_error=self.stderr.write,
                on_file=(lambda name: self.stderr.write(f"{name}:")) if len(files) > 1 else None,
            )
        problems = sum(result.error_count for result in results)
        if problems:
            noun = "problem" if problems == 1 else "problems"
            raise CommandError(f"{problems} {noun} found: nothing was imported.")
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        for result in results:
            self.stdout.write(f"{prefix}{result.filename}: {result.summary}")
