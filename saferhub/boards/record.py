"""A meeting as one reader may see it: the full record, or the published one without restricted items.

The meeting page and the agenda and minutes documents are all drawn from `meeting_record`, so what the
page shows a reader and what the documents hold never differ. A bounded number of queries.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from saferhub.boards.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BoardAction,
    BoardMember,
    Decision,
    ForwardItem,
    Meeting,
    MeetingStatus,
    MemberRole,
)
from saferhub.policy import BOARD_FULL as FULL

ROLE_ORDER = {role: index for index, role in enumerate(MemberRole.values)}


@dataclass
class ItemView:
    number: int
    restricted: bool
    # None for a restricted item in the published record: only "Item N: restricted" is shown.
    item: AgendaItem | None
    decisions: list[Decision] = field(default_factory=list)
    actions: list[BoardAction] = field(default_factory=list)


@dataclass
class MeetingRecord:
    meeting: Meeting
    variant: str  # FULL or PUBLISHED
    items: list[ItemView]
    members: list[BoardMember]
    present: list[Attendance]
    apologies: list[Attendance]
    absent: list[Attendance]
    attendance: dict[int, Attendance]
    matters_arising: list[BoardAction]
    actions: list[BoardAction]
    forward: list[ForwardItem]
    previous: Meeting | None

    @property
    def full(self) -> bool:
        return self.variant == FULL

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.meeting.starts_at).date()


def _shown(action: BoardAction, full: bool) -> bool:
    return full or not action.restricted


def members_on(board_id: int, day: datetime.date) -> list[BoardMember]:
    """The board's seats on the day, chair first, then vice-chair, members, advisers and the secretariat."""
    members = list(BoardMember.objects.filter(board_id=board_id).current(day).select_related("agency"))
    return sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.name.lower()))


def meeting_record(meeting: Meeting, variant: str) -> MeetingRecord:
    full = variant == FULL
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("position")),
            "papers",
        )
        .order_by("number")
    )
    actions_qs = BoardAction.objects.select_related("item", "meeting")
    raised = list(actions_qs.filter(meeting=meeting).order_by("pk"))
    by_item: dict[int | None, list[BoardAction]] = {}
    for action in raised:
        by_item.setdefault(action.item_id, []).append(action)
    views = []
    for item in items:
        hidden = item.restricted and not full
        views.append(
            ItemView(
                number=item.number,
                restricted=item.restricted,
                item=None if hidden else item,
                decisions=[] if hidden else list(item.decisions.all()),
                actions=[] if hidden else by_item.get(item.pk, []),
            )
        )
    day = timezone.localtime(meeting.starts_at).date()
    attendance_rows = list(Attendance.objects.filter(meeting=meeting).select_related("member__agency"))
    attendance = {row.member_id: row for row in attendance_rows}

    def of(status: str) -> list[Attendance]:
        rows = [row for row in attendance_rows if row.status == status]
        return sorted(rows, key=lambda r: (ROLE_ORDER.get(r.member.role, 99), r.member.name.lower()))

    carried = [
        a
        for a in actions_qs.carried_to(meeting).select_related("meeting").order_by("meeting__starts_at", "pk")
        if _shown(a, full)
    ]
    previous = (
        Meeting.objects.filter(board_id=meeting.board_id, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
        .first()
    )
    forward = list(
        ForwardItem.objects.filter(board_id=meeting.board_id)
        .filter(Q(meeting__isnull=True) | Q(meeting__starts_at__gt=meeting.starts_at))
        .select_related("meeting")
        .order_by("pk")
    )
    return MeetingRecord(
        meeting=meeting,
        variant=variant,
        items=views,
        members=members_on(meeting.board_id, day),
        present=of(AttendanceStatus.PRESENT),
        apologies=of(AttendanceStatus.APOLOGIES),
        absent=of(AttendanceStatus.ABSENT),
        attendance=attendance,
        matters_arising=carried,
        actions=[a for a in raised if _shown(a, full)],
        forward=forward,
        previous=previous,
    )
