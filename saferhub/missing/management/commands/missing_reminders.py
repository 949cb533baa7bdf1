"""E-mail the missing-children deadlines that are overdue: strategy meetings and return home interview offers.

Run daily from a scheduler; the e-mails are sent by the task worker once the command's transaction
commits. The coordinators' home page (`/missing/`) shows the same items.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from saferhub.accounts.partnerships import partnership_for_command
from saferhub.missing.reminders import queue_reminders


class Command(BaseCommand):
    help = "E-mail coordinators and providers the overdue strategy meetings and return home interviews."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnership")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            partnership = partnership_for_command(options["partnership"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        sent = queue_reminders(partnership)
        for email, count in sent:
            self.stdout.write(f"{email}: {count} overdue")
        self.stdout.write(f"{len(sent)} reminder e-mail{'s' if len(sent) != 1 else ''} queued.")
