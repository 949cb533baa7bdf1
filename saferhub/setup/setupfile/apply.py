"""Applying a checked set-up file: one transaction, adds and updates only, every change audited.

`configure` returns the changes as lines for the person at the terminal; an empty list means
the partnership already matched the file.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts import duties
from saferhub.accounts.models import Agency, Partnership, Team
from saferhub.accounts.partnerships import create_partnership
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import CaseType
from saferhub.panels.models import PanelKind, PanelType
from saferhub.panels.setup import ensure_case_type
from saferhub.setup.setupfile.sections import sections
from saferhub.setup.setupfile.validate import Plan, SetupFileError, check, identity, load

SOURCE = "configure_partnership"


@dataclass
class Result:
    partnership: Partnership
    created: bool
    changes: list[str] = field(default_factory=list)


def configure(text: str, *, dry_run: bool = False, actor: Any = None) -> Result:
    """Bring the partnership the file names in line with it; raises SetupFileError and writes nothing."""
    data = load(text)
    slug, name = identity(data)
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().filter(slug=slug).first() if slug else None
        created = False
        if partnership is None and slug and name:
            try:
                partnership = create_partnership(slug, name)
                created = True
            except ValueError:
                partnership = None
        plan = check(data, partnership)
        if partnership is None:  # check() names the missing slug or name first
            raise SetupFileError(["partnership: give its slug and name"])
        result = Result(partnership, created)
        if created:
            log.record(actor, AuditAction.CREATE, partnership, partnership=partnership, detail={"source": SOURCE})
            result.changes.append(f"created partnership {slug} ({name})")
        _Applier(plan, partnership, actor, result).run()
        if dry_run:
            transaction.set_rollback(True)
    return result


def _plain(value: Any) -> Any:
    """A value as the audit trail stores it (records by primary key)."""
    return value.pk if hasattr(value, "pk") else value


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


class _Applier:
    def __init__(self, plan: Plan, partnership: Partnership, actor: Any, result: Result) -> None:
        self.plan = plan
        self.partnership = partnership
        self.actor = actor
        self.result = result

    def note(self, line: str) -> None:
        self.result.changes.append(line)

    def audit(self, action: str, obj: Any, detail: dict[str, Any]) -> None:
        log.record(self.actor, action, obj, partnership=self.partnership, detail={**detail, "source": SOURCE})

    def update(self, obj: Any, values: dict[str, Any], what: str) -> dict[str, Any]:
        """Set changed fields, save, audit and note them; returns {field: {from, to}}."""
        changes, shown = {}, {}
        for name, new in values.items():
            old = getattr(obj, name)
            if old != new:
                shown[name] = (old, new)
                changes[name] = {"from": _plain(old), "to": _plain(new)}
                setattr(obj, name, new)
        if changes:
            obj.save()
            self.audit(AuditAction.UPDATE, obj, {"changes": changes})
            for name in changes:
                self.note(f"{what}: {name} {_show(shown[name][0])} → {_show(shown[name][1])}")
        return changes

    def run(self) -> None:
        self.update(self.partnership, self.plan.partnership, f"partnership {self.partnership.slug}")
        agencies = self._agencies()
        case_types = self._case_types()
        self._panel_types(agencies, case_types)
        teams = self._teams(agencies)
        self._duties(teams)
        registered = {section.key: section for section in sections()}
        for key, checked in self.plan.sections.items():
            registered[key].apply(checked, self.partnership, self.actor, self.note)

    # Agencies and teams ----------------------------------------------------------------------------

    def _agencies(self) -> dict[str, Agency]:
        known = {
            a.name.casefold(): a for a in Agency.objects.filter(partnership=self.partnership).select_related("parent")
        }
        for item in self.plan.agencies:
            agency = known.get(item.name.casefold())
            values = {key: value for key, value in item.values.items() if key != "active"}
            if item.parent is not None:
                values["parent"] = known[item.parent.casefold()]
            if agency is None:
                agency = Agency.objects.create(partnership=self.partnership, name=item.name, **values)
                known[item.name.casefold()] = agency
                self.audit(AuditAction.CREATE, agency, {})
                self.note(f"added agency {agency.name}")
            else:
                self.update(agency, values, f"agency {agency.name}")
            self._set_active(agency, item.values.get("active"), f"agency {agency.name}")
        return known

    def _set_active(self, obj: Any, active: bool | None, what: str) -> None:
        if active is None or active == (not obj.is_archived):
            return
        if active:
            obj.archived_at, obj.archived_by, obj.archive_reason = None, None, ""
            obj.save(update_fields=["archived_at", "archived_by", "archive_reason"])
            self.audit(AuditAction.UPDATE, obj, {"change": "reactivated"})
            self.note(f"{what}: made active again")
        else:
            if isinstance(obj, Team):
                from saferhub.accounts.administration import open_cases_owned_by

                if open_cases_owned_by(obj):
                    raise SetupFileError([f"{what}: still owns open cases; move them before setting active = false"])
            obj.archived_at = timezone.now()
            obj.archive_reason = "Retired by the set-up file"
            obj.save(update_fields=["archived_at", "archive_reason"])
            self.audit(AuditAction.ARCHIVE, obj, {"change": "retired"})
            self.note(f"{what}: retired (active = false)")

    def _teams(self, agencies: dict[str, Agency]) -> dict[str, Team]:
        """Teams by the key path of their table, for the duties."""
        by_path: dict[str, Team] = {}
        existing = {
            (t.agency_id, t.name): t for t in Team.objects.filter(partnership=self.partnership).select_related("agency")
        }
        for agency_plan in self.plan.agencies:
            agency = agencies[agency_plan.name.casefold()]
            for item in agency_plan.teams:
                team = existing.get((agency.pk, item.name))
                values = {key: value for key, value in item.values.items() if key != "active"}
                if team is None:
                    team = Team.objects.create(partnership=self.partnership, agency=agency, name=item.name, **values)
                    self.audit(AuditAction.CREATE, team, {})
                    self.note(f"added team {team.name} ({agency.name})")
                else:
                    self.update(team, values, f"team {team.name} ({agency.name})")
                self._set_active(team, item.values.get("active"), f"team {team.name} ({agency.name})")
                by_path[item.path] = team
        return by_path

    def _duties(self, teams: dict[str, Team]) -> None:
        for agency_plan in self.plan.agencies:
            for item in agency_plan.teams:
                team = teams[item.path]
                for code in item.duties:
                    if duties.assign(self.actor, self.partnership, code, team):
                        self.note(f"duty {code}: now held by {team.name} ({team.agency.name})")

    # Case types and panel types --------------------------------------------------------------------

    def _case_types(self) -> dict[str, CaseType]:
        known = {c.code: c for c in CaseType.objects.filter(partnership=self.partnership)}
        for item in self.plan.case_types:
            case_type = known.get(item.code)
            if case_type is None:
                case_type = CaseType.objects.create(partnership=self.partnership, code=item.code, **item.values)
                known[item.code] = case_type
                self.audit(AuditAction.CREATE, case_type, {})
                self.note(f"added case type {item.code} ({case_type.name})")
            else:
                self.update(case_type, item.values, f"case type {item.code}")
        return known

    def _panel_types(self, agencies: dict[str, Agency], case_types: dict[str, CaseType]) -> None:
        known = {p.code: p for p in PanelType.objects.filter(partnership=self.partnership)}
        for item in self.plan.panel_types:
            panel_type = known.get(item.code)
            values = dict(item.values)
            if item.case_type is not None:
                values["case_type"] = case_types[item.case_type]
            if panel_type is None:
                values.setdefault("kind", PanelKind.GENERAL)
                if "case_type" not in values:
                    values["case_type"] = ensure_case_type(self.partnership, item.code, values["name"], item.code)
                panel_type = PanelType.objects.create(partnership=self.partnership, code=item.code, **values)
                self.audit(AuditAction.CREATE, panel_type, {})
                self.note(f"added panel type {item.code} ({panel_type.name})")
            else:
                self.update(panel_type, values, f"panel type {item.code}")
            if item.member_agencies is not None:
                wanted = {agencies[name.casefold()].pk: agencies[name.casefold()] for name in item.member_agencies}
                current = set(panel_type.member_agencies.values_list("pk", flat=True))
                if current != set(wanted):
                    panel_type.member_agencies.set(wanted.values())
                    self.audit(
                        AuditAction.UPDATE,
                        panel_type,
                        {"changes": {"member_agencies": {"from": sorted(current), "to": sorted(wanted)}}},
                    )
                    names = sorted(a.name for a in wanted.values())
                    self.note(f"panel type {item.code}: member agencies now {', '.join(names) or 'none'}")
