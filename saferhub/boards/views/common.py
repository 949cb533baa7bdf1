"""Helpers shared by the boards pages: the role guards and the managers' check on one board."""

from typing import Any

from django.core.exceptions import PermissionDenied

from saferhub import policy
from saferhub.core.guards import require

readers = require(
    policy.can_view_boards,
    "Only board members, analysts, team managers and partnership administrators can see the boards.",
)
REFUSAL = "Only the board's secretariat and partnership administrators can change it."


def must_manage(user: Any, board: Any) -> None:
    if not policy.can_manage_board(user, board):
        raise PermissionDenied(REFUSAL)
