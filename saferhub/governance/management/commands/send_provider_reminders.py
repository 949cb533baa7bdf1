"""Remind commissioned services of returns due within N days or overdue (run daily by a scheduler).

Each reminder is recorded on the return (at most one a day) with an audit row; the e-mail
goes through the task worker once that has committed.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.accounts.partnerships import partnership_for_command
from saferhub.governance import actions
from saferhub.governance.models import ProviderReturn


class Command(BaseCommand):
    help = "E-mail commissioned services about returns due within --days days (default 7) or overdue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnership")
        parser.add_argument("--days", type=int, default=7, help="Remind of returns due within this many days")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            partnership = partnership_for_command(options["partnership"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        if options["days"] < 0:
            raise CommandError("--days must be 0 or more")
        today = timezone.localdate()
        due = (
            ProviderReturn.objects.awaiting_provider()
            .filter(service__partnership=partnership, due_on__lte=today + datetime.timedelta(days=options["days"]))
            .select_related("service__partnership")
            .order_by("due_on", "pk")
        )
        sent = 0
        for provider_return in due:
            if actions.remind(provider_return, today):
                sent += 1
                state = "overdue" if provider_return.due_on < today else "due"
                self.stdout.write(
                    f"{provider_return.service.name} {provider_return.period}: {state} {provider_return.due_on}"
                )
        self.stdout.write(f"Reminders queued: {sent}.")
