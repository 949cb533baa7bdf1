"""Who may open each boards page: a parametrized table of users × pages, plus query bounds."""

import pytest
from django.urls import reverse

from saferhub.boards.tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


WHO = [
    "admin",
    "secretariat",
    "member",
    "caseworker_member",
    "analyst",
    "board_role",
    "team_manager",
    "caseworker",
    "auditor",
    "other_admin",
    "anonymous",
]
REFUSED = {"caseworker": 403, "auditor": 403, "anonymous": 302}
READ = {
    "admin": 200,
    "secretariat": 200,
    "member": 200,
    "caseworker_member": 200,
    "analyst": 200,
    "board_role": 200,
    "team_manager": 200,
    "other_admin": 404,
    **REFUSED,
}
MANAGE = {**READ, "member": 403, "caseworker_member": 403, "analyst": 403, "board_role": 403, "team_manager": 403}
# The full papers: the board's current members and secretariat, and administrators; 404 to everyone else.
FULL = {**READ, "analyst": 404, "board_role": 404, "team_manager": 404}
# Managing a restricted item: its readers who may not manage get 403, those who read the published papers 404.
MANAGE_RESTRICTED = {**FULL, "member": 403, "caseworker_member": 403}

PAGES = [
    ("boards:board", "board", READ),
    ("boards:board-edit", "board", MANAGE),
    ("boards:member-add", "board", MANAGE),
    ("boards:meeting-add", "board", MANAGE),
    ("boards:forward-add", "board", MANAGE),
    ("boards:meeting", "first", READ),
    ("boards:meeting-edit", "first", MANAGE),
    ("boards:attendance", "first", MANAGE),
    ("boards:item-add", "first", MANAGE),
    ("boards:action-add", "first", MANAGE),
    ("boards:item-edit", "open_item", MANAGE),
    ("boards:item-minutes", "open_item", MANAGE),
    ("boards:paper-add", "open_item", MANAGE),
    ("boards:item-edit", "secret", MANAGE_RESTRICTED),
    ("boards:item-minutes", "secret", MANAGE_RESTRICTED),
    ("boards:paper-add", "secret", MANAGE_RESTRICTED),
    ("boards:action-edit", "carried", MANAGE),
    ("boards:action-edit", "secret_action", MANAGE_RESTRICTED),
]


@pytest.mark.parametrize("who", WHO)
def test_list(client, world, who):
    sign_in(client, world, who)
    expected = {**READ, "other_admin": 200}[who]
    assert client.get(reverse("boards:list")).status_code == expected


@pytest.mark.parametrize("who", WHO)
def test_adding_a_board_is_for_administrators(client, world, who):
    sign_in(client, world, who)
    expected = {**MANAGE, "secretariat": 403, "other_admin": 200}[who]
    assert client.get(reverse("boards:board-add")).status_code == expected


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("name", "obj", "table"), PAGES, ids=[f"{n}-{o}" for n, o, _t in PAGES])
def test_pages(client, world, who, name, obj, table):
    sign_in(client, world, who)
    assert client.get(reverse(name, args=[getattr(world, obj).pk])).status_code == table[who]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("document", ["boards:agenda-document", "boards:minutes-document"])
@pytest.mark.parametrize("variant", ["published", "full"])
def test_documents(client, world, who, document, variant):
    sign_in(client, world, who)
    response = client.get(reverse(document, args=[world.first.pk, variant]))
    assert response.status_code == (READ if variant == "published" else FULL)[who]


def test_an_unknown_document_version_is_404(client, world):
    client.force_login(world.users["admin"])
    assert client.get(reverse("boards:agenda-document", args=[world.first.pk, "draft"])).status_code == 404


@pytest.mark.parametrize("who", ["admin", "secretariat", "analyst"])
def test_meeting_and_board_pages_run_bounded_queries(client, world, who, django_assert_max_num_queries):
    sign_in(client, world, who)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("boards:meeting", args=[world.first.pk])).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("boards:board", args=[world.board.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("boards:list")).status_code == 200
