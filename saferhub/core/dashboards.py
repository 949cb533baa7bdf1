"""What each role's home page shows: every list and count read through the policy.

The inbox counts come from ``policy.inbox_counts``, the very function the inbox page and the
module pages (hub triage, panel review queue, Case Review list) count with, so a number on the
home page is the number on the page it links to.
"""

import datetime
from typing import Any

from django.db import models
from django.urls import reverse

from saferhub import policy
from saferhub.accounts.models import Role
from saferhub.cases.models import Action, CaseShare

LIST_LENGTH = 10
WEEK = datetime.timedelta(days=6)
# First-contact compliance is read over the referrals received in this many days.
COMPLIANCE_DAYS = 90
# The missing-children coordinators' overdue deadlines: the soonest of each kind (all on `/missing/`).
MISSING_LENGTH = 5


def my_actions(user: Any) -> models.QuerySet[Action]:
    """The user's outstanding actions, soonest first. Actions on cases the user can no longer see
    (share expired, case restricted) stay hidden, except actions a panel gave them, which link
    to the panel summary instead of the case file."""
    return (
        Action.objects.outstanding()
        .filter(owner=user)
        .filter(
            models.Q(case__in=policy.visible_cases(user))
            | models.Q(pk__in=policy.panel_actions_for_owner(user).values("pk"))
        )
        .select_related("case")
        .order_by("due_on", "pk")
    )


def with_case_links(user: Any, actions: list[Action]) -> list[Action]:
    visible = set(policy.visible_cases(user).filter(pk__in=[a.case_id for a in actions]).values_list("pk", flat=True))
    for action in actions:
        reference = action.case.reference
        action.case_url = (  # type: ignore[attr-defined]
            reverse("cases:detail", args=[reference])
            if action.case_id in visible
            else reverse("panels:summary", kwargs={"reference": reference})
        )
    return actions


def inbox_summary(user: Any) -> dict[str, Any]:
    """One count per queue (kind) of the user's inbox, with the link to it."""
    counts = policy.inbox_counts(user)
    queues = [
        {
            "kind": kind,
            "label": policy.InboxKind(kind).label,
            "count": count,
            "count_label": policy.inbox_count_label(count),
            "url": f"{reverse('core:inbox')}?kind={kind}",
        }
        for kind, count in counts.items()
    ]
    total = sum(counts.values())
    return {"inbox_queues": queues, "inbox_total": total, "inbox_total_label": policy.inbox_count_label(total)}


def casework(user: Any, today: datetime.date) -> dict[str, Any]:
    cases = policy.visible_cases(user).open()
    mine = cases.filter(assigned_to=user).with_list_columns().order_by("-opened_on", "-pk")
    actions = my_actions(user)
    # Deadlines this week: the user's own actions due from today to six days on (overdue ones are above).
    this_week = actions.filter(due_on__gte=today, due_on__lte=today + WEEK)
    shared = (
        policy.visible_cases(user)
        .open()
        .filter(
            pk__in=CaseShare.objects.current(today)
            .filter(models.Q(agency_id=user.agency_id) | models.Q(team_id=user.team_id))
            .values("case_id")
        )
        .exclude(owning_team_id=user.team_id)
        .select_related("owning_team")
        .order_by("-modified_at", "-pk")
    )
    # The three counts of the user's actions in one query.
    action_counts = actions.order_by().aggregate(
        total=models.Count("pk"),
        overdue=models.Count("pk", filter=models.Q(due_on__lt=today)),
        week=models.Count("pk", filter=models.Q(due_on__gte=today, due_on__lte=today + WEEK)),
    )
    return {
        "my_cases": list(mine[:LIST_LENGTH]),
        "my_cases_count": mine.count(),
        "team_open_count": cases.filter(owning_team_id=user.team_id).count() if user.team_id else 0,
        "my_actions": with_case_links(user, list(actions[:LIST_LENGTH])),
        "my_actions_count": action_counts["total"],
        "my_overdue_count": action_counts["overdue"],
        "week_actions": with_case_links(user, list(this_week[:LIST_LENGTH])),
        "week_actions_count": action_counts["week"],
        "shared_cases": list(shared[:LIST_LENGTH]),
        **inbox_summary(user),
    }


def team_manager(user: Any, today: datetime.date) -> dict[str, Any]:
    """Allocation, caseloads, overdue actions, deadline compliance and closures awaiting approval of the
    manager's team."""
    team_cases = policy.visible_cases(user).open().filter(owning_team_id=user.team_id)
    unallocated = team_cases.filter(assigned_to__isnull=True).with_list_columns().order_by("opened_on", "pk")
    caseload = list(
        team_cases.filter(assigned_to__isnull=False)
        .values("assigned_to", "assigned_to__full_name", "assigned_to__email")
        .annotate(open_cases=models.Count("pk"))
        .order_by("-open_cases", "assigned_to__full_name", "assigned_to")
    )
    for row in caseload:
        row["name"] = row["assigned_to__full_name"] or row["assigned_to__email"]
    overdue_actions = Action.objects.overdue(today).filter(case__in=team_cases)
    overdue_by_kind = policy.inbox_overdue_counts(user, [policy.InboxKind.REFERRAL, policy.InboxKind.HUB])
    review_overdue = policy.inbox_overdue_counts(user, [policy.InboxKind.CASE_REVIEW])
    closures = policy.closures_awaiting_approval(user).select_related("case", "requested_by")
    return {
        "closures_awaiting": list(closures[:LIST_LENGTH]),
        "closures_awaiting_count": closures.count(),
        "unallocated": list(unallocated[:LIST_LENGTH]),
        "unallocated_count": unallocated.count(),
        "caseload": caseload,
        "team_overdue_actions_count": overdue_actions.count(),
        "first_contact_overdue": sum(overdue_by_kind.values()),
        "first_contact_compliance": first_contact_compliance(user, today),
        "case_review_overdue": review_overdue.get(policy.InboxKind.CASE_REVIEW, 0),
        "case_reviews_awaiting": policy.inbox_count(user, policy.InboxKind.CASE_REVIEW),
    }


def first_contact_compliance(user: Any, today: datetime.date) -> dict[str, Any]:
    """Hub referrals to the team received in the last ``COMPLIANCE_DAYS`` whose deadline has passed:
    how many were first contacted on or before it (percent None when none was due)."""
    since = today - datetime.timedelta(days=COMPLIANCE_DAYS)
    due = policy.visible_hub_referrals(user).filter(
        referral__to_team_id=user.team_id, received_on__gte=since, first_contact_due_on__lt=today
    )
    figures = due.aggregate(
        due=models.Count("pk"),
        on_time=models.Count("pk", filter=models.Q(first_contact_on__lte=models.F("first_contact_due_on"))),
    )
    figures["percent"] = round(100 * figures["on_time"] / figures["due"]) if figures["due"] else None
    return figures


def coordinator(user: Any, today: datetime.date) -> dict[str, Any]:
    from saferhub.panels.actions import overdue_panel_actions
    from saferhub.panels.models import Meeting, MeetingStatus

    meetings = (
        Meeting.objects.filter(partnership_id=user.partnership_id, date__gte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("panel_type")
        .annotate(listed=policy.visible_listed_count(user))
        .order_by("date", "pk")
    )
    return {
        "next_meetings": list(meetings[:5]),
        "panel_referrals_count": policy.inbox_count(user, policy.InboxKind.PANEL),
        "overdue_panel_actions_count": overdue_panel_actions(policy.visible_panel_actions(user), today).count(),
    }


def missing_children(user: Any, now: datetime.datetime) -> dict[str, Any]:
    """The missing-children coordinators' overdue deadlines, as on `/missing/` (the episodes the user may see):
    strategy meetings of children still missing and return home interviews not offered in time, the soonest
    few of each with how many there are."""
    from saferhub.core.keyset import union_queryset
    from saferhub.missing.models import Episode

    visible = union_queryset(Episode.objects.with_columns(), policy.visible_episode_parts(user))
    context: dict[str, Any] = {}
    for name, overdue, due in (
        ("missing_strategy_overdue", visible.strategy_overdue(now), "strategy_due_at"),
        ("missing_rhi_overdue", visible.rhi_overdue(now), "rhi_due_at"),
    ):
        soonest = list(overdue.order_by(due, "pk")[:MISSING_LENGTH])
        context[name] = soonest
        # Counted only when the list is full: a short list is all of them.
        context[f"{name}_count"] = overdue.count() if len(soonest) == MISSING_LENGTH else len(soonest)
    return context


def reporting_links(user: Any) -> list[tuple[str, str, str]]:
    """The analysts' and board members' way in: the pages that exist for them, as (label, url, text)."""
    links = []
    if policy.can_view_crime_dashboard(user):
        links.append(("Crime dashboard", reverse("crime:index"), "Recorded crime in the partnership's area."))
    if policy.can_view_reports(user):
        links.append(("Returns and reports", reverse("reporting:index"), "Quarterly returns and the board report."))
    if policy.can_view_governance(user):
        links.append(
            ("Strategies and indicators", reverse("governance:strategies"), "Priorities and their indicators.")
        )
    if policy.can_read_board_packs(user):
        links.append(("Board packs", reverse("boardpack:packs"), "The packs issued to the board."))
    return links


def is_team_manager(user: Any) -> bool:
    return policy.works_cases(user) and user.team_id is not None and user.has_role(Role.TEAM_MANAGER)
