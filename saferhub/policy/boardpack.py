"""The board pack: analysts and partnership administrators assemble and issue it; board members read
issued packs. A pack holds aggregates only (small numbers suppressed in the publishable variant).
Every pack belongs to one partnership; another partnership's pack, or a draft to a board member, is 404.
"""

from typing import Any

from django.http import Http404

from saferhub.accounts.models import Role
from saferhub.policy.roles import _active


def can_manage_board_packs(user: Any) -> bool:
    return _active(user) and user.has_role(Role.ANALYST, Role.PARTNERSHIP_ADMIN)


def can_read_board_packs(user: Any) -> bool:
    return can_manage_board_packs(user) or (_active(user) and user.has_role(Role.BOARD_MEMBER))


def visible_board_packs(user: Any) -> Any:
    """All the partnership's packs for those who assemble them; issued packs only for board members."""
    from saferhub.boardpack.models import BoardPack

    if can_manage_board_packs(user):
        return BoardPack.objects.of(user.partnership_id)
    if can_read_board_packs(user):
        return BoardPack.objects.of(user.partnership_id).issued()
    return BoardPack.objects.none()


def can_record_pack_considered(user: Any, pack: Any) -> bool:
    """Recording that a board considered an issued pack writes that board's minutes: the pack's
    readers who also manage a board (administrators, a board's secretariat)."""
    from saferhub.policy.boards import can_manage_any_board

    return pack.is_issued and can_read_board_packs(user) and can_manage_any_board(user)


def get_board_pack_for_user(user: Any, pk: int) -> Any:
    found = visible_board_packs(user).select_related("partnership", "meeting__board").filter(pk=pk).first()
    if found is None:
        raise Http404("No such board pack")
    return found
