"""The forward work programme: an item added on its page is on the board's page and in the agenda of every
earlier meeting of the board ("Future work programme"), and not in the agenda of the meeting it is planned for."""

import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.boards.models import ForwardItem
from saferhub.boards.tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def _agenda_text(client, meeting) -> str:
    response = client.get(reverse("boards:agenda-document", args=[meeting.pk, "published"]))
    assert response.status_code == 200
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(response.content)).paragraphs)


def _day(meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{local.day} {local:%B %Y}"


def test_an_item_added_on_its_page_is_on_the_board_page_and_in_the_agenda(client, world):
    client.force_login(world.users["secretariat"])
    url = reverse("boards:forward-add", args=[world.board.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert [m.pk for m in form.context["form"].fields["meeting"].queryset] == [world.planned.pk]
    planned = {"title": "Invented serious violence duty update", "owner": "Head of Community Safety"}
    assert client.post(url, {**planned, "meeting": world.planned.pk}).status_code == 302
    unplaced = {"title": "Invented hate crime review", "owner": "", "meeting": ""}
    assert client.post(url, unplaced).status_code == 302

    item = ForwardItem.objects.get(title=planned["title"])
    assert (item.board, item.meeting, item.partnership) == (world.board, world.planned, world.partnership)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="boards.forwarditem", object_id=str(item.pk)
    ).exists()

    board_page = client.get(reverse("boards:board", args=[world.board.pk])).content.decode()
    assert "Invented serious violence duty update" in board_page and "Head of Community Safety" in board_page
    assert _day(world.planned) in board_page
    assert "Invented hate crime review" in board_page and "Not yet set" in board_page
    assert "Nothing planned yet" not in board_page
    # Another board's page does not list it.
    assert "Invented hate crime review" not in client.get(reverse("boards:board", args=[world.subgroup.pk])).content.decode()  # fmt: skip

    # The agenda of the meeting before the one it is planned for lists both under the future work programme.
    agenda = _agenda_text(client, world.second)
    assert "Future work programme" in agenda
    assert f"Invented serious violence duty update (Head of Community Safety): {_day(world.planned)}" in agenda
    assert "Invented hate crime review: to be set" in agenda
    # The meeting it is planned for no longer looks forward to it; the unplaced item is still to come.
    planned_agenda = _agenda_text(client, world.planned)
    assert "Invented serious violence duty update" not in planned_agenda
    assert "Invented hate crime review: to be set" in planned_agenda


def test_only_the_boards_managers_add_to_the_forward_programme(client, world):
    url = reverse("boards:forward-add", args=[world.board.pk])
    for who in ("member", "analyst", "team_manager"):
        client.force_login(world.users[who])
        assert client.post(url, {"title": f"Invented item by {who}", "owner": "", "meeting": ""}).status_code in (
            403,
            404,
        )
    assert not ForwardItem.objects.exists()
    client.force_login(world.users["secretariat"])
    assert "Nothing planned yet" in client.get(reverse("boards:board", args=[world.board.pk])).content.decode()
