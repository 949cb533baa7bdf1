"""Demo data for boards and meetings: the demo partnership's board with two delivery groups, two past
meetings with attendance, minutes, decisions and an action carried from the first to the next, and one
planned meeting with its agenda. Everything is invented. Idempotent: nothing happens when the partnership
already has a board. Made through `saferhub.boards.actions`, as the pages would.
"""

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import Agency, Role, User
from saferhub.boards import actions
from saferhub.boards.models import ActionStatus, AttendanceStatus, Board, MeetingStatus, MemberRole

BOARD_NAME = "Safer Communities Partnership Board (demo)"
SUBGROUPS = ["VAWG Delivery Group (demo)", "Reducing Offending Delivery Group (demo)"]
# (name, agency name or None, outside organisation, role, linked user's e-mail local part)
MEMBERS = [
    ("Gabriel Ashcombe", "Demo Borough Council", "", MemberRole.CHAIR, "board"),
    ("Ch Supt Ivo Brackenridge", "Demo Borough Police", "", MemberRole.VICE_CHAIR, None),
    ("Delia Fernshaw", "Demo Probation Service", "", MemberRole.MEMBER, None),
    ("Marcus Tillingham", "Demo Health and Care Trust", "", MemberRole.MEMBER, None),
    ("Ruth Ambleside", "Victim Help Demo", "", MemberRole.MEMBER, None),
    ("Dr Nell Corrigan", None, "Demo University", MemberRole.ADVISER, None),
    ("Hannah Stonebridge", "Demo Borough Council", "", MemberRole.SECRETARIAT, "admin"),
]


def _user(partnership: Any, local: str | None) -> User | None:
    if local is None:
        return None
    return User.objects.filter(partnership=partnership, email__startswith=f"{local}@").first()


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def build_demo(partnership: Any, rng: random.Random) -> bool:
    if Board.objects.of(partnership).exists():
        return False
    secretary = User.objects.filter(partnership=partnership, role_assignments__role=Role.PARTNERSHIP_ADMIN).first()
    if secretary is None:
        return False
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership=partnership)}
    today = timezone.localdate()
    board = actions.add_board(
        secretary, name=BOARD_NAME, parent=None, purpose="The statutory community safety partnership (demo)."
    )
    for name in SUBGROUPS:
        actions.add_board(secretary, name=name, parent=board, purpose="A delivery group of the board (demo).")
    members = [
        actions.add_member(
            secretary,
            board,
            name=name,
            agency=agencies.get(agency or ""),
            organisation=organisation,
            role=role,
            user=_user(partnership, local),
            started_on=today - datetime.timedelta(days=400),
            ended_on=None,
        )
        for name, agency, organisation, role, local in MEMBERS
    ]
    first, second = _past_meeting(secretary, board, members, today - datetime.timedelta(days=180), 1)
    _past_meeting(secretary, board, members, today - datetime.timedelta(days=90), 2)
    # The first meeting's first action was done at the second; its second is still open (carried).
    actions.complete_action(secretary, first, on=today - datetime.timedelta(days=90), expected_version=first.version)
    actions.change(
        secretary,
        second,
        expected_version=second.version,
        status=ActionStatus.IN_PROGRESS,
        update="Draft circulated (demo).",
    )
    planned = actions.add_meeting(
        secretary,
        board,
        starts_at=_at(today + datetime.timedelta(days=45), 10),
        place="Town Hall, Committee Room 1",
        status=MeetingStatus.PLANNED,
        finished_at=None,
    )
    for number, (title, owner) in enumerate(
        [
            ("Welcome, introductions and apologies", "Chair"),
            ("Minutes of the previous meeting", "Secretariat"),
            ("Matters arising", "Secretariat"),
            ("Quarterly performance report", "Community safety analyst"),
            ("Future work programme", "Secretariat"),
        ],
        start=1,
    ):
        actions.add_agenda_item(secretary, planned, number=number, title=title, owner=owner, minutes_allotted=10)
    actions.add_forward_item(
        secretary, board, title="Annual strategic assessment", owner="Community safety analyst", meeting=planned
    )
    actions.add_forward_item(
        secretary, board, title="Drug and alcohol needs assessment", owner="Public health", meeting=None
    )
    return True


def _past_meeting(
    secretary: User, board: Board, members: list[Any], day: datetime.date, number: int
) -> tuple[Any, Any]:
    meeting = actions.add_meeting(
        secretary,
        board,
        starts_at=_at(day, 10),
        place="Town Hall, Committee Room 1",
        status=MeetingStatus.HELD,
        finished_at=datetime.time(12, 0),
    )
    statuses = [AttendanceStatus.PRESENT] * len(members)
    statuses[2 + number] = AttendanceStatus.APOLOGIES
    actions.record_attendance(
        secretary,
        meeting,
        {m: (s, "") for m, s in zip(members, statuses, strict=True)},
        expected_version=meeting.version,
    )
    items = [
        (
            "Welcome, introductions and apologies",
            "Chair",
            False,
            "",
            "The chair welcomed members.",
            ["that the minutes of the previous meeting be approved as a correct record"],
        ),
        (
            "Violence against women and girls strategy",
            "VAWG lead",
            False,
            "",
            "The lead presented the strategy's progress (demo).",
            ["that the board endorse the strategy's objectives"],
        ),
        (
            "Serious incident review",
            "Police",
            True,
            "Information about identifiable people (demo)",
            "Members discussed the review (demo).",
            ["that the review's recommendations be accepted"],
        ),
    ]
    made = []
    for index, (title, owner, restricted, reason, minutes, decisions) in enumerate(items, start=1):
        if restricted and number == 1:
            continue
        item = actions.add_agenda_item(
            secretary,
            meeting,
            number=index,
            title=title,
            owner=owner,
            minutes_allotted=20,
            restricted=restricted,
            restriction_reason=reason,
        )
        actions.record_minutes(secretary, item, minutes=minutes, decisions=decisions, expected_version=item.version)
        made.append(item)
    due = day + datetime.timedelta(days=60)
    one = actions.add_action(
        secretary,
        meeting,
        item=made[1],
        text="Circulate the strategy's delivery plan to members",
        owner="VAWG lead",
        due_on=due,
    )
    two = actions.add_action(
        secretary,
        meeting,
        item=made[1],
        text="Report the refuge bed count to the next meeting",
        owner="Housing lead",
        due_on=due,
    )
    return one, two
