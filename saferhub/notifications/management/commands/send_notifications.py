"""The daily notification run: deadline notices, then the digest e-mails (run once a day by a scheduler).

Notices are keyed by item and due date, so a second run the same day (or a retry) tells nobody
twice. The e-mails are sent by the task worker once this command's transaction has committed.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from saferhub.accounts.models import Partnership
from saferhub.accounts.partnerships import partnership_for_command
from saferhub.notifications import deadlines
from saferhub.notifications.digest import queue_digests


class Command(BaseCommand):
    help = (
        "Create the day's deadline notices (actions due or overdue, first contact, Case Review steps, "
        "tools and powers, missing children) and queue each user's daily digest e-mail."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnership", help="Only this partnership (slug); every partnership by default")
        parser.add_argument("--no-digest", action="store_true", help="Create notices but send no digest e-mails")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["partnership"]:
            try:
                partnerships = [partnership_for_command(options["partnership"])]
            except LookupError as exc:
                raise CommandError(str(exc)) from None
        else:
            partnerships = list(Partnership.objects.order_by("slug"))
        for partnership in partnerships:
            with transaction.atomic():
                counts = deadlines.run(partnership)
                digests = 0 if options["no_digest"] else queue_digests(partnership)
            made = ", ".join(f"{what} {n}" for what, n in counts.items() if n) or "none"
            self.stdout.write(f"{partnership.slug}: new notices: {made}; digests queued: {digests}.")
