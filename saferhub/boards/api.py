"""What other modules (the board pack) may call: a small, stable face of the boards app.

- `meetings_for(user)`: the meetings the user may see, latest first (a queryset of `Meeting`).
- `agenda_items(user, meeting)`: the meeting's agenda as `AgendaEntry` rows, restricted items blanked
  for readers of the published papers (the policy decides).
- `record_pack_considered(user, meeting, *, title, decision, item_number=None)`: record that a paper (the
  quarter's board pack) was considered at the meeting: a new agenda item titled `title` (or the item
  numbered `item_number`) gets the decision "RESOLVED: <decision>". Only those who manage the board may.

Nothing else in `saferhub.boards` is meant for other apps.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from saferhub import policy
from saferhub.boards import actions
from saferhub.boards.models import AgendaItem, Decision, Meeting

__all__ = ["AgendaEntry", "agenda_items", "meetings_for", "record_pack_considered"]


@dataclass(frozen=True)
class AgendaEntry:
    pk: int | None  # None for a restricted item the reader may not see
    number: int
    title: str  # "Item N: restricted" when hidden
    owner: str
    minutes_allotted: int | None
    restricted: bool
    papers: tuple[str, ...]
    decisions: tuple[str, ...]  # each without the "RESOLVED: " prefix


def meetings_for(user: Any) -> Any:
    return policy.visible_meetings(user).select_related("board").order_by("-starts_at")


def agenda_items(user: Any, meeting: Meeting) -> list[AgendaEntry]:
    policy.get_meeting_for_user(user, meeting.pk)  # 404 to outsiders
    full = policy.board_access(user, meeting.board) == policy.BOARD_FULL
    entries = []
    for item in meeting.items.prefetch_related("papers", "decisions").order_by("number"):
        if item.restricted and not full:
            entries.append(AgendaEntry(None, item.number, f"Item {item.number}: restricted", "", None, True, (), ()))
            continue
        entries.append(
            AgendaEntry(
                pk=item.pk,
                number=item.number,
                title=item.title,
                owner=item.owner,
                minutes_allotted=item.minutes_allotted,
                restricted=item.restricted,
                papers=tuple(paper.title for paper in item.papers.all()),
                decisions=tuple(decision.text for decision in item.decisions.all()),
            )
        )
    return entries


def record_pack_considered(
    user: Any, meeting: Meeting, *, title: str, decision: str, owner: str = "", item_number: int | None = None
) -> Decision:
    """Add "RESOLVED: <decision>" to the item numbered `item_number`, or to a new item titled `title`.

    For example `record_pack_considered(analyst, meeting, title="Quarterly performance report 2026/27 Q2",
    decision="the board noted the quarterly performance report 2026/27 Q2")`.
    """
    meeting = policy.get_meeting_for_user(user, meeting.pk)
    if not policy.can_manage_board(user, meeting.board):
        raise PermissionDenied("Only the board's secretariat and partnership administrators can record decisions.")
    with transaction.atomic():
        item: AgendaItem | None = None
        if item_number is not None:
            item = meeting.items.filter(number=item_number).first()
        if item is None:
            item = actions.add_agenda_item(
                user, meeting, number=actions.next_item_number(meeting), title=title[:300], owner=owner[:200]
            )
        return actions.add_decision(user, item, decision)
