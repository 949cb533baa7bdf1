"""Reminders of overdue strategy meetings and return home interviews, e-mailed through the task worker.

Coordinators get the overdue items of their partnership; a provider team's workers get the overdue
interviews assigned to their team. An e-mail names no child: it gives how many are overdue, each
deadline and a link to the page, where the policy decides what the reader sees once signed in.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from saferhub.accounts.models import CASEWORK_ROLES, User
from saferhub.missing.config import UK, missing_team
from saferhub.missing.models import Episode


@dataclass(frozen=True)
class Reminder:
    episode_id: int
    what: str
    due_at: datetime.datetime
    path: str

    def line(self) -> str:
        due = self.due_at.astimezone(UK)
        return f"- {self.what}, due {due.day} {due:%B %Y at %H:%M}: {settings.SITE_URL.rstrip('/')}{self.path}"


def overdue(partnership: Any, now: datetime.datetime) -> tuple[list[Reminder], dict[int, list[Reminder]]]:
    """(the coordinators' overdue items, the overdue interviews by provider team)."""
    episodes = Episode.objects.filter(partnership=partnership)
    coordinators = [
        Reminder(e.pk, "Strategy meeting", e.strategy_due_at, reverse("missing:episode", args=[e.pk]))  # type: ignore[arg-type]
        for e in episodes.strategy_overdue(now).order_by("strategy_due_at", "pk")
    ]
    by_team: dict[int, list[Reminder]] = defaultdict(list)
    for e in episodes.rhi_overdue(now).order_by("rhi_due_at", "pk"):
        coordinators.append(
            Reminder(e.pk, "Return home interview offer", e.rhi_due_at, reverse("missing:episode", args=[e.pk]))  # type: ignore[arg-type]
        )
        if e.rhi_team_id:
            by_team[e.rhi_team_id].append(
                Reminder(e.pk, "Return home interview offer", e.rhi_due_at, reverse("missing:interview", args=[e.pk]))  # type: ignore[arg-type]
            )
    return coordinators, by_team


def _recipients(team_id: int) -> list[str]:
    return [
        u.email
        for u in User.objects.filter(team_id=team_id, is_active=True).exclude(email="")
        if u.has_role(*CASEWORK_ROLES)
    ]


def queue_reminders(partnership: Any, now: datetime.datetime | None = None) -> list[tuple[str, int]]:
    """Queue one e-mail per recipient once the transaction commits; returns (recipient, items) pairs."""
    now = now or timezone.now()
    coordinators, by_team = overdue(partnership, now)
    mails: list[tuple[str, list[Reminder]]] = []
    team = missing_team(partnership.pk)
    if team is not None and coordinators:
        mails += [(email, coordinators) for email in _recipients(team.pk)]
    for team_id, items in by_team.items():
        mails += [(email, items) for email in _recipients(team_id)]
    with transaction.atomic():
        for email, items in mails:
            body = "\n".join(
                [f"{len(items)} missing-children item{'s are' if len(items) != 1 else ' is'} overdue:", ""]
                + [item.line() for item in items]
                + ["", "Sign in to Saferhub to see them."]
            )
            transaction.on_commit(lambda email=email, body=body: send_reminder.enqueue(email, body))  # type: ignore[misc]
    return [(email, len(items)) for email, items in mails]


@task()
def send_reminder(email: str, body: str) -> None:
    send_mail(
        subject="Saferhub: missing children deadlines overdue",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
        fail_silently=False,
    )
