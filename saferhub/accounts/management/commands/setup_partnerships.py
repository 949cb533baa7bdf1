from typing import Any

from django.core.management.base import BaseCommand, CommandError

from saferhub.accounts.models import Partnership
from saferhub.accounts.partnerships import partnership_for_command, setup_partnership


class Command(BaseCommand):
    help = "Add what newly installed modules need (codes, case types, templates) to existing partnerships."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnership", help="only this partnership (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["partnership"]:
            try:
                partnerships = [partnership_for_command(options["partnership"])]
            except LookupError as error:
                raise CommandError(str(error)) from None
        else:
            partnerships = list(Partnership.objects.order_by("slug"))
        for partnership in partnerships:
            setup_partnership(partnership)
            self.stdout.write(f"{partnership.slug}: up to date")
