"""Archiving and restoring strategies, priorities, commissioned services and their KPIs.

Nothing is deleted: an archived record leaves the lists, the pickers and the returns of
periods that start after it was archived, while its past figures stay as they were.
Each step locks the row, bumps its version (so an edit form opened before it is refused
as stale) and writes its audit row in the same transaction. Archiving what is already
archived, or restoring what is live, changes nothing and returns False.
"""

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import bump_version
from saferhub.governance.models import CommissionedService, Priority, ServiceKpi, Strategy

Archivable = Strategy | Priority | CommissionedService | ServiceKpi


def _partnership(record: Archivable) -> Any:
    if isinstance(record, Priority):
        return record.strategy.partnership
    if isinstance(record, ServiceKpi):
        return record.service.partnership
    return record.partnership


def archive(user: Any, record: Archivable, *, reason: str = "", request: HttpRequest | None = None) -> bool:
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if locked.archived_at is not None:
            return False
        record.archive(user, reason)
        bump_version(record)
        log.record(
            user,
            AuditAction.ARCHIVE,
            record,
            request=request,
            reason=reason,
            partnership=_partnership(record),
            detail={"name": str(record)},
        )
    return True


def restore(user: Any, record: Archivable, *, request: HttpRequest | None = None) -> bool:
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if locked.archived_at is None:
            return False
        record.archived_at, record.archived_by, record.archive_reason = None, None, ""
        record.save(update_fields=["archived_at", "archived_by", "archive_reason"])
        bump_version(record)
        log.record(
            user,
            AuditAction.UPDATE,
            record,
            request=request,
            partnership=_partnership(record),
            detail={"name": str(record), "restored": True},
        )
    return True
