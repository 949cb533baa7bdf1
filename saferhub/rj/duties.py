"""The `rj_service` duty: the restorative justice service (stored on RjConfiguration)."""

from typing import Any

from saferhub.accounts.duties import DutyKind, register_duty


def _holders(partnership: Any) -> dict[str, Any]:
    from saferhub.rj.setup import rj_team

    return {"": ("Restorative justice service", rj_team(partnership.pk))}


def _assign(actor: Any, partnership: Any, argument: str, team: Any, request: Any) -> None:
    from saferhub.rj.actions import set_rj_team

    set_rj_team(actor, partnership, team, request=request)


RJ_SERVICE = register_duty(
    DutyKind(
        name="rj_service",
        label="Restorative justice service",
        description="Runs restorative justice: screens RJ referrals, works and owns RJ cases, street resolutions too.",
        holders=_holders,
        assign=_assign,
    )
)
