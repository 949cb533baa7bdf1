"""Back up the database and the uploaded files into one archive (`make backup`)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.core.backup import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump custom format on PostgreSQL, a consistent copy on SQLite) and the uploaded "
        "files into one .tar.gz archive, readable by its owner only. It holds personal data: keep it safe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="the archive to write (default: var/backups/saferhub-DATE-TIME.tar.gz)"
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        path = output or default_path()
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up the {manifest['vendor']} database and {manifest['files']} uploaded files to {path}"
        )
