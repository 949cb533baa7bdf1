"""Set up a partnership from its set-up file, or print its set-up as one (see docs/setup.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.models import Partnership
from saferhub.setup.setupfile import SetupFileError, configure, export


class Command(BaseCommand):
    help = "Create or update a partnership from a TOML set-up file; --export SLUG prints one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the set-up file (TOML)")
        parser.add_argument("--dry-run", action="store_true", help="check the file and list the changes, write nothing")
        parser.add_argument("--export", metavar="SLUG", help="print the partnership's set-up as a set-up file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["export"]:
            if options["file"]:
                raise CommandError("Give either a file to apply or --export SLUG, not both.")
            self._export(options["export"])
        elif options["file"]:
            self._configure(Path(options["file"]), dry_run=options["dry_run"])
        else:
            raise CommandError("Give the set-up file to apply, or --export SLUG.")

    def _export(self, slug: str) -> None:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"There is no partnership '{slug}'. Known partnerships: {known}.")
        self.stdout.write(export(partnership), ending="")

    def _configure(self, path: Path, *, dry_run: bool) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not UTF-8 text. Save the file as UTF-8 and try again.") from None
        try:
            result = configure(text, dry_run=dry_run)
        except SetupFileError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(f"{path}: {count} problem{'s' if count != 1 else ''}; nothing was changed.") from None
        slug = result.partnership.slug
        if not result.changes:
            self.stdout.write(f"No changes: {slug} already matches {path}.")
            return
        for line in result.changes:
            self.stdout.write(line)
        count = len(result.changes)
        changes = f"{count} change{'s' if count != 1 else ''}"
        if dry_run:
            self.stdout.write(f"Dry run: {changes} would be made to {slug}; nothing was written.")
        else:
            self.stdout.write(f"{changes} made to {slug}.")
