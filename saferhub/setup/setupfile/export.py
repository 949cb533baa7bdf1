"""Writing a partnership's set-up as a set-up file (`configure_partnership --export SLUG`).

The output is deterministic (fixed key order, rows sorted by name or code) and says every value
the file can set, so that export → configure changes nothing and a second export is the same
bytes. Values left at what a new record gets anyway (no e-mail, takes referrals, active) are
left out to keep the file short; configuring a fresh installation from it gives the same set-up.
"""

from typing import Any

from saferhub.accounts import duties
from saferhub.accounts.models import Agency, Partnership, Team
from saferhub.cases.models import CaseType
from saferhub.panels.models import PanelType
from saferhub.setup.setupfile import toml_writer
from saferhub.setup.setupfile.sections import sections

HEADER = (
    "# Saferhub partnership set-up. Apply with: python manage.py configure_partnership FILE\n"
    "# Adds and updates only; retire a record with active = false. See docs/setup.md.\n\n"
)


def export(partnership: Partnership) -> str:
    return HEADER + toml_writer.dumps(as_data(partnership))


def as_data(partnership: Partnership) -> dict[str, Any]:
    data: dict[str, Any] = {
        "partnership": {
            "slug": partnership.slug,
            "name": partnership.name,
            "areas": list(partnership.areas or []),
            "peer_group": list(partnership.peer_group or []),
        }
    }
    agencies = _agencies(partnership)
    if agencies:
        data["agencies"] = agencies
    case_types = [
        {"code": c.code, "name": c.name, "prefix": c.prefix} | ({} if c.active else {"active": False})
        for c in CaseType.objects.filter(partnership=partnership).order_by("code")
    ]
    panel_types = [_panel_type(p) for p in _panel_types(partnership)]
    if case_types:
        data["case_types"] = case_types
    if panel_types:
        data["panel_types"] = panel_types
    for section in sections():
        value = section.export(partnership)
        if value:
            data[section.key] = value
    return data


def _team_duties(partnership: Partnership) -> dict[int, list[str]]:
    held: dict[int, list[str]] = {}
    for duty in duties.duties_of(partnership):
        if duty.team is not None:
            held.setdefault(duty.team.pk, []).append(duty.code)
    return held


def _agencies(partnership: Partnership) -> list[dict[str, Any]]:
    """Parents before their children (the file names a parent before using it), then by name."""
    rows = list(Agency.objects.filter(partnership=partnership).select_related("parent").order_by("name", "pk"))
    teams: dict[int, list[Team]] = {}
    for team in Team.objects.filter(partnership=partnership).order_by("name", "pk"):
        teams.setdefault(team.agency_id, []).append(team)
    held = _team_duties(partnership)
    children: dict[int | None, list[Agency]] = {}
    for agency in rows:
        children.setdefault(agency.parent_id, []).append(agency)
    ordered: list[Agency] = []
    pending = list(children.get(None, []))
    # Breadth first: every agency of one depth, by name, before the next depth.
    while pending:
        ordered.extend(pending)
        pending = sorted((c for a in pending for c in children.get(a.pk, [])), key=lambda a: (a.name, a.pk))
    result = []
    for agency in ordered:
        row: dict[str, Any] = {"name": agency.name, "kind": agency.kind}
        if agency.parent is not None:
            row["parent"] = agency.parent.name
        if agency.is_archived:
            row["active"] = False
        team_rows = [_team(team, held.get(team.pk, [])) for team in teams.get(agency.pk, [])]
        if team_rows:
            row["teams"] = team_rows
        result.append(row)
    return result


def _team(team: Team, codes: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {"name": team.name}
    if codes:
        row["duties"] = codes
    if team.email:
        row["email"] = team.email
    if not team.accepts_referrals:
        row["accepts_referrals"] = False
    if team.is_archived:
        row["active"] = False
    return row


def _panel_types(partnership: Partnership) -> Any:
    return (
        PanelType.objects.filter(partnership=partnership)
        .select_related("case_type")
        .prefetch_related("member_agencies")
        .order_by("code")
    )


def _panel_type(panel_type: PanelType) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": panel_type.code,
        "name": panel_type.name,
        "kind": panel_type.kind,
        "cadence": panel_type.cadence,
        "case_type": panel_type.case_type.code,
        "member_agencies": sorted((a.name for a in panel_type.member_agencies.all()), key=str.casefold),
        "summary_days_before": panel_type.summary_days_before,
        "summary_days_after": panel_type.summary_days_after,
        "review_interval_days": panel_type.review_interval_days,
    }
    if panel_type.assessment_template_code:
        row["assessment_template"] = panel_type.assessment_template_code
    if panel_type.referral_criteria:
        row["criteria"] = panel_type.referral_criteria
    if not panel_type.active:
        row["active"] = False
    return row
