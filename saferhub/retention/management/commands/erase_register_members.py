"""The retention schedule for the registers of staff and volunteers (the RJ Champions, Restorative
Practice Leads and volunteers): erase the details of every member who left the register before the
end of that year plus the default retention period. Run it daily or monthly from the scheduler; each
erasure writes its `erase` audit row. `--dry-run` lists how many are due and changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.accounts.partnerships import partnership_for_command
from saferhub.retention import actions, rules


class Command(BaseCommand):
    help = "Erase the details of register members (RJ champions, practice leads, volunteers) past the retention period."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnership")
        parser.add_argument("--dry-run", action="store_true", help="Count the members due; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            partnership = partnership_for_command(options["partnership"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        today = timezone.localdate()
        if options["dry_run"]:
            due = rules.register_due(partnership, today).count()
            self.stdout.write(f"{due} register member(s) due for erasure; nothing changed (dry run)")
            return
        erased = actions.erase_due_register_members(partnership, today=today)
        self.stdout.write(f"Erased the details of {erased} register member(s) past the retention period")
