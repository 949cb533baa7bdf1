"""The `missing` duty: the missing-children coordinators, who own the children's records and episodes."""

from typing import Any

from saferhub.accounts.duties import DutyKind, register_duty


def _holders(partnership: Any) -> dict[str, Any]:
    from saferhub.missing.config import missing_team

    return {"": ("Missing children coordinators", missing_team(partnership.pk))}


def _assign(actor: Any, partnership: Any, argument: str, team: Any, request: Any) -> None:
    from saferhub.missing.actions import set_missing_team

    set_missing_team(actor, partnership, team, request=request)


MISSING = register_duty(
    DutyKind(
        name="missing",
        label="Missing children coordinators",
        description="Monitors missing episodes, arranges strategy meetings and return home interviews, and owns "
        "the children's missing records, imported ones too.",
        holders=_holders,
        assign=_assign,
    )
)
