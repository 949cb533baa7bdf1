"""The home page shows each user what needs their attention, and only what they may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.cases.models import CaseStatus
from saferhub.cases.tests.factories import (
    ActionFactory,
    CaseFactory,
    CaseShareFactory,
    ClosureRequestFactory,
    RestrictedCaseFactory,
    ReturnedClosureRequestFactory,
)
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
    for days in range(7):
        referral_to_vch(world, received_at=now - datetime.timedelta(days=days))
    referral_to_vch(world, decision="declined", decision_reason="Test")
    response = _home(client_for(world, "owner"))
    queues = {queue["kind"]: queue for queue in response.context["inbox_queues"]}
    assert queues["referral"]["count"] == 7
    page = response.content.decode()
    assert f'href="{queues["referral"]["url"]}"' in page and 'data-count="referral">7<' in page
    # The queue it links to counts the same.
    inbox = client_for(world, "owner").get(queues["referral"]["url"]).context
    assert {q["kind"]: q["count"] for q in inbox["queues"]}["referral"] == 7
    assert len(inbox["page"].items) == 7
    # Another team's home shows none of them.
    colleague = _home(client_for(world, "colleague")).context["inbox_queues"]
    assert {q["kind"]: q["count"] for q in colleague}["referral"] == 0


def test_all_my_actions_paged(world):
    today = timezone.localdate()
    case = CaseFactory(owning_team=world.vch, case_type=world.case_type)
    for n in range(33):
        ActionFactory(case=case, owner=world.owner, due_on=today + datetime.timedelta(days=n - 3))
    client = client_for(world, "owner")
    home = _home(client)
    assert len(home.context["my_actions"]) == 10 and home.context["my_actions_count"] == 33
    assert home.context["my_overdue_count"] == 3
    assert home.context["week_actions_count"] == 7  # today and the six days after
    assert f'href="{reverse("core:my-actions")}"' in home.content.decode()
    first = client.get(reverse("core:my-actions")).context
    second = client.get(reverse("core:my-actions"), {"page": 2}).context
    assert first["count"] == 33 and len(first["page_obj"].object_list) == 25
    assert len(second["page_obj"].object_list) == 8
    shown = [a.pk for a in first["page_obj"].object_list] + [a.pk for a in second["page_obj"].object_list]
    assert len(set(shown)) == 33
    assert all(a.case_url for a in first["page_obj"].object_list)


def test_things_shared_with_me(world):
    shared = CaseFactory(owning_team=world.housing_team, case_type=world.case_type, title="Testcase shared")
    CaseShareFactory(case=shared, agency=world.council)
    expired = CaseFactory(owning_team=world.housing_team, case_type=world.case_type, title="Testcase expired")
    CaseShareFactory(case=expired, agency=world.council, expires_on=timezone.localdate() - datetime.timedelta(days=1))
    response = _home(client_for(world, "owner"))
    assert response.context["shared_cases"] == [shared]
    assert "Testcase expired" not in response.content.decode()


def test_team_manager_sees_the_teams_work(world):
    today = timezone.localdate()
    CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=None, title="Testcase unallocated")
    for _ in range(2):
        CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=world.owner)
    late = CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=world.manager)
    ActionFactory(case=late, owner=world.owner, due_on=today - datetime.timedelta(days=3))
    CaseFactory(owning_team=world.police_team, case_type=world.case_type, assigned_to=None)
    referral_to_vch(world, received_at=timezone.now() - datetime.timedelta(days=10))
    referral_to_vch(world)
    response = _home(_manager_client(world))
    context = response.context
    assert context["is_team_manager"]
    assert context["unallocated_count"] == 1
    assert {row["name"]: row["open_cases"] for row in context["caseload"]} == {"Owen Owner": 2, "Mo Manager": 1}
    assert context["team_overdue_actions_count"] == 1
    assert context["first_contact_overdue"] == 1
    page = response.content.decode()
    assert "Testcase unallocated" in page and "Caseload per worker" in page
    # A caseworker's home has no team section.
    assert not _home(client_for(world, "owner")).context["is_team_manager"]


def test_team_manager_sees_closures_awaiting_approval(world):
    world.case_type.closure_needs_approval = True
    world.case_type.save()
    waiting = [
        CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=world.owner, title=f"Testcase {n}")
        for n in range(2)
    ]
    for case in waiting:
        ClosureRequestFactory(case=case, requested_by=world.owner)
    returned = CaseFactory(
        owning_team=world.vch, case_type=world.case_type, assigned_to=world.owner, title="Testcase returned"
    )
    ReturnedClosureRequestFactory(case=returned, requested_by=world.owner)
    other_team = CaseFactory(
        owning_team=world.cst, case_type=world.case_type, assigned_to=world.colleague, title="Testcase other team"
    )
    ClosureRequestFactory(case=other_team, requested_by=world.colleague)
    restricted = RestrictedCaseFactory(
        owning_team=world.vch, case_type=world.case_type, named=[world.owner], title="Testcase restricted"
    )
    ClosureRequestFactory(case=restricted, requested_by=world.owner)

    response = _home(_manager_client(world))
    assert response.context["closures_awaiting_count"] == 2
    assert [closure.case for closure in response.context["closures_awaiting"]] == waiting
    page = response.content.decode()
    assert 'data-count="closures-awaiting">2<' in page
    for case in waiting:
        assert f'href="{reverse("cases:closure-approve", args=[case.reference])}"' in page
    for hidden in ("Testcase returned", "Testcase other team", "Testcase restricted"):
        assert hidden not in page
    # Only team managers have the list.
    assert "closures_awaiting" not in _home(client_for(world, "owner")).context


def test_team_manager_home_is_bounded(world, django_assert_max_num_queries):
    world.case_type.closure_needs_approval = True
    world.case_type.save()
    today = timezone.localdate()
    for n in range(15):
        case = CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=world.owner)
        ClosureRequestFactory(case=case, requested_by=world.owner)
        ActionFactory(case=case, owner=world.manager, due_on=today + datetime.timedelta(days=n - 3))
        referral_to_vch(world)
    client = _manager_client(world)
    client.get("/")
    # The caseworker's page, then the team's: allocation, caseload, overdue actions, deadlines,
    # compliance and closures awaiting approval (one count and one page of rows).
    with django_assert_max_num_queries(MANAGER_HOME_QUERIES):
        response = client.get("/")
    assert len(response.context["closures_awaiting"]) == 10
    assert response.context["closures_awaiting_count"] == 15


MANAGER_HOME_QUERIES = 33


def _manager_client(world):
    client = client_for(world, "anonymous")
    client.force_login(world.manager)
    return client


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
    # The navigation asks once whether a caseworker holds a seat on a board; the home page reads
    # the inbox's counts (one a kind), deadlines this week and what is shared with the user, and
    # asks once whether the user is one of the missing-children coordinators.
    with django_assert_max_num_queries(22):
        response = client.get("/")
    assert len(response.context["my_cases"]) == 10
    assert len(response.context["my_actions"]) == 10
