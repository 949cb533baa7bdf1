"""The team manager's deadline figures and the panel coordinator's section of the home page, with
synthetic data giving known numbers."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _home(user):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response


def test_team_manager_first_contact_compliance_counts_hub_referrals_due_in_the_last_90_days():
    from saferhub.victims.models import HubReferral
    from saferhub.victims.tests.world import build_world, new_referral

    w = build_world()
    manager = UserFactory(team=w.hub, full_name="Mina Manager", roles=[Role.TEAM_MANAGER])
    today = timezone.localdate()

    def hub(received_days_ago: int, due_days_ago: int, contacted_days_ago: int | None):
        row = new_referral(w)
        HubReferral.objects.filter(pk=row.pk).update(
            received_on=today - datetime.timedelta(days=received_days_ago),
            first_contact_due_on=today - datetime.timedelta(days=due_days_ago),
            first_contact_on=None
            if contacted_days_ago is None
            else today - datetime.timedelta(days=contacted_days_ago),
        )
        return row

    hub(20, 18, 19)  # contacted before its deadline: on time
    hub(30, 28, 28)  # contacted on the day of its deadline: on time
    hub(40, 38, 30)  # contacted late
    hub(10, 8, None)  # never contacted, deadline passed
    hub(1, -1, None)  # deadline still to come: not yet counted
    hub(100, 98, 99)  # received before the 90 days

    response = _home(manager)
    assert response.context["first_contact_compliance"] == {"due": 4, "on_time": 2, "percent": 50}
    assert 'data-count="first-contact-on-time">50% (2 of 4)<' in response.content.decode()


def test_team_manager_first_contact_compliance_none_due():
    from saferhub.victims.tests.world import build_world

    w = build_world()
    manager = UserFactory(team=w.hub, full_name="Mina Manager", roles=[Role.TEAM_MANAGER])
    response = _home(manager)
    assert response.context["first_contact_compliance"] == {"due": 0, "on_time": 0, "percent": None}
    assert 'data-count="first-contact-on-time">None due<' in response.content.decode()


def test_team_manager_case_reviews_past_a_deadline():
    from saferhub.asb import actions
    from saferhub.asb.models import CaseReview
    from saferhub.asb.tests.world import build_world

    w = build_world()
    today = timezone.localdate()

    def review(days_ago: int):
        return actions.submit_case_review(
            w.owner,
            partnership=w.partnership,
            applicant_name="Invented Applicant",
            problem="Synthetic: noise at night",
            applied_on=today - datetime.timedelta(days=days_ago),
        )

    review(60)  # the team's, long past its acknowledgement deadline
    review(0)  # the team's, received today: nothing due yet
    other = review(60)
    CaseReview.objects.filter(pk=other.pk).update(owning_team=w.colleague.team)  # another team's

    response = _home(w.manager)
    assert response.context["case_review_overdue"] == 1
    assert response.context["case_reviews_awaiting"] == 2
    assert 'data-count="case-review-overdue">1 of 2<' in response.content.decode()


def test_coordinator_sees_the_next_five_meetings_and_overdue_panel_actions():
    from saferhub.cases.actions import set_action_status
    from saferhub.cases.models import ActionStatus
    from saferhub.panels import actions as panel_actions
    from saferhub.panels.tests.world import build_world, meeting, person, refer

    w = build_world()
    today = timezone.localdate()
    meeting(w, today - datetime.timedelta(days=7))  # held last week: not next
    cancelled = meeting(w, today + datetime.timedelta(days=1))
    panel_actions.cancel_meeting(w.coordinator, cancelled, reason="Synthetic: room unavailable")
    upcoming = [meeting(w, today + datetime.timedelta(days=7 * n)) for n in range(6)]  # today and the next five weeks
    referral = refer(w, person(w), today - datetime.timedelta(days=10))
    hearing = panel_actions.list_case(w.coordinator, upcoming[0], referral.panel_case)
    police = w.users["police"]
    for title, days in (("late one", -3), ("late two", -1), ("due today", 0), ("next week", 7), ("done", -5)):
        row = panel_actions.agree_action(
            w.coordinator,
            hearing,
            title=f"Invented action {title}",
            owner=police,
            owner_agency=w.police,
            due_on=today + datetime.timedelta(days=days),
        )
        if title == "done":
            set_action_status(w.coordinator, row.action, ActionStatus.DONE)

    response = _home(w.coordinator)
    context = response.context
    assert [m.pk for m in context["next_meetings"]] == [m.pk for m in upcoming[:5]]
    assert [m.listed for m in context["next_meetings"]] == [1, 0, 0, 0, 0]
    assert context["overdue_panel_actions_count"] == 2
    page = response.content.decode()
    assert 'data-count="overdue-panel-actions">2<' in page
    assert f'href="{reverse("panels:meeting", args=[upcoming[0].pk])}"' in page
    assert f'href="{reverse("panels:meeting", args=[upcoming[5].pk])}"' not in page
    assert "(1 case listed)" in page
    # The list it links to shows the same two.
    client = Client()
    client.force_login(w.coordinator)
    overdue = client.get(reverse("panels:overdue-actions")).content.decode()
    assert "Invented action late one" in overdue and "Invented action late two" in overdue
    assert "Invented action due today" not in overdue and "Invented action done" not in overdue
