"""The per-partnership set-up RJ needs: the `rj` case type, the RJ service's configuration and the
RJ project plan (an action plan of the governance app). Idempotent."""

from typing import Any

from saferhub.accounts.models import Team
from saferhub.cases.models import CaseType
from saferhub.rj.models import RjConfiguration

CASE_TYPE_CODE = "rj"
CASE_TYPE_NAME = "Restorative justice"
CASE_TYPE_PREFIX = "RJ"
TEAM_NAME = "Restorative Justice Service"
PLAN_NAME = "Restorative Justice Project Plan"
# Activities of this programme are the RJ training and network figures.
PROGRAMME = "restorative_justice"
# Assessment templates (saferhub/assessments/templates_data/).
RISK_TEMPLATE = "rj_risk_assessment"
ENHANCED_TEMPLATE = "rj_enhanced_risk_assessment"


def setup_rj(partnership: Any) -> None:
    from saferhub.governance.models import ActionPlan

    CaseType.objects.get_or_create(
        partnership=partnership,
        code=CASE_TYPE_CODE,
        defaults={"name": CASE_TYPE_NAME, "prefix": CASE_TYPE_PREFIX},
    )
    config, _ = RjConfiguration.objects.get_or_create(partnership=partnership)
    if config.team_id is None:
        # Adopt a team already called "Restorative Justice Service"; otherwise an administrator gives the duty.
        team = Team.objects.live().filter(partnership=partnership, name__iexact=TEAM_NAME).order_by("pk").first()
        if team is not None:
            config.team = team
            config.save(update_fields=["team", "modified_at"])
    if not ActionPlan.objects.of(partnership).filter(name__iexact=PLAN_NAME).exists():
        ActionPlan.objects.create(partnership=partnership, name=PLAN_NAME)


def rj_team(partnership_id: int | None) -> Team | None:
    # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    config = (
        RjConfiguration.objects.filter(partnership_id=partnership_id)  # type: ignore[misc]
        .select_related("team__agency")
        .first()
    )
    return config.team if config is not None else None


def rj_case_type(partnership_id: int | None) -> CaseType | None:
    return CaseType.objects.filter(partnership_id=partnership_id, code=CASE_TYPE_CODE).first()  # type: ignore[misc]


def in_rj_team(user: Any) -> bool:
    team_id = getattr(user, "team_id", None)
    return (
        team_id is not None
        and RjConfiguration.objects.filter(partnership_id=user.partnership_id, team_id=team_id).exists()
    )
