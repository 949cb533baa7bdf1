"""Panel type settings."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import claim_version
from saferhub.panels.models import (
    PanelType,
)


@transaction.atomic
def update_panel_type(
    user: Any,
    panel_type: PanelType,
    *,
    changes: dict[str, Any],
    agencies: Any = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> PanelType:
    if expected_version is not None:
        claim_version(panel_type, expected_version)
    for name, value in changes.items():
        setattr(panel_type, name, value)
    panel_type.save()
    if agencies is not None:
        panel_type.member_agencies.set(agencies)
    log.record(user, AuditAction.UPDATE, panel_type, request=request, detail={"fields": sorted(changes)})
    return panel_type
