"""The `iom` duty: the Integrated Offender Management team (stored on IomConfiguration)."""

from typing import Any

from saferhub.accounts.duties import DutyKind, register_duty


def _holders(partnership: Any) -> dict[str, Any]:
    from saferhub.iom.setup import iom_team

    return {"": ("IOM team", iom_team(partnership.pk))}


def _assign(actor: Any, partnership: Any, argument: str, team: Any, request: Any) -> None:
    from saferhub.iom.actions import set_iom_team

    set_iom_team(actor, partnership, team, request=request)


IOM = register_duty(
    DutyKind(
        name="iom",
        label="IOM team",
        description="Runs Integrated Offender Management: adopts people into the cohort and owns their IOM cases.",
        holders=_holders,
        assign=_assign,
    )
)
