"""The access policy as a matrix of viewers × kinds of case."""

import datetime

import pytest
from django.utils import timezone

from saferhub import policy
from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from saferhub.cases.models import BreakGlassGrant
from saferhub.cases.tests.factories import (
    CaseFactory,
    CaseShareFactory,
    ParticipantFactory,
    RestrictedCaseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One partnership: an owning team, a colleague team in the same agency, another agency, a shared-with agency."""
    owner_team = TeamFactory()
    partnership = owner_team.partnership
    colleague_team = TeamFactory(agency=owner_team.agency)
    other_agency_team = TeamFactory(agency=AgencyFactory(partnership=partnership))
    shared_agency_team = TeamFactory(agency=AgencyFactory(partnership=partnership))
    users = {
        "owner": UserFactory(team=owner_team),
        "manager": UserFactory(team=owner_team, roles=[Role.TEAM_MANAGER]),
        "colleague": UserFactory(team=colleague_team),
        "other_agency": UserFactory(team=other_agency_team),
        "shared_agency": UserFactory(team=shared_agency_team),
        "analyst_in_team": UserFactory(team=owner_team, roles=[Role.ANALYST]),
        "admin_in_team": UserFactory(team=owner_team, roles=[Role.PARTNERSHIP_ADMIN]),
        "auditor_in_team": UserFactory(team=owner_team, roles=[Role.AUDITOR]),
        "other_partnership": UserFactory(),
        "inactive_owner": UserFactory(team=owner_team, is_active=False),
    }
    case = CaseFactory(owning_team=owner_team)
    CaseShareFactory(case=case, agency=shared_agency_team.agency)
    return {"case": case, "users": users, "owner_team": owner_team}


EXPECTED = [
    ("owner", policy.Access.EDIT),
    ("manager", policy.Access.EDIT),
    ("colleague", None),
    ("other_agency", None),
    ("shared_agency", policy.Access.CONTRIBUTE),
    ("analyst_in_team", None),
    ("admin_in_team", None),
    ("auditor_in_team", None),
    ("other_partnership", None),
    ("inactive_owner", None),
]


@pytest.mark.parametrize(("who", "expected"), EXPECTED)
def test_case_access_matrix(world, who, expected):
    user = world["users"][who]
    case = world["case"]
    assert policy.case_access(user, case) == expected
    # The list filter must agree with the single-case decision.
    assert policy.visible_cases(user).filter(pk=case.pk).exists() == (expected is not None)


def test_expired_and_revoked_shares_give_nothing(world):
    case, user = world["case"], world["users"]["other_agency"]
    share = CaseShareFactory(
        case=case, agency=user.agency, expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert policy.case_access(user, case) is None
    share.expires_on = None
    share.revoked_at = timezone.now()
    share.save()
    assert policy.case_access(user, case) is None
    assert not policy.visible_cases(user).filter(pk=case.pk).exists()


def test_share_with_a_team_covers_only_that_team(world):
    case = world["case"]
    other = world["users"]["other_agency"]
    teammate_elsewhere = UserFactory(team=TeamFactory(agency=other.agency))
    CaseShareFactory(case=case, team=other.team)
    assert policy.case_access(other, case) == policy.Access.CONTRIBUTE
    assert policy.case_access(teammate_elsewhere, case) is None


@pytest.mark.parametrize(
    ("who", "named", "expected"),
    [
        ("owner", False, None),
        ("owner", True, policy.Access.EDIT),
        ("shared_agency", False, None),
        ("shared_agency", True, policy.Access.CONTRIBUTE),
        ("other_agency", True, policy.Access.CONTRIBUTE),
        ("colleague", False, None),
    ],
)
def test_restricted_cases_only_for_named_users(world, who, named, expected):
    user = world["users"][who]
    case = RestrictedCaseFactory(owning_team=world["owner_team"], named=[user] if named else [])
    CaseShareFactory(case=case, agency=world["users"]["shared_agency"].agency)
    assert policy.case_access(user, case) == expected
    assert policy.visible_cases(user).filter(pk=case.pk).exists() == (expected is not None)


def test_archived_cases_are_not_visible(world):
    case, owner = world["case"], world["users"]["owner"]
    case.archive(owner, "Created in error")
    assert policy.case_access(owner, case) is None
    assert not policy.visible_cases(owner).exists()


def test_break_glass_gives_view_for_a_limited_time_and_is_flagged(world, rf):
    case, user = world["case"], world["users"]["other_agency"]
    assert policy.can_break_glass(user, case)
    with pytest.raises(ValueError, match="at least 10 characters"):
        policy.grant_break_glass(user, case, "urgent")
    grant = policy.grant_break_glass(user, case, "Child at immediate risk, duty manager agreed")
    assert policy.case_access(user, case) == policy.Access.VIEW
    event = user.audit_events.get(action="break_glass")
    assert event.flagged and event.case_id == case.pk and "immediate risk" in event.reason
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert policy.case_access(user, case) is None


@pytest.mark.parametrize("who", ["owner", "analyst_in_team", "other_partnership"])
def test_break_glass_refused(world, who):
    assert not policy.can_break_glass(world["users"][who], world["case"])


def test_break_glass_never_opens_a_restricted_case(world):
    case = RestrictedCaseFactory(owning_team=world["owner_team"])
    assert not policy.can_break_glass(world["users"]["other_agency"], case)


def test_people_are_visible_only_through_visible_cases(world):
    case = world["case"]
    person = ParticipantFactory(case=case).person
    hidden_case = CaseFactory(owning_team=world["users"]["other_agency"].team)
    hidden = ParticipantFactory(case=hidden_case).person
    shared_viewer = world["users"]["shared_agency"]
    assert set(policy.visible_people(world["users"]["owner"])) == {person}
    assert set(policy.visible_people(shared_viewer)) == {person}
    assert set(policy.visible_people(world["users"]["colleague"])) == set()
    assert hidden not in policy.visible_people(world["users"]["owner"])
    # Confidential contact details stay with the owning team, even when the case is shared.
    assert policy.can_see_confidential_contacts(world["users"]["owner"], person)
    assert not policy.can_see_confidential_contacts(shared_viewer, person)


@pytest.mark.parametrize(
    ("roles", "reports", "administer", "audit", "cases"),
    [
        ([Role.CASEWORKER], False, False, False, True),
        ([Role.TEAM_MANAGER], True, False, False, True),
        ([Role.PANEL_COORDINATOR], False, False, False, True),
        ([Role.ANALYST], True, False, False, False),
        ([Role.BOARD_MEMBER], True, False, False, False),
        ([Role.PARTNERSHIP_ADMIN], True, True, False, False),
        ([Role.AUDITOR], False, False, True, False),
        ([], False, False, False, False),
    ],
)
def test_role_capabilities(roles, reports, administer, audit, cases):
    user = UserFactory(roles=roles)
    assert policy.can_view_reports(user) is reports
    assert policy.can_administer(user) is administer
    assert policy.can_view_audit(user) is audit
    assert policy.works_cases(user) is cases
