"""Partnership set-up: the checklist, duties, areas, case types and panel types.

Set-up shapes how every record of the partnership is owned, so only its
partnership administrators change it; the pages are for their own partnership only.
"""

from typing import Any

from saferhub.policy.roles import can_administer


def can_set_up(user: Any) -> bool:
    return can_administer(user)
