"""State changes of the ASB module's settings: dated limits and the desk that receives new work."""

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhub.asb.models import (
    AsbDesk,
    AsbSetting,
)
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import StaleEdit, claim_version

# Settings --------------------------------------------------------------------------------------------


@transaction.atomic
def set_setting(
    user: Any,
    partnership: Any,
    *,
    key: str,
    value: int,
    effective_from: datetime.date,
    source: str = "",
    request: HttpRequest | None = None,
) -> AsbSetting:
    row, _ = AsbSetting.objects.update_or_create(
        partnership=partnership,
        key=key,
        effective_from=effective_from,
        defaults={"value": value, "source": source, "set_by": user},
    )
    log.record(
        user,
        AuditAction.UPDATE,
        row,
        request=request,
        partnership=partnership,
        detail={"key": key, "value": value, "effective_from": str(effective_from)},
    )
    return row


@transaction.atomic
def set_desk(
    user: Any, partnership: Any, team: Any, request: HttpRequest | None = None, *, expected_version: int | None = None
) -> AsbDesk:
    """With `expected_version` (the desk form; 0 when there was no desk), refuses with StaleEdit when someone
    chose the team since."""
    actor = user if getattr(user, "pk", None) else None
    desk, created = AsbDesk.objects.get_or_create(
        partnership=partnership, defaults={"team": team, "created_by": actor, "modified_by": actor}
    )
    if not created:
        if expected_version == 0:
            chooser = desk.modified_by.full_name if desk.modified_by else "someone else"
            raise StaleEdit(f"The ASB team was chosen by {chooser} after you opened the form.")
        # Without a form (the set-up duty page) the version is bumped too, so an open desk form notices.
        claim_version(desk, desk.version if expected_version is None else expected_version, modified_by=actor)
        desk.team = team
        desk.save(update_fields=["team", "modified_at"])
    log.record(user, AuditAction.UPDATE, desk, request=request, partnership=partnership, detail={"team": team.pk})
    return desk
