"""The panel types every partnership starts with; a per-partnership setup step (idempotent)."""

from dataclasses import dataclass

from saferhub.accounts.models import Partnership
from saferhub.cases.models import CaseType
from saferhub.panels.models import Cadence, PanelKind, PanelType


@dataclass(frozen=True)
class PanelDefinition:
    code: str
    kind: str
    name: str
    cadence: str
    case_type_code: str
    case_type_name: str
    prefix: str
    criteria: str
    template_code: str = ""
    days_before: int = 7
    days_after: int = 7


SHIPPED = (
    PanelDefinition(
        code="da_marac",
        kind=PanelKind.DA_MARAC,
        name="DA MARAC",
        cadence=Cadence.MONTHLY,
        # "marac" / MAR: the demo and early partnerships already use this case type.
        case_type_code="marac",
        case_type_name="MARAC",
        prefix="MAR",
        template_code="dash_risk_checklist",
        criteria=(
            "Victims of domestic abuse at high risk of serious harm. Refer when: the risk checklist shows 14 or "
            "more risks (visible high risk); your professional judgement says the risk is high, with the reason; "
            "there have been 3 or more incidents in the last 12 months (potential escalation); or the victim was "
            "referred to MARAC in the last 12 months (repeat)."
        ),
    ),
    PanelDefinition(
        code="cs_marac",
        kind=PanelKind.CS_MARAC,
        name="Community MARAC",
        cadence=Cadence.SIX_WEEKLY,
        case_type_code="cs_marac",
        case_type_name="Community MARAC",
        prefix="CSM",
        criteria=(
            "Complex, high-risk anti-social behaviour where victims or witnesses need safeguarding and a "
            "coordinated multi-agency action plan."
        ),
    ),
    PanelDefinition(
        code="adults_at_risk",
        kind=PanelKind.ADULTS_AT_RISK,
        name="Adults at Risk Panel",
        cadence=Cadence.MONTHLY,
        case_type_code="adults_at_risk",
        case_type_name="Adults at Risk",
        prefix="AAR",
        criteria=(
            "Young adults aged 18 to 25 at risk of, or still at risk of, exploitation or of involvement in serious "
            "violence as victim or suspect: criminal exploitation (including cuckooing), weapons offending, "
            "group offending, causing or affected by harm, or on the edge of these."
        ),
    ),
    PanelDefinition(
        code="tve",
        kind=PanelKind.TVE,
        name="Tackling Violence and Exploitation Panel",
        cadence=Cadence.MONTHLY,
        case_type_code="tve",
        case_type_name="Tackling Violence and Exploitation",
        prefix="TVE",
        criteria=(
            "Children and young people at risk of extra-familial harm: criminal exploitation, weapons, "
            "group offending; plans from exploitation and missing meetings feed the central plan."
        ),
    ),
    PanelDefinition(
        code="sirm",
        kind=PanelKind.SIRM,
        name="Serious Incident Response Meeting",
        cadence=Cadence.AS_NEEDED,
        case_type_code="sirm",
        case_type_name="Serious incident",
        prefix="SIR",
        criteria=(
            "A serious violent incident (knife, gun or other) in which a young person or young adult from the "
            "area was a victim, a suspect or both, wherever it happened."
        ),
        days_before=2,
        days_after=14,
    ),
)


def ensure_case_type(partnership: Partnership, code: str, name: str, prefix: str) -> CaseType:
    """The partnership's case type of this code, created when missing (with a free prefix)."""
    existing = CaseType.objects.filter(partnership=partnership, code=code).first()
    if existing is not None:
        return existing
    base = "".join(ch for ch in prefix.upper() if ch.isalnum())[:6] or "PNL"
    candidate, number = base, 2
    # A partnership may already use the prefix for a case type of its own.
    while CaseType.objects.filter(partnership=partnership, prefix=candidate).exists():
        candidate, number = f"{base}{number}", number + 1
    return CaseType.objects.create(partnership=partnership, code=code, name=name[:100], prefix=candidate)


def _case_type(partnership: Partnership, definition: PanelDefinition) -> CaseType:
    return ensure_case_type(partnership, definition.case_type_code, definition.case_type_name, definition.prefix)


def install_panel_types(partnership: Partnership) -> None:
    """Add the shipped panel types a partnership lacks; existing ones keep their local settings."""
    for definition in SHIPPED:
        if PanelType.objects.filter(partnership=partnership, code=definition.code).exists():
            continue
        PanelType.objects.create(
            partnership=partnership,
            code=definition.code,
            kind=definition.kind,
            name=definition.name,
            cadence=definition.cadence,
            referral_criteria=definition.criteria,
            assessment_template_code=definition.template_code,
            case_type=_case_type(partnership, definition),
            summary_days_before=definition.days_before,
            summary_days_after=definition.days_after,
        )
