"""State changes made on the set-up pages, one function per action, each audited in its transaction.

Edits carry a version token: a digest of the record as the administrator saw it. The save locks
the row and refuses when the record no longer matches, so two administrators editing at once
never silently overwrite each other (the set-up file, applied meanwhile, counts as an edit).
Callers check `saferhub.policy.can_set_up` first.
"""

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhub.accounts import duties
from saferhub.accounts.models import Agency, Partnership, Team
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import CaseType
from saferhub.panels.models import PanelKind, PanelType
from saferhub.panels.setup import ensure_case_type

STALE = (
    "{what} was changed by someone else after you opened it; nothing was saved. "
    "Open the page again to see their change."
)


class SetupError(Exception):
    """The change cannot be made; nothing was saved. The message is shown to the administrator."""


class StaleEdit(SetupError):
    pass


AREA_FIELDS = ("areas", "peer_group")
CASE_TYPE_FIELDS = ("name", "prefix", "active", "closure_needs_approval")
PANEL_TYPE_FIELDS = (
    "name",
    "cadence",
    "referral_criteria",
    "assessment_template_code",
    "coordinating_team_id",
    "summary_days_before",
    "summary_days_after",
    "review_interval_days",
    "active",
)


def version_of(obj: Any, fields: Iterable[str], extra: Any = None) -> str:
    """The version token of a record: a digest of the fields an edit page shows."""
    state = [getattr(obj, name) for name in fields] + [extra]
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()[:16]


def panel_type_version(panel_type: PanelType) -> str:
    members = sorted(panel_type.member_agencies.values_list("pk", flat=True))
    return version_of(panel_type, PANEL_TYPE_FIELDS, members)


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = {"from": getattr(old, "pk", old), "to": getattr(new, "pk", new)}
            setattr(obj, name, new)
    return changes


# Areas and peer group -----------------------------------------------------------------------------


@transaction.atomic
def set_areas(
    admin: Any,
    partnership: Partnership,
    *,
    areas: list[str],
    peer_group: list[str],
    version: str,
    request: HttpRequest | None = None,
) -> bool:
    """The partnership's local authorities and its peer group (ONS codes); False when unchanged."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if version_of(locked, AREA_FIELDS) != version:
        raise StaleEdit(STALE.format(what="The partnership's areas"))
    changes = _changes(locked, {"areas": areas, "peer_group": peer_group})
    if not changes:
        return False
    locked.save(update_fields=["areas", "peer_group", "modified_at"])
    log.record(admin, AuditAction.UPDATE, locked, request=request, detail={"changes": changes})
    partnership.areas, partnership.peer_group = locked.areas, locked.peer_group
    return True


# Duties -----------------------------------------------------------------------------------------------


@transaction.atomic
def assign_duty(
    admin: Any, partnership: Partnership, code: str, team: Team, request: HttpRequest | None = None
) -> bool:
    """Give a duty to a team of the partnership (the module that keeps the duty audits it)."""
    if team.partnership_id != partnership.pk or team.is_archived:
        raise SetupError("Choose an active team of your partnership.")
    try:
        return duties.assign(admin, partnership, code, team, request)
    except duties.UnknownDuty as error:
        raise SetupError(str(error).capitalize() + ".") from None


# Case types -------------------------------------------------------------------------------------------


def _check_prefix(partnership_id: int, prefix: str, case_type: CaseType | None = None) -> None:
    clash = CaseType.objects.filter(partnership_id=partnership_id, prefix=prefix)
    if case_type is not None:
        clash = clash.exclude(pk=case_type.pk)
    other = clash.first()
    if other is not None:
        raise SetupError(f"The prefix {prefix} is already used by {other.name}. Choose another.")


@transaction.atomic
def create_case_type(
    admin: Any, partnership: Partnership, *, code: str, name: str, prefix: str, request: HttpRequest | None = None
) -> CaseType:
    if CaseType.objects.filter(partnership=partnership, code=code).exists():
        raise SetupError(f"There is already a case type with the code {code}.")
    _check_prefix(partnership.pk, prefix)
    case_type = CaseType.objects.create(partnership=partnership, code=code, name=name, prefix=prefix)
    log.record(admin, AuditAction.CREATE, case_type, request=request, partnership=partnership)
    return case_type


@transaction.atomic
def update_case_type(
    admin: Any,
    case_type: CaseType,
    *,
    name: str,
    prefix: str,
    version: str,
    closure_needs_approval: bool | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """Name, prefix and whether closing needs a team manager's approval (None: unchanged); the code
    stays (records and files use it). A new prefix applies to new cases."""
    locked = CaseType.objects.select_for_update().get(pk=case_type.pk)
    if version_of(locked, CASE_TYPE_FIELDS) != version:
        raise StaleEdit(STALE.format(what="This case type"))
    _check_prefix(locked.partnership_id, prefix, locked)
    values: dict[str, Any] = {"name": name, "prefix": prefix}
    if closure_needs_approval is not None:
        values["closure_needs_approval"] = closure_needs_approval
    changes = _changes(locked, values)
    if not changes:
        return False
    locked.save()
    log.record(admin, AuditAction.UPDATE, locked, request=request, detail={"changes": changes})
    return True


@transaction.atomic
def set_case_type_active(admin: Any, case_type: CaseType, active: bool, request: HttpRequest | None = None) -> CaseType:
    """Disabled case types are not offered for new cases; their cases keep them. Never deleted."""
    locked = CaseType.objects.select_for_update().get(pk=case_type.pk)
    if locked.active == active:
        raise SetupError(f"{locked.name} is already {'in use' if active else 'disabled'}.")
    if not active:
        in_use = PanelType.objects.active().filter(case_type=locked).first()
        if in_use is not None:
            raise SetupError(f"{in_use.name} opens cases of this type: stop using that panel type first.")
    locked.active = active
    locked.save(update_fields=["active", "modified_at"])
    log.record(
        admin,
        AuditAction.UPDATE if active else AuditAction.ARCHIVE,
        locked,
        request=request,
        detail={"change": "enabled" if active else "disabled"},
    )
    return locked


# Panel types ------------------------------------------------------------------------------------------


def _check_panel_links(partnership_id: int, values: dict[str, Any], agencies: Iterable[Agency]) -> None:
    team = values.get("coordinating_team")
    if team is not None and (team.partnership_id != partnership_id or team.is_archived):
        raise SetupError("Choose an active team of your partnership to coordinate the panel.")
    if any(agency.partnership_id != partnership_id for agency in agencies):
        raise SetupError("Member agencies must be agencies of your partnership.")


@transaction.atomic
def create_panel_type(
    admin: Any,
    partnership: Partnership,
    *,
    code: str,
    values: dict[str, Any],
    member_agencies: Iterable[Agency],
    request: HttpRequest | None = None,
) -> PanelType:
    """A panel type of the partnership's own, with a case type of the same code for its cases."""
    if PanelType.objects.filter(partnership=partnership, code=code).exists():
        raise SetupError(f"There is already a panel type with the code {code}.")
    agencies = list(member_agencies)
    _check_panel_links(partnership.pk, values, agencies)
    values = {"kind": PanelKind.GENERAL, **values}
    case_type = ensure_case_type(partnership, code, values["name"], code)
    panel_type = PanelType.objects.create(partnership=partnership, code=code, case_type=case_type, **values)
    panel_type.member_agencies.set(agencies)
    log.record(
        admin,
        AuditAction.CREATE,
        panel_type,
        request=request,
        partnership=partnership,
        detail={"case_type": case_type.code, "member_agencies": sorted(a.pk for a in agencies)},
    )
    return panel_type


@transaction.atomic
def update_panel_type(
    admin: Any,
    panel_type: PanelType,
    *,
    values: dict[str, Any],
    member_agencies: Iterable[Agency],
    version: str,
    request: HttpRequest | None = None,
) -> bool:
    locked = PanelType.objects.select_for_update().get(pk=panel_type.pk)
    if panel_type_version(locked) != version:
        raise StaleEdit(STALE.format(what="This panel type"))
    agencies = list(member_agencies)
    _check_panel_links(locked.partnership_id, values, agencies)
    changes = _changes(locked, values)
    current = set(locked.member_agencies.values_list("pk", flat=True))
    wanted = {agency.pk for agency in agencies}
    if wanted != current:
        locked.member_agencies.set(agencies)
        changes["member_agencies"] = {"from": sorted(current), "to": sorted(wanted)}
    if not changes:
        return False
    locked.save()
    log.record(admin, AuditAction.UPDATE, locked, request=request, detail={"changes": changes})
    return True
