"""Pages of boards and meetings (a package by subject: boards, meetings, documents).

Board members, analysts, team managers and partnership administrators read them; the board's secretariat
and partnership administrators change them (`saferhub.policy.boards`). Changes go through
`saferhub.boards.actions`.
"""

from saferhub.boards.views.boards import (
    board_add,
    board_detail,
    board_edit,
    board_list,
    forward_add,
    forward_edit,
    member_add,
    member_edit,
)
from saferhub.boards.views.documents import agenda_document, minutes_document, paper_download
from saferhub.boards.views.meetings import (
    action_add,
    action_complete,
    action_edit,
    attendance,
    item_add,
    item_edit,
    item_minutes,
    meeting_add,
    meeting_detail,
    meeting_edit,
    paper_add,
)

__all__ = [
    "action_add",
    "action_complete",
    "action_edit",
    "agenda_document",
    "attendance",
    "board_add",
    "board_detail",
    "board_edit",
    "board_list",
    "forward_add",
    "forward_edit",
    "item_add",
    "item_edit",
    "item_minutes",
    "meeting_add",
    "meeting_detail",
    "meeting_edit",
    "member_add",
    "member_edit",
    "minutes_document",
    "paper_add",
    "paper_download",
]
