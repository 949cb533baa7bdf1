"""The `panel:<code>` duties: the team that coordinates a panel type and owns its cases."""

from typing import Any

from django.db import transaction

from saferhub.accounts.duties import DutyKind, UnknownDuty, register_duty
from saferhub.audit import log
from saferhub.audit.models import AuditAction


def _holders(partnership: Any) -> dict[str, Any]:
    from saferhub.panels.models import PanelType

    types = PanelType.objects.active().filter(partnership=partnership).select_related("coordinating_team__agency")
    return {t.code: (f"{t.name} coordinators", t.coordinating_team) for t in types}


@transaction.atomic
def _assign(actor: Any, partnership: Any, argument: str, team: Any, request: Any) -> None:
    from saferhub.panels.models import PanelType

    panel_type = PanelType.objects.select_for_update().filter(partnership=partnership, code=argument).first()
    if panel_type is None:
        raise UnknownDuty(f"there is no panel type '{argument}'")
    previous = panel_type.coordinating_team_id
    panel_type.coordinating_team = team
    panel_type.save(update_fields=["coordinating_team", "modified_at"])
    log.record(
        actor,
        AuditAction.UPDATE,
        panel_type,
        request=request,
        partnership=partnership,
        detail={"changes": {"coordinating_team": {"from": previous, "to": team.pk}}},
    )


PANEL = register_duty(
    DutyKind(
        name="panel",
        label="Panel coordinators",
        description="Coordinates the panel: reviews referrals, runs meetings and owns the panel's cases.",
        holders=_holders,
        assign=_assign,
        argument_noun="panel type",
    )
)
