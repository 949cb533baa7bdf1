"""ASB reminders: tools and powers to review or ending soon, Case Review steps due or overdue.

Lists them for a scheduler's log and notifies the teams that hold them (in Saferhub, and by
e-mail through the task worker as each user chose). Notices are keyed by item and due date, so
running it every day tells nobody twice about the same deadline. `send_notifications` makes the
same notices as part of its daily run.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from saferhub.accounts.partnerships import partnership_for_command
from saferhub.asb import deadlines
from saferhub.asb.models import CaseReview, Intervention
from saferhub.notifications import deadlines as notices


class Command(BaseCommand):
    help = (
        "List tools and powers due for review or ending soon, and overdue Case Review steps, "
        "and notify the teams that hold them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnership")
        parser.add_argument("--days", type=int, default=14, help="Look this many days ahead (default 14)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            partnership = partnership_for_command(options["partnership"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        today = timezone.localdate()
        ahead = today + datetime.timedelta(days=options["days"])
        items = (
            Intervention.objects.filter(partnership=partnership, status="active", case__isnull=False)
            .filter(review_on__lte=ahead)
            .select_related("kind", "case", "person")
            .order_by("review_on")
        )
        for item in items:
            self.stdout.write(f"{item.review_on} review  {item.case.reference}  {item.kind.label}  {item.served_to}")  # type: ignore[union-attr]  # case__isnull=False
        for item in (
            Intervention.objects.expiring(today, options["days"])
            .filter(partnership=partnership)
            .select_related("kind", "case")
        ):
            self.stdout.write(
                f"{item.expires_on} ends    {item.case.reference if item.case else '-'}  {item.kind.label}"
            )
        for review in CaseReview.objects.filter(partnership=partnership).open():
            step = deadlines.next_step(review)
            if step is not None and step.overdue(today):
                self.stdout.write(f"{step.due_on} OVERDUE {review.reference}  {step.label}")
        with transaction.atomic():
            created = notices.tool_review_notices(partnership, today, options["days"])
            created += notices.case_review_notices(partnership, today)
        self.stdout.write(f"Notifications created: {created}.")
