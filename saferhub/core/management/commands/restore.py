"""Replace the database and the uploaded files with a backup's (`make restore FILE=...`)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from saferhub.core.backup import BackupError, check_restorable, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database and the uploaded files are replaced by the "
        "backup's. Stop the web server and the worker first; run `manage.py migrate` afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup archive (.tar.gz)")
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing the data")

    def handle(self, *args: Any, file: Path, yes: bool, **options: Any) -> None:
        try:
            manifest = read_manifest(file)
            check_restorable(manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        name = connection.settings_dict["NAME"]
        if not yes:
            self.stdout.write(
                f"This replaces everything in the database {name} and the uploaded files with the backup made "
                f"{manifest['made_at']}."
            )
            if input("Type the database name to go on: ").strip() != str(name):
                raise CommandError("Nothing restored.")
        try:
            restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the database {name} and {manifest['files']} uploaded files from {file}.")
