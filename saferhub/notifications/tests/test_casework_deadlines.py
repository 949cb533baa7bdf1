"""The daily run tells a team about first contact due today or late (hub and generic referrals, by
the referral's one number), an action's owner about panel actions due or late, and a case's team
about a tool or power ending; each once per deadline, and nobody else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.notifications import deadlines
from saferhub.notifications.models import Kind, Notification, Subject

pytestmark = pytest.mark.django_db

# A Wednesday with no bank holiday near it: two working days after Monday 30 November 2026.
TODAY = datetime.date(2026, 12, 2)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def test_hub_first_contact_due_today_and_overdue_tell_the_hub_team_once():
    from saferhub.victims import actions as hub_actions
    from saferhub.victims.models import HubReferral
    from saferhub.victims.tests.world import build_world, new_referral

    w = build_world()
    due_today = new_referral(w)
    overdue = new_referral(w)
    later = new_referral(w)
    contacted = new_referral(w)
    for hub, due in ((due_today, TODAY), (overdue, TODAY - datetime.timedelta(days=3)), (contacted, TODAY)):
        HubReferral.objects.filter(pk=hub.pk).update(first_contact_due_on=due)
    HubReferral.objects.filter(pk=later.pk).update(first_contact_due_on=TODAY + datetime.timedelta(days=1))
    hub_actions.record_contact_attempt(
        w.owner, contacted, made_on=timezone.localdate(), method="phone", successful=True
    )

    assert deadlines.first_contact_notices(w.partnership, TODAY) == 4  # two referrals, two hub caseworkers
    assert deadlines.first_contact_notices(w.partnership, TODAY) == 0  # never twice

    notices = Notification.objects.filter(kind=Kind.FIRST_CONTACT)
    assert {n.recipient for n in notices} == {w.owner, w.restricted_outsider}
    by_referral = {n.object_id: n for n in notices.filter(recipient=w.owner)}
    assert set(by_referral) == {due_today.pk, overdue.pk}
    today_notice, late_notice = by_referral[due_today.pk], by_referral[overdue.pk]
    assert today_notice.reference == due_today.referral.reference and today_notice.reference.startswith("REF-")
    assert today_notice.title == f"First contact for referral {due_today.referral.reference} is due today"
    assert not today_notice.urgent
    assert late_notice.title == f"First contact for referral {overdue.referral.reference} was due on 29 November 2026"
    assert late_notice.urgent and late_notice.subject == Subject.HUB_REFERRAL
    assert late_notice.url == reverse("victims:referral", args=[overdue.pk])
    # A deadline moved is a new deadline: told again.
    HubReferral.objects.filter(pk=overdue.pk).update(first_contact_due_on=TODAY)
    assert deadlines.first_contact_notices(w.partnership, TODAY) == 2


def test_generic_referral_first_contact_due_today_and_overdue_tell_the_receiving_team():
    from saferhub.cases.tests.referral_world import build_world, referral_to_vch

    w = build_world()
    # Two working days to first contact (the default): received Monday, due Wednesday.
    due_today = referral_to_vch(w, received_at=_at(datetime.date(2026, 11, 30)))
    overdue = referral_to_vch(w, received_at=_at(datetime.date(2026, 11, 20)))  # due 24 November
    referral_to_vch(w, received_at=_at(datetime.date(2026, 12, 1)))  # due 3 December
    referral_to_vch(w, received_at=_at(datetime.date(2026, 11, 2)), decision="declined", decision_reason="Test")

    run = deadlines.run(w.partnership, now=_at(TODAY))
    assert run["referral first contact"] == 4  # two referrals, the team's caseworker and manager
    assert deadlines.referral_first_contact_notices(w.partnership, TODAY) == 0

    notices = Notification.objects.filter(kind=Kind.FIRST_CONTACT, subject=Subject.REFERRAL)
    assert {n.recipient for n in notices} == {w.owner, w.manager}  # not the analyst, not other teams
    mine = {n.object_id: n for n in notices.filter(recipient=w.owner)}
    assert set(mine) == {due_today.pk, overdue.pk}
    assert mine[due_today.pk].title == f"First contact for referral {due_today.reference} is due today"
    assert not mine[due_today.pk].urgent
    assert mine[overdue.pk].title == f"First contact for referral {overdue.reference} was due on 24 November 2026"
    assert mine[overdue.pk].urgent and mine[overdue.pk].reference == overdue.reference
    assert mine[overdue.pk].url == reverse("cases:referral-detail", args=[overdue.pk])


def test_panel_actions_due_today_and_overdue_tell_their_owner_with_the_panels_page():
    from saferhub.cases.actions import set_action_status
    from saferhub.cases.models import ActionStatus
    from saferhub.panels import actions as panel_actions
    from saferhub.panels.tests.world import build_world, meeting, person, refer

    w = build_world()
    today = timezone.localdate()
    referral = refer(w, person(w), today - datetime.timedelta(days=10))
    hearing = panel_actions.list_case(
        w.coordinator, meeting(w, today + datetime.timedelta(days=3)), referral.panel_case
    )
    police = w.users["police"]

    def agree(title: str, days: int):
        return panel_actions.agree_action(
            w.coordinator,
            hearing,
            title=title,
            owner=police,
            owner_agency=w.police,
            due_on=today + datetime.timedelta(days=days),
        )

    late = agree("Invented late action", -2)
    due = agree("Invented action due today", 0)
    agree("Invented action next week", 7)
    done = agree("Invented action done", -5)
    set_action_status(w.coordinator, done.action, ActionStatus.DONE)

    assert deadlines.action_notices(w.partnership, today) == 2
    assert deadlines.action_notices(w.partnership, today) == 0

    notices = Notification.objects.filter(recipient=police)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {police.pk}
    overdue = notices.get(kind=Kind.PANEL_ACTION)
    reference = referral.panel_case.case.reference
    assert overdue.object_id == late.action.pk and overdue.urgent
    day = late.action.due_on
    assert overdue.title == f"A panel action on {reference} was due on {day.day} {day:%B %Y}"
    assert overdue.url == reverse("panels:index") and overdue.reference == reference
    today_notice = notices.get(kind=Kind.ACTION_DUE)
    assert today_notice.object_id == due.action.pk and not today_notice.urgent
    assert today_notice.title == f"A panel action on {reference} is due today"
    # No wording of the action (which may name someone) is in a notice.
    assert not notices.filter(title__icontains="Invented").exists()


def test_a_tool_or_power_ending_soon_tells_the_cases_team_once():
    from saferhub.asb import actions
    from saferhub.asb.tests.world import build_world, kind

    w = build_world()
    today = timezone.localdate()
    item = actions.record_intervention(
        w.owner,
        w.case,
        partnership=w.partnership,
        kind=kind(w.partnership, "abc"),
        person=w.subject,
        served_on=today - datetime.timedelta(days=170),
        expires_on=today + datetime.timedelta(days=10),
        review_on=today + datetime.timedelta(days=60),
    )
    assert deadlines.tool_review_notices(w.partnership, today) == 2
    assert deadlines.tool_review_notices(w.partnership, today) == 0
    notices = Notification.objects.filter(kind=Kind.TOOL_REVIEW)
    assert {n.recipient for n in notices} == {w.owner, w.manager}
    end = item.expires_on
    assert {n.title for n in notices} == {f"{item.kind.label} on {w.case.reference}: ends on {end.day} {end:%B %Y}"}
    assert not any(n.urgent for n in notices)
