"""The home page shows each user what needs their attention, and only what they may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.cases.models import CaseStatus
from saferhub.cases.tests.factories import ActionFactory, CaseFactory, CaseShareFactory, RestrictedCaseFactory
from saferhub.cases.tests.referral_world import build_world, client_for, referral_to_vch


@pytest.fixture
def world(db):
    return build_world()


def _home(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response


def test_home_is_at_the_root_and_needs_sign_in(world):
    assert reverse("core:home") == "/"
    response = client_for(world, "anonymous").get("/")
    assert response.status_code == 302


def test_my_cases_and_my_teams_count(world):
    mine = CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=world.owner, title="Testcase mine")
    CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=world.manager, title="Testcase teammate")
    CaseFactory(
        owning_team=world.vch,
        case_type=world.case_type,
        assigned_to=world.owner,
        status=CaseStatus.CLOSED,
        title="Testcase closed",
    )
    CaseFactory(owning_team=world.police_team, case_type=world.case_type, title="Testcase police")
    response = _home(client_for(world, "owner"))
    assert response.context["my_cases"] == [mine]
    assert response.context["team_open_count"] == 2
    page = response.content.decode()
    assert "Testcase mine" in page
    assert "Testcase teammate" not in page and "Testcase closed" not in page and "Testcase police" not in page
    assert page.count("<h1") == 1


def test_my_actions_due_soonest_first_overdue_tagged_and_only_on_visible_cases(world):
    today = timezone.localdate()
    case = CaseFactory(owning_team=world.vch, case_type=world.case_type)
    later = ActionFactory(
        case=case, owner=world.owner, title="Testaction later", due_on=today + datetime.timedelta(days=5)
    )
    overdue = ActionFactory(
        case=case, owner=world.owner, title="Testaction overdue", due_on=today - datetime.timedelta(days=2)
    )
    ActionFactory(case=case, owner=world.owner, title="Testaction done", status="done")
    ActionFactory(case=case, owner=world.manager, title="Testaction not mine")
    # An action on a case shared once, now expired, and one on a case restricted without naming the owner.
    shared_case = CaseFactory(owning_team=world.housing_team, case_type=world.case_type)
    CaseShareFactory(case=shared_case, agency=world.council, expires_on=today - datetime.timedelta(days=1))
    ActionFactory(case=shared_case, owner=world.owner, title="Testaction expired share")
    restricted = RestrictedCaseFactory(owning_team=world.vch, case_type=world.case_type, named=[world.manager])
    ActionFactory(case=restricted, owner=world.owner, title="Testaction restricted")

    response = _home(client_for(world, "owner"))
    assert response.context["my_actions"] == [overdue, later]
    assert response.context["my_actions_count"] == 2
    page = response.content.decode()
    assert "Overdue" in page
    for hidden in ("Testaction done", "Testaction not mine", "Testaction expired share", "Testaction restricted"):
        assert hidden not in page


def test_referrals_awaiting_my_teams_decision(world):
    now = timezone.now()
    oldest = referral_to_vch(world, received_at=now - datetime.timedelta(days=9))
    for days in range(6):
        referral_to_vch(world, received_at=now - datetime.timedelta(days=days))
    referral_to_vch(world, decision="declined", decision_reason="Test")
    response = _home(client_for(world, "owner"))
    assert response.context["referrals_count"] == 7
    assert len(response.context["oldest_referrals"]) == 5
    assert response.context["oldest_referrals"][0] == oldest
    assert "9 days ago" in response.content.decode()
    # Another team's home shows none of them.
    assert _home(client_for(world, "colleague")).context["referrals_count"] == 0


@pytest.mark.parametrize(
    ("role", "link", "absent"),
    [
        (Role.ANALYST, "reporting:index", "cases:list"),
        (Role.BOARD_MEMBER, "reporting:index", "cases:list"),
        (Role.PARTNERSHIP_ADMIN, "accounts:admin-index", "cases:list"),
        (Role.AUDITOR, "audit:events", "cases:list"),
    ],
)
def test_non_casework_roles_get_a_short_page(world, role, link, absent):
    user = UserFactory(team=world.vch, roles=[role])
    CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=user, title="Testcase hidden")
    referral_to_vch(world)
    client = client_for(world, "anonymous")
    client.force_login(user)
    response = _home(client)
    page = response.content.decode()
    assert f'href="{reverse(link)}"' in page
    assert "My cases" not in page and "Testcase hidden" not in page and "Referrals awaiting decision" not in page
    assert "my_cases" not in response.context


def test_home_is_bounded(world, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(15):
        case = CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=world.owner)
        ActionFactory(case=case, owner=world.owner, due_on=today + datetime.timedelta(days=n - 3))
        referral_to_vch(world)
    client = client_for(world, "owner")
    client.get("/")
    # 17: the navigation asks once whether a caseworker holds a seat on a board.
    with django_assert_max_num_queries(17):
        response = client.get("/")
    assert len(response.context["my_cases"]) == 10
    assert len(response.context["my_actions"]) == 10
