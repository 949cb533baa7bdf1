"""The minutes of the meeting that considered an issued pack record the board's decision (issue 11)."""

import io

import docx
import pytest
from django.urls import reverse

from saferhub.boardpack import actions
from saferhub.boardpack.tests.world import Q1, build_world
from saferhub.boards.models import MemberRole
from saferhub.boards.tests.factories import BoardFactory, BoardMemberFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    pack = actions.start_pack(
        world.analyst, world.partnership, period_label="2024/25 Q1", date_from=Q1[0], date_to=Q1[1]
    )
    actions.choose_sections(world.analyst, pack, keys=["action-plan"], expected_version=pack.version)
    pack.refresh_from_db()
    actions.issue(world.analyst, pack, expected_version=pack.version)
    pack.refresh_from_db()
    world.pack = pack
    world.board = BoardFactory(partnership=world.partnership, name="Invented Safer Board")
    world.meeting = MeetingFactory(board=world.board)
    world.other_board_meeting = MeetingFactory(board=BoardFactory(partnership=world.partnership, name="Other Group"))
    world.secretary = world.users["board_member"]
    BoardMemberFactory(board=world.board, user=world.secretary, role=MemberRole.SECRETARIAT)
    return world


def _minutes(client, meeting) -> str:
    response = client.get(reverse("boards:minutes-document", args=[meeting.pk, "published"]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_secretariat_records_the_decision_in_the_minutes(client, world):
    client.force_login(world.secretary)
    url = reverse("boardpack:pack-considered", args=[world.pack.pk])
    page = client.get(url)
    assert page.status_code == 200
    offered = [str(choice[1]) for choice in page.context["form"].fields["meeting"].choices][1:]
    assert offered == [str(world.meeting)]  # only the board whose secretariat they are
    response = client.post(url, {"meeting": world.meeting.pk, "decision": "The board noted the report."})
    assert response.status_code == 302
    world.pack.refresh_from_db()
    assert world.pack.meeting == world.meeting
    minutes = _minutes(client, world.meeting)
    assert "RESOLVED: The board noted the report." in minutes
    assert "2024/25 Q1" in minutes
    detail = client.get(reverse("boardpack:pack", args=[world.pack.pk])).content.decode()
    assert "Recorded in the minutes of" in detail


def test_the_form_names_what_is_missing(client, world):
    client.force_login(world.users["admin"])
    response = client.post(reverse("boardpack:pack-considered", args=[world.pack.pk]), {"decision": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose the meeting that considered the pack" in text
    assert "Enter what the board resolved" in text
    world.pack.refresh_from_db()
    assert world.pack.meeting is None


@pytest.mark.parametrize(
    ("who", "status"), [("analyst", 403), ("team_manager", 403), ("caseworker", 403), ("other_analyst", 404)]
)
def test_only_those_who_write_a_boards_minutes_may_record_it(client, world, who, status):
    client.force_login(world.users[who])
    url = reverse("boardpack:pack-considered", args=[world.pack.pk])
    assert client.post(url, {"meeting": world.meeting.pk, "decision": "Noted."}).status_code == status
    world.pack.refresh_from_db()
    assert world.pack.meeting is None


def test_a_meeting_of_a_board_they_do_not_run_is_refused(client, world):
    client.force_login(world.secretary)
    url = reverse("boardpack:pack-considered", args=[world.pack.pk])
    response = client.post(url, {"meeting": world.other_board_meeting.pk, "decision": "Noted."})
    assert response.status_code == 200
    assert "Choose one of the meetings listed" in response.content.decode()


def test_a_draft_cannot_have_been_considered(client, world):
    draft = actions.new_version(world.analyst, world.pack)
    client.force_login(world.users["admin"])
    assert client.get(reverse("boardpack:pack-considered", args=[draft.pk])).status_code == 403
