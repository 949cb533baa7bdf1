"""Roles: who works case files, who sees reports, administration and the audit trail."""

import datetime
from typing import Any

from django.utils import timezone

from saferhub.accounts.models import CASEWORK_ROLES, REPORTING_ROLES, Role


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.partnership_id)


def works_cases(user: Any) -> bool:
    return _active(user) and user.has_role(*CASEWORK_ROLES)


def can_view_reports(user: Any) -> bool:
    return _active(user) and user.has_role(*REPORTING_ROLES, Role.TEAM_MANAGER, Role.PARTNERSHIP_ADMIN)


def can_administer(user: Any) -> bool:
    return _active(user) and user.has_role(Role.PARTNERSHIP_ADMIN)


def can_view_audit(user: Any) -> bool:
    return _active(user) and user.has_role(Role.AUDITOR)


def can_review_break_glass(user: Any) -> bool:
    return _active(user) and user.has_role(Role.AUDITOR, Role.PARTNERSHIP_ADMIN)


def can_import(user: Any) -> bool:
    return _active(user) and user.has_role(Role.PARTNERSHIP_ADMIN, Role.ANALYST)


def _today() -> datetime.date:
    return timezone.localdate()
