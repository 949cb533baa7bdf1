"""Published police data and the crime dashboard.

Police recorded crime is published in aggregate, about places and never about people:
analysts, board members, team managers and administrators may see the dashboard, and
download it; analysts write its commentary.
"""

from typing import Any

from saferhub.accounts.models import Role
from saferhub.policy.roles import _active, can_view_reports


def can_view_crime_dashboard(user: Any) -> bool:
    return can_view_reports(user)


def can_edit_crime_commentary(user: Any) -> bool:
    return _active(user) and user.has_role(Role.ANALYST)
