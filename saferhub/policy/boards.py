"""Boards and meetings: who reads the published papers, who reads the full ones, who manages them.

- Partnership administrators manage every board; a board's secretariat (a current seat with the role
  "secretariat" linked to the user) manages that board: members, meetings, agendas, papers, minutes,
  actions and the forward work programme. Only administrators add boards.
- A current member of a board (a seat linked to the user) reads its full papers, restricted items included.
- Analysts, team managers and users with the board member role read every board's *published* papers:
  restricted items show as "Item N: restricted", and their papers, minutes, decisions and actions are 404.
- Anyone else in the partnership is refused the pages (403); another partnership's records are 404.
"""

from typing import Any

from django.http import Http404
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.policy.roles import _active

BOARD_FULL = "full"
BOARD_PUBLISHED = "published"


def _seats(user: Any) -> Any:
    from saferhub.boards.models import BoardMember

    return BoardMember.objects.current(timezone.localdate()).filter(user_id=user.pk, partnership_id=user.partnership_id)


def can_administer_boards(user: Any) -> bool:
    return _active(user) and user.has_role(Role.PARTNERSHIP_ADMIN)


def secretariat_board_ids(user: Any) -> set[int]:
    if not _active(user):
        return set()
    return set(_seats(user).filter(role="secretariat").values_list("board_id", flat=True))


def member_board_ids(user: Any) -> set[int]:
    """Boards whose full papers the user reads: those they hold a current seat on."""
    if not _active(user):
        return set()
    return set(_seats(user).values_list("board_id", flat=True))


def can_view_boards(user: Any) -> bool:
    if not _active(user):
        return False
    if user.has_role(Role.PARTNERSHIP_ADMIN, Role.ANALYST, Role.TEAM_MANAGER, Role.BOARD_MEMBER):
        return True
    return _seats(user).exists()


def can_manage_board(user: Any, board: Any) -> bool:
    if not _active(user) or board.partnership_id != user.partnership_id:
        return False
    return can_administer_boards(user) or board.pk in secretariat_board_ids(user)


def can_manage_any_board(user: Any) -> bool:
    return can_administer_boards(user) or bool(secretariat_board_ids(user))


def board_access(user: Any, board: Any) -> str:
    """BOARD_FULL for administrators and the board's current members (secretariat included), else BOARD_PUBLISHED."""
    if can_administer_boards(user) or board.pk in member_board_ids(user):
        return BOARD_FULL
    return BOARD_PUBLISHED


def visible_boards(user: Any) -> Any:
    from saferhub.boards.models import Board

    if not can_view_boards(user):
        return Board.objects.none()
    return Board.objects.of(user.partnership_id)


def visible_meetings(user: Any) -> Any:
    from saferhub.boards.models import Meeting

    if not can_view_boards(user):
        return Meeting.objects.none()
    return Meeting.objects.of(user.partnership_id)


def managed_meetings(user: Any) -> Any:
    """Meetings whose minutes the user may write: every board's for administrators, else their secretariat seats'."""
    meetings = visible_meetings(user)
    if can_administer_boards(user):
        return meetings
    return meetings.filter(board_id__in=secretariat_board_ids(user))


def visible_board_actions(user: Any) -> Any:
    """Actions the user may read: restricted items' actions only on boards whose full papers they read."""
    from django.db.models import Q

    from saferhub.boards.models import BoardAction

    if not can_view_boards(user):
        return BoardAction.objects.none()
    actions = BoardAction.objects.of(user.partnership_id)
    if can_administer_boards(user):
        return actions
    return actions.filter(Q(item__isnull=True) | Q(item__restricted=False) | Q(board_id__in=member_board_ids(user)))


def _one(queryset: Any, pk: int, what: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {what}")
    return found


def get_board_for_user(user: Any, pk: int) -> Any:
    return _one(visible_boards(user).select_related("parent"), pk, "board")


def get_meeting_for_user(user: Any, pk: int) -> Any:
    return _one(visible_meetings(user).select_related("board"), pk, "meeting")


def get_member_for_user(user: Any, pk: int) -> Any:
    from saferhub.boards.models import BoardMember

    if not can_view_boards(user):
        raise Http404("No such member")
    return _one(BoardMember.objects.of(user.partnership_id).select_related("board", "agency"), pk, "member")


def get_agenda_item_for_user(user: Any, pk: int) -> Any:
    """An agenda item; a restricted one is 404 to users who read only the published papers."""
    from saferhub.boards.models import AgendaItem

    if not can_view_boards(user):
        raise Http404("No such agenda item")
    item = _one(
        AgendaItem.objects.filter(partnership_id=user.partnership_id).select_related("meeting__board"),
        pk,
        "agenda item",
    )
    if item.restricted and board_access(user, item.meeting.board) != BOARD_FULL:
        raise Http404("No such agenda item")
    return item


def get_paper_for_user(user: Any, pk: int) -> Any:
    from saferhub.boards.models import Paper

    if not can_view_boards(user):
        raise Http404("No such paper")
    paper = _one(Paper.objects.filter(partnership_id=user.partnership_id).select_related("item"), pk, "paper")
    get_agenda_item_for_user(user, paper.item_id)
    return paper


def get_board_action_for_user(user: Any, pk: int) -> Any:
    return _one(visible_board_actions(user).select_related("board", "meeting", "item"), pk, "action")


def get_forward_item_for_user(user: Any, pk: int) -> Any:
    from saferhub.boards.models import ForwardItem

    if not can_view_boards(user):
        raise Http404("No such forward work programme item")
    return _one(ForwardItem.objects.of(user.partnership_id).select_related("board"), pk, "forward work programme item")
