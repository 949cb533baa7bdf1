from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.models import Partnership
from saferhub.accounts.partnerships import partnership_for_command
from saferhub.assessments.definitions import install_templates


class Command(BaseCommand):
    help = "Install the shipped assessment templates (DASH-style checklist, victim needs, ASB vulnerability)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", metavar="SLUG", help="only this partnership (default: every partnership)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["partnership"]:
            try:
                partnerships = [partnership_for_command(options["partnership"])]
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
        else:
            partnerships = list(Partnership.objects.order_by("slug"))
            if not partnerships:
                raise CommandError("There are no partnerships yet: create one with `manage.py create_partnership`.")
        for partnership in partnerships:
            created = install_templates(partnership)
            names = ", ".join(f"{t.code} v{t.version}" for t in created) or "nothing new"
            self.stdout.write(f"{partnership.slug}: {names}")
