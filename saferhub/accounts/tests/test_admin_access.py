"""Who may open the administration pages: partnership administrators, for their own partnership only."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditEvent
from saferhub.core.models import ReferenceCode, ReferenceList

CODE_LIST = ReferenceList.VICTIM_SUPPORT_TYPE.value


@pytest.fixture
def world(db):
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    agency = AgencyFactory(partnership=partnership, name="Northbrook Council")
    team = TeamFactory(agency=agency, name="Community Safety Team")
    other = PartnershipFactory(name="Southmere Safer Communities Partnership")
    return SimpleNamespace(
        partnership=partnership,
        agency=agency,
        team=team,
        target=UserFactory(team=team, roles=[Role.CASEWORKER], full_name="Ada Placeholder"),
        code=ReferenceCode.objects.create(
            partnership=partnership, code_list=CODE_LIST, code="emotional_support", label="Emotional support"
        ),
        users={
            # UserFactory with explicit roles: the role factories' class-level `roles` shadows the post-generation hook.
            "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
            "auditor": UserFactory(team=team, roles=[Role.AUDITOR]),
            "caseworker": UserFactory(team=team, roles=[Role.CASEWORKER]),
            "analyst": UserFactory(team=team, roles=[Role.ANALYST]),
            "other_admin": UserFactory(
                team=TeamFactory(agency=AgencyFactory(partnership=other)), roles=[Role.PARTNERSHIP_ADMIN]
            ),
            "anonymous": None,
        },
    )


def _sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


# Pages that show only the signed-in admin's own partnership: another partnership's admin sees their own.
LIST_PAGES = [
    ("accounts:admin-index", lambda w: []),
    ("accounts:admin-users", lambda w: []),
    ("accounts:admin-user-create", lambda w: []),
    ("accounts:admin-teams", lambda w: []),
    ("accounts:admin-team-create", lambda w: []),
    ("accounts:admin-agencies", lambda w: []),
    ("accounts:admin-agency-create", lambda w: []),
    ("accounts:admin-reference", lambda w: []),
    ("accounts:admin-reference-list", lambda w: [CODE_LIST]),
    ("accounts:admin-reference-create", lambda w: [CODE_LIST]),
]

# Pages about one record of the partnership: another partnership's admin gets 404.
OBJECT_PAGES = [
    ("accounts:admin-user-edit", lambda w: [w.target.pk]),
    ("accounts:admin-user-deactivate", lambda w: [w.target.pk]),
    ("accounts:admin-user-reactivate", lambda w: [w.target.pk]),
    ("accounts:admin-user-reset-two-factor", lambda w: [w.target.pk]),
    ("accounts:admin-team-edit", lambda w: [w.team.pk]),
    ("accounts:admin-team-archive", lambda w: [w.team.pk]),
    ("accounts:admin-agency-edit", lambda w: [w.agency.pk]),
    ("accounts:admin-reference-edit", lambda w: [CODE_LIST, w.code.pk]),
    ("accounts:admin-reference-disable", lambda w: [CODE_LIST, w.code.pk]),
    ("accounts:admin-reference-enable", lambda w: [CODE_LIST, w.code.pk]),
]

EXPECTED_LIST = {"admin": 200, "auditor": 403, "caseworker": 403, "analyst": 403, "other_admin": 200, "anonymous": 302}
EXPECTED_OBJECT = {**EXPECTED_LIST, "other_admin": 404}


@pytest.mark.parametrize("who", EXPECTED_LIST)
@pytest.mark.parametrize(("name", "args"), LIST_PAGES, ids=[name for name, _ in LIST_PAGES])
def test_list_pages_by_role(client, world, who, name, args):
    _sign_in(client, world, who)
    response = client.get(reverse(name, args=args(world)))
    assert response.status_code == EXPECTED_LIST[who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("who", EXPECTED_OBJECT)
@pytest.mark.parametrize(("name", "args"), OBJECT_PAGES, ids=[name for name, _ in OBJECT_PAGES])
def test_object_pages_by_role(client, world, who, name, args):
    _sign_in(client, world, who)
    response = client.get(reverse(name, args=args(world)))
    assert response.status_code == EXPECTED_OBJECT[who]


@pytest.mark.parametrize(("name", "args"), OBJECT_PAGES, ids=[name for name, _ in OBJECT_PAGES])
@pytest.mark.parametrize(("who", "status"), [("caseworker", 403), ("auditor", 403), ("other_admin", 404)])
def test_posts_by_outsiders_change_nothing(client, world, who, status, name, args):
    _sign_in(client, world, who)
    before = AuditEvent.objects.count()
    response = client.post(reverse(name, args=args(world)), {"full_name": "Changed", "label": "Changed"})
    assert response.status_code == status
    assert AuditEvent.objects.count() == before
    world.target.refresh_from_db()
    world.team.refresh_from_db()
    world.code.refresh_from_db()
    assert world.target.is_active and world.target.full_name == "Ada Placeholder"
    assert world.team.archived_at is None
    assert world.code.active and world.code.label == "Emotional support"


def test_another_partnership_admin_sees_none_of_this_partnership(client, world):
    client.force_login(world.users["other_admin"])
    for name in ["accounts:admin-users", "accounts:admin-teams", "accounts:admin-agencies"]:
        page = client.get(reverse(name)).content.decode()
        assert "Ada Placeholder" not in page
        assert "Community Safety Team" not in page
        assert "Northbrook Council" not in page
    page = client.get(reverse("accounts:admin-reference-list", args=[CODE_LIST])).content.decode()
    assert "Emotional support" not in page


def test_unknown_code_list_is_404(client, world):
    client.force_login(world.users["admin"])
    assert client.get(reverse("accounts:admin-reference-list", args=["no_such_list"])).status_code == 404


def test_code_reached_through_the_wrong_list_is_404(client, world):
    client.force_login(world.users["admin"])
    url = reverse("accounts:admin-reference-edit", args=[ReferenceList.ETHNICITY.value, world.code.pk])
    assert client.get(url).status_code == 404


def test_deactivated_admin_is_refused(client, world):
    admin = world.users["admin"]
    admin.is_active = False
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("accounts:admin-index")).status_code in {302, 403}


def test_index_has_one_heading_and_links_to_each_section(client, world):
    client.force_login(world.users["admin"])
    page = client.get(reverse("accounts:admin-index")).content.decode()
    assert page.count("<h1") == 1
    for name in ["accounts:admin-users", "accounts:admin-teams", "accounts:admin-agencies", "accounts:admin-reference"]:
        assert reverse(name) in page
    assert reverse("audit:break-glass") in page
