from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.models import Partnership
from saferhub.people.actions import scan_for_duplicates


class Command(BaseCommand):
    help = (
        "Look through the person index for likely duplicates (same date of birth, a name that sounds or is "
        "spelt the same) and put them in the review queue. Run after a bulk import, or nightly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="partnerships to scan (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = Partnership.objects.order_by("slug")
        if options["slugs"]:
            partnerships = partnerships.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(partnerships.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No partnership called {', '.join(sorted(missing))}.")
        for partnership in partnerships:
            added = scan_for_duplicates(partnership)
            self.stdout.write(f"{partnership.slug}: {added} new possible duplicate pair{'s' if added != 1 else ''}.")
