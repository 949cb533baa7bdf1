"""The daily run's notices: actions due or overdue, and the statutory deadlines of the modules.

Each notice is keyed by its item and its due date, so running the command twice in a day (or
every day) never tells anyone twice about the same deadline; a new due date is a new deadline.
Overdue items are urgent (e-mailed straight away unless the user turned e-mail off for the kind).
"""

import datetime
from collections import Counter
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.notifications.actions import Notice, notify
from saferhub.notifications.events import action_url, casework_users
from saferhub.notifications.models import Kind, Subject


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def action_notices(partnership: Any, today: datetime.date) -> int:
    """Open actions due today (not urgent) and past due (urgent) to their owners; panel actions as their own kind."""
    from saferhub.cases.models import Action

    created = 0
    actions = (
        Action.objects.outstanding()
        .filter(case__partnership=partnership, due_on__lte=today, case__archived_at__isnull=True)
        .select_related("case", "owner", "panel_action")
        .order_by("due_on", "pk")
    )
    for action in actions:
        overdue = action.due_on < today
        panel = hasattr(action, "panel_action")
        kind = Kind.PANEL_ACTION if panel and overdue else (Kind.ACTION_OVERDUE if overdue else Kind.ACTION_DUE)
        words = f"was due on {_day(action.due_on)}" if overdue else "is due today"
        what = "A panel action" if panel else "An action"
        notice = Notice(
            kind=kind,
            subject=Subject.ACTION,
            obj=action,
            title=f"{what} on {action.case.reference} {words}",
            reference=action.case.reference,
            url=action_url(action),
            key=f"{kind}:{action.pk}:{action.due_on:%Y%m%d}",
            urgent=overdue,
        )
        created += len(notify([action.owner], notice))
    return created


def first_contact_notices(partnership: Any, today: datetime.date) -> int:
    """Victim Care Hub referrals awaiting first contact, due today or late, to the team they were sent to."""
    from saferhub.victims.models import HubReferral

    created = 0
    waiting = (
        HubReferral.objects.of(partnership.pk)
        .awaiting_first_contact()
        .filter(first_contact_due_on__lte=today)
        .select_related("referral")
        .order_by("first_contact_due_on", "pk")
    )
    for hub in waiting:
        due = hub.first_contact_due_on
        assert due is not None  # noqa: S101  # filtered above
        overdue = due < today
        notice = Notice(
            kind=Kind.FIRST_CONTACT,
            subject=Subject.HUB_REFERRAL,
            obj=hub,
            title=(
                f"First contact for referral {hub.referral.reference} "
                f"{'was due on ' + _day(due) if overdue else 'is due today'}"
            ),
            reference=hub.referral.reference,
            url=reverse("victims:referral", args=[hub.pk]),
            key=f"first_contact:{hub.pk}:{due:%Y%m%d}",
            urgent=overdue,
        )
        created += len(notify(casework_users(team_id=hub.referral.to_team_id), notice))
    return created


def case_review_notices(partnership: Any, today: datetime.date) -> int:
    """ASB Case Review steps due today or overdue, to the receiving team (team managers while none is chosen)."""
    from saferhub.asb import deadlines
    from saferhub.asb.models import CaseReview

    created = 0
    for review in CaseReview.objects.filter(partnership=partnership).open().order_by("pk"):
        step = deadlines.next_step(review)
        if step is None or step.due_on is None or step.due_on > today:
            continue
        overdue = step.overdue(today)
        if review.owning_team_id:
            recipients = casework_users(team_id=review.owning_team_id)
        else:
            recipients = [u for u in casework_users(partnership_id=partnership.pk) if u.has_role(Role.TEAM_MANAGER)]
        notice = Notice(
            kind=Kind.CASE_REVIEW_STEP,
            subject=Subject.CASE_REVIEW,
            obj=review,
            title=f"Case Review {review.reference}: {step.label.lower()} "
            + (f"was due on {_day(step.due_on)}" if overdue else "is due today"),
            reference=review.reference,
            url=reverse("asb:review", args=[review.reference]),
            key=f"case_review_step:{review.pk}:{step.key}:{step.due_on:%Y%m%d}",
            urgent=overdue,
        )
        created += len(notify(recipients, notice))
    return created


def tool_review_notices(partnership: Any, today: datetime.date, days: int = 14) -> int:
    """Tools and powers on cases due for review, or ending, within `days`: to the case's owning team."""
    from saferhub.asb.models import Intervention, InterventionStatus

    created = 0
    ahead = today + datetime.timedelta(days=days)
    items = (
        Intervention.objects.filter(partnership=partnership, status=InterventionStatus.ACTIVE, case__isnull=False)
        .filter(review_on__lte=ahead)
        .select_related("kind", "case")
    )
    ending = Intervention.objects.expiring(today, days).filter(partnership=partnership, case__isnull=False)
    for item, what, due in [(i, "review", i.review_on) for i in items] + [
        (i, "end", i.expires_on) for i in ending.select_related("kind", "case")
    ]:
        case = item.case
        assert case is not None and due is not None  # noqa: S101  # filtered above
        notice = Notice(
            kind=Kind.TOOL_REVIEW,
            subject=Subject.INTERVENTION,
            obj=item,
            title=f"{item.kind.label} on {case.reference}: {'review due' if what == 'review' else 'ends'} on {_day(due)}",
            reference=case.reference,
            url=reverse("cases:detail", args=[case.reference]),
            key=f"tool_{what}:{item.pk}:{due:%Y%m%d}",
            urgent=what == "review" and due < today,
        )
        created += len(notify(casework_users(team_id=case.owning_team_id), notice))
    return created


def missing_notices(partnership: Any, now: datetime.datetime) -> int:
    """Overdue strategy meetings and return home interview offers: to the missing team and the interview's team."""
    from saferhub.missing.config import UK, missing_team
    from saferhub.missing.models import Episode

    created = 0
    episodes = Episode.objects.filter(partnership=partnership)
    team = missing_team(partnership.pk)
    coordinators = casework_users(team_id=team.pk) if team is not None else []
    for episode in episodes.strategy_overdue(now).order_by("strategy_due_at", "pk"):
        due = episode.strategy_due_at.astimezone(UK)  # type: ignore[union-attr]  # overdue: it has one
        notice = Notice(
            kind=Kind.STRATEGY_MEETING,
            subject=Subject.EPISODE,
            obj=episode,
            title=f"Missing episode {episode.pk}: the strategy meeting was due on {_day(due.date())}",
            reference=f"Missing episode {episode.pk}",
            url=reverse("missing:episode", args=[episode.pk]),
            key=f"strategy_meeting:{episode.pk}:{due:%Y%m%d%H%M}",
            urgent=True,
        )
        created += len(notify(coordinators, notice))
    for episode in episodes.rhi_overdue(now).order_by("rhi_due_at", "pk"):
        due = episode.rhi_due_at.astimezone(UK)  # type: ignore[union-attr]
        notice = Notice(
            kind=Kind.RETURN_HOME_INTERVIEW,
            subject=Subject.EPISODE,
            obj=episode,
            title=f"Missing episode {episode.pk}: the return home interview offer was due on {_day(due.date())}",
            reference=f"Missing episode {episode.pk}",
            url=reverse("missing:episode", args=[episode.pk]),
            key=f"return_home_interview:{episode.pk}:{due:%Y%m%d%H%M}",
            urgent=True,
        )
        providers = casework_users(team_id=episode.rhi_team_id) if episode.rhi_team_id else []
        created += len(notify(coordinators + providers, notice))
    return created


def run(partnership: Any, now: datetime.datetime | None = None) -> Counter[str]:
    """Every deadline notice of the partnership for today; returns how many were created, by source."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return Counter(
        {
            "actions": action_notices(partnership, today),
            "first contact": first_contact_notices(partnership, today),
            "Case Review steps": case_review_notices(partnership, today),
            "tools and powers": tool_review_notices(partnership, today),
            "missing children": missing_notices(partnership, now),
        }
    )
