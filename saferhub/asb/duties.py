"""The `asb_desk` duty: the team that receives ASB Case Review applications and owns imported ASB cases."""

from typing import Any

from saferhub.accounts.duties import DutyKind, register_duty


def _holders(partnership: Any) -> dict[str, Any]:
    from saferhub.asb.models import AsbDesk

    desk = AsbDesk.objects.filter(partnership=partnership).select_related("team__agency").first()
    return {"": ("ASB team", desk.team if desk is not None else None)}


def _assign(actor: Any, partnership: Any, argument: str, team: Any, request: Any) -> None:
    from saferhub.asb.actions import set_desk

    set_desk(actor, partnership, team, request=request)


ASB_DESK = register_duty(
    DutyKind(
        name="asb_desk",
        label="ASB team",
        description="Receives ASB Case Review applications and owns imported ASB cases.",
        holders=_holders,
        assign=_assign,
    )
)
