"""The demo partnership's boards: a board with two subgroups, two held meetings with minutes and a carried
action, and a planned meeting; loading twice adds nothing."""

import random

from django.test import override_settings

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.boards.demo import BOARD_NAME, build_demo
from saferhub.boards.models import Board, BoardAction, Decision, MeetingStatus


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_boards(db):
    partnership = PartnershipFactory()
    team = TeamFactory(agency=AgencyFactory(partnership=partnership, name="Demo Borough Council"))
    UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN], email="admin@example.org")
    assert build_demo(partnership, random.Random(1))
    board = Board.objects.get(partnership=partnership, name=BOARD_NAME)
    assert board.subgroups.count() == 2
    meetings = list(board.meetings.order_by("starts_at"))
    assert [m.status for m in meetings] == [MeetingStatus.HELD, MeetingStatus.HELD, MeetingStatus.PLANNED]
    assert Decision.objects.filter(item__meeting=meetings[0]).exists()
    assert meetings[1].items.filter(restricted=True).exists()
    carried = BoardAction.objects.carried_to(meetings[2])
    assert carried.filter(meeting=meetings[0], status="in_progress").exists()
    assert not build_demo(partnership, random.Random(1))
