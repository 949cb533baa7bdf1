"""Who may open which hub page: owner, same-agency colleague, other agency, shared agency, restricted outsider,
analyst and anonymous, for accepted, pending and restricted hub referrals."""

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.cases.models import Case, RestrictedAccess
from saferhub.victims.tests.world import accepted_referral, build_world, client_for, new_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.accepted = accepted_referral(world)
    world.pending = new_referral(world)
    world.restricted = accepted_referral(world, shared=False)
    Case.objects.filter(pk=world.restricted.referral.case_id).update(restricted=True)
    RestrictedAccess.objects.create(case=world.restricted.referral.case, user=world.owner)
    return world


def status(world, who, url, method="get"):
    response = getattr(client_for(world, who), method)(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response.url
        return "sign-in"
    return response.status_code


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 200), ("colleague", 404), ("other_agency", 404), ("shared", 200),
        ("restricted_outsider", 200), ("analyst", 404), ("anonymous", "sign-in"),
    ],
)  # fmt: skip
def test_accepted_referral_page(world, who, expected):
    assert status(world, who, f"/victims/referrals/{world.accepted.pk}/") == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 200), ("colleague", 404), ("other_agency", 404), ("shared", 403),
        ("restricted_outsider", 200), ("analyst", 404), ("anonymous", "sign-in"),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "page",
    [
        "contact",
        "scores",
        "care-plan",
        "support",
        "safety-items",
        "onward",
        "rj-referral",
        "rights",
        "rj-informed",
        "close",
        "details",
    ],
)
def test_changing_an_accepted_referral_needs_the_owning_team(world, who, expected, page):
    assert status(world, who, f"/victims/referrals/{world.accepted.pk}/{page}/") == expected


@pytest.mark.parametrize(
    ("who", "detail", "accept"),
    [
        ("owner", 200, 200), ("colleague", 404, 404), ("other_agency", 404, 404),
        # Housing sent the referral: it may read it, not decide it.
        ("shared", 200, 403),
        ("restricted_outsider", 200, 200), ("analyst", 404, 404), ("anonymous", "sign-in", "sign-in"),
    ],
)  # fmt: skip
def test_pending_referral(world, who, detail, accept):
    assert status(world, who, f"/victims/referrals/{world.pending.pk}/") == detail
    assert status(world, who, f"/victims/referrals/{world.pending.pk}/accept/") == accept


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 200), ("colleague", 404), ("other_agency", 404), ("shared", 404),
        ("restricted_outsider", 404), ("analyst", 404), ("anonymous", "sign-in"),
    ],
)  # fmt: skip
def test_restricted_case_only_for_named_users(world, who, expected):
    assert status(world, who, f"/victims/referrals/{world.restricted.pk}/") == expected


@pytest.mark.parametrize(
    ("who", "index", "triage", "cases", "new"),
    [
        ("owner", 200, 200, 200, 200), ("colleague", 200, 403, 403, 200), ("other_agency", 200, 403, 403, 200),
        ("shared", 200, 403, 403, 200), ("restricted_outsider", 200, 200, 200, 200), ("analyst", 200, 403, 403, 403),
        ("anonymous", "sign-in", "sign-in", "sign-in", "sign-in"),
    ],
)  # fmt: skip
def test_hub_lists_are_for_the_hub_team(world, who, index, triage, cases, new):
    assert status(world, who, "/victims/") == index
    assert status(world, who, "/victims/triage/") == triage
    assert status(world, who, "/victims/cases/") == cases
    assert status(world, who, "/victims/referrals/new/") == new


def test_restricted_cases_stay_out_of_an_unnamed_hub_workers_lists(world):
    for path in ("/victims/triage/", "/victims/cases/"):
        seen = [hub.pk for hub in client_for(world, "restricted_outsider").get(path).context["page_obj"]]
        assert world.restricted.pk not in seen
        assert world.restricted.pk in [hub.pk for hub in client_for(world, "owner").get(path).context["page_obj"]]


@pytest.mark.parametrize(
    ("who", "targets", "settings_page"),
    [("analyst", 200, 403), ("admin", 200, 200), ("owner", 403, 403), ("anonymous", "sign-in", "sign-in")],
)
def test_targets_and_settings_pages(world, who, targets, settings_page):
    assert status(world, who, "/victims/targets/") == targets
    assert status(world, who, "/victims/settings/") == settings_page


def test_a_board_member_sees_the_index_but_no_case(world):
    board = UserFactory(team=None, agency=world.council, partnership=world.partnership, roles=[Role.BOARD_MEMBER])
    world.users["board"] = board
    assert status(world, "board", "/victims/") == 200
    assert status(world, "board", f"/victims/referrals/{world.accepted.pk}/") == 404
