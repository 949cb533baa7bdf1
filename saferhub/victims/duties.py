"""The `victim_hub` duty: the team that runs the partnership's Victim Care Hub (stored on HubConfiguration)."""

from typing import Any

from saferhub.accounts.duties import DutyKind, register_duty


def _holders(partnership: Any) -> dict[str, Any]:
    from saferhub.victims.hub import hub_team

    return {"": ("Victim Care Hub team", hub_team(partnership.pk))}


def _assign(actor: Any, partnership: Any, argument: str, team: Any, request: Any) -> None:
    from saferhub.victims.actions import set_hub_team

    set_hub_team(actor, partnership, team, request=request)


VICTIM_HUB = register_duty(
    DutyKind(
        name="victim_hub",
        label="Victim Care Hub team",
        description="Runs the Victim Care Hub: triages hub referrals and owns their cases, imported ones too.",
        holders=_holders,
        assign=_assign,
    )
)
