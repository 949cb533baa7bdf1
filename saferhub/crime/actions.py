"""Changes to crime dashboard data made by people: the analyst's commentary."""

from typing import Any

from django.db import transaction

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.crime.models import Commentary


class StaleCommentary(Exception):
    """Someone else saved the commentary after the form was opened."""


@transaction.atomic
def save_commentary(
    partnership: Any, user: Any, *, group: str, quarter: str, text: str, version: int, request: Any = None
) -> Commentary:
    """Create or replace the commentary for a group and quarter, if `version` is still the one saved (0: none yet)."""
    current = (
        Commentary.objects.select_for_update().filter(partnership=partnership, group=group, quarter=quarter).first()
    )
    if (current.version if current else 0) != version:
        raise StaleCommentary("This commentary was changed by someone else after you opened it.")
    if current is None:
        current = Commentary.objects.create(
            partnership=partnership, group=group, quarter=quarter, text=text, updated_by=user
        )
        action = AuditAction.CREATE
    else:
        current.text = text
        current.version += 1
        current.updated_by = user
        current.save(update_fields=["text", "version", "updated_by", "modified_at"])
        action = AuditAction.UPDATE
    log.record(
        user, action, current, request=request, partnership=partnership, detail={"group": group, "quarter": quarter}
    )
    return current
