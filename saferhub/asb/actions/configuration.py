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
def set_desk(user: Any, partnership: Any, team: Any, request: HttpRequest | None = None) -> AsbDesk:
    desk, _ = AsbDesk.objects.update_or_create(partnership=partnership, defaults={"team": team})
    log.record(user, AuditAction.UPDATE, desk, request=request, partnership=partnership, detail={"team": team.pk})
    return desk
