"""A partnership with a board, a subgroup, two held meetings (one restricted item, one action carried) and
users of every kind: administrator, secretariat, linked member, analyst, board-role user who is not a
member, team manager, caseworker, auditor and another partnership's analyst."""

import datetime
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.boards.models import Decision, MemberRole
from saferhub.boards.tests.factories import (
    AgendaItemFactory,
    BoardActionFactory,
    BoardFactory,
    BoardMemberFactory,
    MeetingFactory,
)

RESTRICTED_TITLE = "Invented restricted case review"
RESTRICTED_DECISION = "that the invented review's findings be kept confidential"


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def build_world() -> SimpleNamespace:
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Northbrook Council")
    police = AgencyFactory(partnership=partnership, name="Northbrook Police")
    team = TeamFactory(agency=council)
    police_team = TeamFactory(agency=police)
    other = PartnershipFactory(name="Southmere Safer Communities Partnership")
    users = {
        "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
        "secretariat": UserFactory(team=team, roles=[Role.ANALYST]),
        "member": UserFactory(team=police_team, roles=[Role.BOARD_MEMBER]),
        "caseworker_member": UserFactory(team=police_team, roles=[Role.CASEWORKER]),
        "analyst": UserFactory(team=team, roles=[Role.ANALYST]),
        "board_role": UserFactory(team=police_team, roles=[Role.BOARD_MEMBER]),
        "team_manager": UserFactory(team=team, roles=[Role.TEAM_MANAGER]),
        "caseworker": UserFactory(team=team, roles=[Role.CASEWORKER]),
        "auditor": UserFactory(team=team, roles=[Role.AUDITOR]),
        "other_admin": UserFactory(
            team=TeamFactory(agency=AgencyFactory(partnership=other)), roles=[Role.PARTNERSHIP_ADMIN]
        ),
        "anonymous": None,
    }
    board = BoardFactory(partnership=partnership, name="Northbrook Partnership Board")
    subgroup = BoardFactory(partnership=partnership, name="Invented VAWG Delivery Group", parent=board)
    seats = {
        "secretariat": BoardMemberFactory(
            board=board, role=MemberRole.SECRETARIAT, user=users["secretariat"], agency=council, organisation=""
        ),
        "member": BoardMemberFactory(
            board=board, role=MemberRole.CHAIR, user=users["member"], agency=police, organisation=""
        ),
        "caseworker_member": BoardMemberFactory(board=board, user=users["caseworker_member"]),
        "former": BoardMemberFactory(board=board, user=users["board_role"], ended_on=datetime.date(2021, 1, 1)),
    }
    today = timezone.localdate()
    first = MeetingFactory(board=board, starts_at=at(today - datetime.timedelta(days=120)))
    second = MeetingFactory(board=board, starts_at=at(today - datetime.timedelta(days=30)))
    planned = MeetingFactory(board=board, starts_at=at(today + datetime.timedelta(days=60)), status="planned")
    open_item: Any = AgendaItemFactory(meeting=first, number=1, title="Invented performance report", minutes="Noted.")
    Decision.objects.create(item=open_item, position=1, text="that the invented report be noted")
    secret: Any = AgendaItemFactory(
        meeting=first,
        number=2,
        title=RESTRICTED_TITLE,
        restricted=True,
        restriction_reason="Invented exemption",
        minutes="Secret minute.",
    )
    Decision.objects.create(item=secret, position=1, text=RESTRICTED_DECISION)
    carried = BoardActionFactory(meeting=first, item=open_item, text="Invented carried action")
    secret_action = BoardActionFactory(meeting=first, item=secret, text="Invented restricted action")
    done = BoardActionFactory(
        meeting=first,
        item=open_item,
        text="Invented action done long ago",
        status="done",
        completed_on=today - datetime.timedelta(days=100),
    )
    AgendaItemFactory(meeting=second, number=1, title="Invented matters arising")
    return SimpleNamespace(
        partnership=partnership,
        council=council,
        board=board,
        subgroup=subgroup,
        seats=seats,
        first=first,
        second=second,
        planned=planned,
        open_item=open_item,
        secret=secret,
        carried=carried,
        secret_action=secret_action,
        done=done,
        users=users,
    )
