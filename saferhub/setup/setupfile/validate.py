"""Reading and checking a partnership set-up file (TOML) into a plan, before anything is written.

Every problem is collected with its key path (``agencies[2].teams[0].duties[1]: …``) so one
run names them all; a file with any problem is never applied.
"""

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug

from saferhub.accounts import duties
from saferhub.accounts.models import Agency, AgencyKind, Partnership
from saferhub.cases.models import CaseType
from saferhub.panels.models import REVIEW_INTERVAL_MAX, SUMMARY_DAYS_MAX, Cadence, PanelKind, PanelType
from saferhub.setup.setupfile.sections import sections

# Local authority codes: England (unitary, district, metropolitan, London borough), Wales, Scotland,
# Northern Ireland.
LOCAL_AUTHORITY_CODE = re.compile(r"^(E06|E07|E08|E09|W06|S12|N09)\d{6}$")
PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
SUMMARY_DAYS = (0, SUMMARY_DAYS_MAX)
REVIEW_DAYS = (1, REVIEW_INTERVAL_MAX)

TOP_KEYS = ("partnership", "agencies", "case_types", "panel_types")
PARTNERSHIP_KEYS = ("slug", "name", "areas", "peer_group")
AGENCY_KEYS = ("name", "kind", "parent", "active", "teams")
TEAM_KEYS = ("name", "duties", "email", "accepts_referrals", "active")
CASE_TYPE_KEYS = ("code", "name", "prefix", "active")
PANEL_TYPE_KEYS = (
    "code",
    "name",
    "kind",
    "cadence",
    "criteria",
    "assessment_template",
    "case_type",
    "member_agencies",
    "summary_days_before",
    "summary_days_after",
    "review_interval_days",
    "active",
)


@dataclass
class TeamPlan:
    path: str
    name: str
    values: dict[str, Any]
    duties: list[str]


@dataclass
class AgencyPlan:
    path: str
    name: str
    values: dict[str, Any]  # kind, active; parent is kept apart (a name)
    parent: str | None
    teams: list[TeamPlan]


@dataclass
class CaseTypePlan:
    path: str
    code: str
    values: dict[str, Any]


@dataclass
class PanelTypePlan:
    path: str
    code: str
    values: dict[str, Any]
    case_type: str | None
    member_agencies: list[str] | None


@dataclass
class Plan:
    slug: str
    partnership: dict[str, Any]
    agencies: list[AgencyPlan] = field(default_factory=list)
    case_types: list[CaseTypePlan] = field(default_factory=list)
    panel_types: list[PanelTypePlan] = field(default_factory=list)
    # Tables modules registered (setupfile.sections): key -> what their check returned.
    sections: dict[str, Any] = field(default_factory=dict)


class SetupFileError(Exception):
    """The file cannot be applied; `problems` lists every one, each starting with its key path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_string(
    table: dict[str, Any],
    key: str,
    where: str,
    problem: Callable[[str, str], None],
    *,
    required: bool = False,
    max_length: int = 200,
) -> str | None:
    """A quoted string of the set-up file, stripped; a problem named by `where` otherwise."""
    if key not in table:
        if required:
            problem(where, "is required")
        return None
    value = table[key]
    if not isinstance(value, str):
        problem(where, "must be a string in quotes")
        return None
    value = value.strip()
    if required and not value:
        problem(where, "must not be blank")
        return None
    if len(value) > max_length:
        problem(where, f"is {len(value)} characters long: use {max_length} or fewer")
        return None
    return value


class _Reader:
    """Type checks on one table, recording problems by key path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def keys(self, table: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                self.problem(where, f"unknown key (known keys here: {', '.join(allowed)})")

    def table(self, value: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, "must be a table")
            return None
        return value

    def tables(self, parent: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
        value = parent.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(path, f"must be an array of tables, written [[{key}]]")
            return []
        return value

    def string(
        self, table: dict[str, Any], key: str, path: str, *, required: bool = False, max_length: int = 200
    ) -> str | None:
        return read_string(table, key, f"{path}.{key}", self.problem, required=required, max_length=max_length)

    def slug(self, table: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = self.string(table, key, path, required=required, max_length=50)
        if value:
            try:
                validate_slug(value)
            except ValidationError:
                self.problem(f"{path}.{key}", f"'{value}' is not a code: use letters, numbers, _ and - only")
                return None
        return value

    def choice(self, table: dict[str, Any], key: str, path: str, choices: list[str]) -> str | None:
        value = self.string(table, key, path)
        if value is not None and value not in choices:
            self.problem(f"{path}.{key}", f"'{value}' is not one of {', '.join(choices)}")
            return None
        return value

    def boolean(self, table: dict[str, Any], key: str, path: str) -> bool | None:
        if key not in table:
            return None
        if not isinstance(table[key], bool):
            self.problem(f"{path}.{key}", "must be true or false (no quotes)")
            return None
        return bool(table[key])

    def integer(self, table: dict[str, Any], key: str, path: str, bounds: tuple[int, int]) -> int | None:
        if key not in table:
            return None
        value = table[key]
        low, high = bounds
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{path}.{key}", "must be a whole number (no quotes)")
            return None
        if not low <= value <= high:
            self.problem(f"{path}.{key}", f"{value} is out of range: use a whole number from {low} to {high}")
            return None
        return value

    def strings(self, table: dict[str, Any], key: str, path: str) -> list[str] | None:
        """A list of distinct strings; problems name the item, e.g. `areas[1]`."""
        if key not in table:
            return None
        value = table[key]
        where = f"{path}.{key}" if path else key
        if not isinstance(value, list):
            self.problem(where, 'must be a list, e.g. ["a", "b"]')
            return None
        result: list[str] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem(f"{where}[{index}]", "must be a string in quotes, not blank")
                continue
            item = item.strip()
            if item.casefold() in seen:
                self.problem(f"{where}[{index}]", f"'{item}' is listed twice (also at [{seen[item.casefold()]}])")
                continue
            seen[item.casefold()] = index
            result.append(item)
        return result


def load(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SetupFileError([f"the file is not valid TOML: {error}"]) from None


def identity(data: dict[str, Any]) -> tuple[str, str]:
    """The slug and name the file gives its partnership ('' where missing or not a string)."""
    table = data.get("partnership")
    if not isinstance(table, dict):
        return "", ""
    slug, name = table.get("slug"), table.get("name")
    return (slug.strip() if isinstance(slug, str) else "", name.strip() if isinstance(name, str) else "")


def check(data: dict[str, Any], partnership: Partnership | None) -> Plan:
    """The plan of a set-up file against the partnership as it is (None: it cannot be created).

    A new partnership is created before the check (in the caller's transaction, rolled back
    on any problem) so that what every partnership starts with is known to it.
    Raises SetupFileError naming every problem.
    """
    return _Checker(data, partnership).plan()


class _Checker:
    def __init__(self, data: dict[str, Any], partnership: Partnership | None) -> None:
        self.data = data
        self.problems: list[str] = []
        self.read = _Reader(self.problems)
        self.existing = partnership

    def plan(self) -> Plan:
        extra = {section.key: section for section in sections()}
        self.read.keys(self.data, "", TOP_KEYS + tuple(extra))
        plan = self._partnership()
        if plan is not None:
            plan.agencies = self._agencies()
            plan.case_types = self._case_types()
            plan.panel_types = self._panel_types(plan)
            self._check_agency_tree(plan)
            self._check_duties(plan)
            self._check_prefixes(plan)
            for key, section in extra.items():
                if key not in self.data:
                    continue
                if section.knows_agencies:
                    plan.sections[key] = section.check(
                        self.data[key], self.existing, self.read.problem, agencies=self._agency_names(plan)
                    )
                else:
                    plan.sections[key] = section.check(self.data[key], self.existing, self.read.problem)
        if plan is None or self.problems:
            raise SetupFileError(self.problems)
        return plan

    # [partnership] -----------------------------------------------------------------------------

    def _partnership(self) -> Plan | None:
        if "partnership" not in self.data:
            self.read.problem("partnership", "is required: a [partnership] table with its slug and name")
            return None
        table = self.read.table(self.data["partnership"], "partnership")
        if table is None:
            return None
        self.read.keys(table, "partnership", PARTNERSHIP_KEYS)
        slug = self.read.slug(table, "slug", "partnership", required=True)
        values: dict[str, Any] = {}
        name = self.read.string(table, "name", "partnership", max_length=200)
        if name:
            values["name"] = name
        elif self.existing is None and "name" not in table:
            self.read.problem("partnership.name", "is required for a new partnership")
        areas = self._area_codes(table, "areas")
        peers = self._area_codes(table, "peer_group")
        if areas is not None:
            values["areas"] = areas
        if peers is not None:
            values["peer_group"] = peers
            own = set(areas if areas is not None else (self.existing.areas if self.existing else []))
            for index, code in enumerate(peers):
                if code in own:
                    self.read.problem(
                        f"partnership.peer_group[{index}]", f"{code} is one of the partnership's own areas"
                    )
        return Plan(slug=slug or "", partnership=values)

    def _area_codes(self, table: dict[str, Any], key: str) -> list[str] | None:
        codes = self.read.strings(table, key, "partnership")
        if codes is None:
            return None
        for index, code in enumerate(codes):
            if not LOCAL_AUTHORITY_CODE.match(code):
                self.read.problem(
                    f"partnership.{key}[{index}]",
                    f"'{code}' is not the ONS code of a local authority (like E09000003)",
                )
        return codes

    # [[agencies]] and their [[agencies.teams]] ------------------------------------------------------

    def _agencies(self) -> list[AgencyPlan]:
        result: list[AgencyPlan] = []
        seen: dict[str, str] = {}
        for index, table in enumerate(self.read.tables(self.data, "agencies", "agencies")):
            path = f"agencies[{index}]"
            self.read.keys(table, path, AGENCY_KEYS)
            name = self.read.string(table, "name", path, required=True)
            values: dict[str, Any] = {}
            kind = self.read.choice(table, "kind", path, list(AgencyKind.values))
            if kind is not None:
                values["kind"] = kind
            active = self.read.boolean(table, "active", path)
            if active is not None:
                values["active"] = active
            parent = self.read.string(table, "parent", path)
            teams = self._teams(table, path)
            if not name:
                continue
            if name.casefold() in seen:
                self.read.problem(f"{path}.name", f"'{name}' is already named at {seen[name.casefold()]}")
                continue
            if parent is not None and parent.casefold() == name.casefold():
                self.read.problem(f"{path}.parent", "an agency cannot be its own parent")
                parent = None
            elif parent is not None and parent.casefold() not in seen and not self._agency_exists(parent):
                self.read.problem(
                    f"{path}.parent", f"unknown agency '{parent}': name it in an earlier [[agencies]] table"
                )
                parent = None
            seen[name.casefold()] = path
            result.append(AgencyPlan(path, name, values, parent, teams))
        return result

    def _agency_names(self, plan: Plan) -> set[str]:
        """The agencies (case-folded names) the file names and the partnership already has."""
        names = {item.name.casefold() for item in plan.agencies}
        if self.existing is not None:
            names |= {
                n.casefold() for n in Agency.objects.filter(partnership=self.existing).values_list("name", flat=True)
            }
        return names

    def _agency_exists(self, name: str) -> bool:
        return (
            self.existing is not None and Agency.objects.filter(partnership=self.existing, name__iexact=name).exists()
        )

    def _teams(self, agency: dict[str, Any], agency_path: str) -> list[TeamPlan]:
        result: list[TeamPlan] = []
        seen: dict[str, str] = {}
        for index, table in enumerate(self.read.tables(agency, "teams", f"{agency_path}.teams")):
            path = f"{agency_path}.teams[{index}]"
            self.read.keys(table, path, TEAM_KEYS)
            name = self.read.string(table, "name", path, required=True)
            values: dict[str, Any] = {}
            email = self.read.string(table, "email", path, max_length=254)
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.read.problem(f"{path}.email", f"'{email}' is not an e-mail address")
                values["email"] = email
            elif email == "":
                values["email"] = ""
            for key in ("accepts_referrals", "active"):
                flag = self.read.boolean(table, key, path)
                if flag is not None:
                    values[key] = flag
            team_duties = self.read.strings(table, "duties", path) or []
            if not name:
                continue
            if name in seen:
                self.read.problem(f"{path}.name", f"'{name}' is already named at {seen[name]}")
                continue
            seen[name] = path
            result.append(TeamPlan(path, name, values, team_duties))
        return result

    # [[case_types]] --------------------------------------------------------------------------------

    def _case_types(self) -> list[CaseTypePlan]:
        result: list[CaseTypePlan] = []
        seen: dict[str, str] = {}
        for index, table in enumerate(self.read.tables(self.data, "case_types", "case_types")):
            path = f"case_types[{index}]"
            self.read.keys(table, path, CASE_TYPE_KEYS)
            code = self.read.slug(table, "code", path, required=True)
            values = self._case_type_values(table, path)
            if not code:
                continue
            if code in seen:
                self.read.problem(f"{path}.code", f"'{code}' is already at {seen[code]}")
                continue
            seen[code] = path
            if not self._case_type_exists(code):
                for key in ("name", "prefix"):
                    if key not in table:
                        self.read.problem(f"{path}.{key}", f"is required for a new case type ('{code}' is new)")
            result.append(CaseTypePlan(path, code, values))
        return result

    def _case_type_values(self, table: dict[str, Any], path: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        name = self.read.string(table, "name", path, max_length=100)
        if name:
            values["name"] = name
        prefix = self.read.string(table, "prefix", path, max_length=10)
        if prefix is not None:
            if PREFIX.match(prefix):
                values["prefix"] = prefix
            else:
                self.read.problem(f"{path}.prefix", f"'{prefix}' must be capital letters and digits, e.g. VCH")
        active = self.read.boolean(table, "active", path)
        if active is not None:
            values["active"] = active
        return values

    def _case_type_exists(self, code: str) -> bool:
        return self.existing is not None and CaseType.objects.filter(partnership=self.existing, code=code).exists()

    def _check_prefixes(self, plan: Plan) -> None:
        """A prefix names one case type: the file's and the ones already there must not collide."""
        final: dict[str, str] = {}
        if self.existing is not None:
            final = dict(CaseType.objects.filter(partnership=self.existing).values_list("code", "prefix"))
        for case_type in plan.case_types:
            if "prefix" in case_type.values:
                final[case_type.code] = case_type.values["prefix"]
        owners: dict[str, str] = {}
        for code, prefix in sorted(final.items()):
            owners.setdefault(prefix, code)
        for case_type in plan.case_types:
            wanted = case_type.values.get("prefix")
            if wanted and owners[wanted] != case_type.code:
                self.read.problem(
                    f"{case_type.path}.prefix", f"'{wanted}' is the prefix of case type '{owners[wanted]}'"
                )

    # [[panel_types]] -------------------------------------------------------------------------------

    def _panel_types(self, plan: Plan) -> list[PanelTypePlan]:
        result: list[PanelTypePlan] = []
        seen: dict[str, str] = {}
        existing = {}
        if self.existing is not None:
            existing = {
                p.code: p for p in PanelType.objects.filter(partnership=self.existing).select_related("case_type")
            }
        for index, table in enumerate(self.read.tables(self.data, "panel_types", "panel_types")):
            path = f"panel_types[{index}]"
            self.read.keys(table, path, PANEL_TYPE_KEYS)
            code = self.read.slug(table, "code", path, required=True)
            values = self._panel_values(table, path)
            case_type = self.read.slug(table, "case_type", path)
            members = self.read.strings(table, "member_agencies", path)
            if not code:
                continue
            if code in seen:
                self.read.problem(f"{path}.code", f"'{code}' is already at {seen[code]}")
                continue
            seen[code] = path
            current = existing.get(code)
            if current is None and "name" not in table:
                self.read.problem(f"{path}.name", f"is required for a new panel type ('{code}' is new)")
            if case_type:
                self._check_panel_case_type(plan, path, case_type, current)
            kind = values.get("kind")
            if current is not None and kind and kind != current.kind and current.referrals.exists():
                # Past referrals recorded the details their kind asked for.
                self.read.problem(
                    f"{path}.kind", f"{current.name} already has referrals: its kind stays '{current.kind}'"
                )
            if members is not None:
                self._check_members(plan, path, members)
            result.append(PanelTypePlan(path, code, values, case_type or None, members))
        return result

    def _panel_values(self, table: dict[str, Any], path: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, field_name, length in (("name", "name", 200), ("criteria", "referral_criteria", 5000)):
            text = self.read.string(table, key, path, max_length=length)
            if text is not None:
                values[field_name] = text
        if "name" in table and values.get("name") == "":
            self.read.problem(f"{path}.name", "must not be blank")
        for key, choices in (("kind", PanelKind.values), ("cadence", Cadence.values)):
            picked = self.read.choice(table, key, path, list(choices))
            if picked is not None:
                values[key] = picked
        template = self._template(table, path)
        if template is not None:
            values["assessment_template_code"] = template
        for key, bounds in (
            ("summary_days_before", SUMMARY_DAYS),
            ("summary_days_after", SUMMARY_DAYS),
            ("review_interval_days", REVIEW_DAYS),
        ):
            number = self.read.integer(table, key, path, bounds)
            if number is not None:
                values[key] = number
        active = self.read.boolean(table, "active", path)
        if active is not None:
            values["active"] = active
        return values

    def _template(self, table: dict[str, Any], path: str) -> str | None:
        template = self.read.slug(table, "assessment_template", path)
        known = self._template_codes() if template else set()
        if template and template not in known:
            self.read.problem(
                f"{path}.assessment_template",
                f"unknown assessment template '{template}' (known: {', '.join(sorted(known))})",
            )
        return template

    def _check_panel_case_type(self, plan: Plan, path: str, case_type: str, current: PanelType | None) -> None:
        known = {c.code for c in plan.case_types} | self._case_type_codes()
        if case_type not in known:
            self.read.problem(
                f"{path}.case_type", f"unknown case type '{case_type}': add it under [[case_types]] first"
            )
        elif current is not None and current.case_type.code != case_type and current.cases.exists():
            self.read.problem(
                f"{path}.case_type",
                f"{current.name} already has cases of type '{current.case_type.code}': its case type stays",
            )

    def _check_members(self, plan: Plan, path: str, members: list[str]) -> None:
        file_agencies = {a.name.casefold() for a in plan.agencies}
        for index, member in enumerate(members):
            if member.casefold() not in file_agencies and not self._agency_exists(member):
                self.read.problem(
                    f"{path}.member_agencies[{index}]", f"unknown agency '{member}': name it under [[agencies]]"
                )

    def _template_codes(self) -> set[str]:
        if not hasattr(self, "_templates"):
            from saferhub.assessments.definitions import load_definitions
            from saferhub.assessments.models import AssessmentTemplate

            codes = {definition["code"] for definition in load_definitions()}
            if self.existing is not None:
                codes |= set(
                    AssessmentTemplate.objects.filter(partnership=self.existing).values_list("code", flat=True)
                )
            self._templates = codes
        return self._templates

    def _case_type_codes(self) -> set[str]:
        if self.existing is None:
            return set()
        return set(CaseType.objects.filter(partnership=self.existing).values_list("code", flat=True))

    # Across tables -----------------------------------------------------------------------------------

    def _check_agency_tree(self, plan: Plan) -> None:
        """The parents after the change must not loop (an existing agency may be re-parented)."""
        parents: dict[str, str | None] = {}
        if self.existing is not None:
            for name, parent in Agency.objects.filter(partnership=self.existing).values_list("name", "parent__name"):
                parents[name.casefold()] = parent.casefold() if parent else None
        for agency in plan.agencies:
            if agency.parent is not None:
                parents[agency.name.casefold()] = agency.parent.casefold()
        for agency in plan.agencies:
            node, seen = parents.get(agency.name.casefold()), {agency.name.casefold()}
            while node is not None:
                if node in seen:
                    self.read.problem(
                        f"{agency.path}.parent", f"'{agency.parent}' would sit under {agency.name}: parents loop"
                    )
                    break
                seen.add(node)
                node = parents.get(node)

    def _check_duties(self, plan: Plan) -> None:
        """Every duty is known, its argument exists, and no two teams of the file hold the same duty."""
        declared: dict[str, set[str]] = {
            "panel": {p.code for p in plan.panel_types if p.values.get("active", True)},
        }
        inactive = {p.code for p in plan.panel_types if p.values.get("active") is False}
        holders_cache: dict[str, set[str]] = {}
        given: dict[str, str] = {}
        for agency in plan.agencies:
            for team in agency.teams:
                for index, code in enumerate(team.duties):
                    where = f"{team.path}.duties[{index}]"
                    try:
                        kind, argument = duties.split_code(code)
                    except duties.UnknownDuty as error:
                        self.read.problem(where, str(error))
                        continue
                    if kind.takes_argument:
                        if kind.name not in holders_cache:
                            holders_cache[kind.name] = (
                                set(kind.holders(self.existing)) if self.existing is not None else set()
                            )
                        known = (holders_cache[kind.name] | declared.get(kind.name, set())) - (
                            inactive if kind.name == "panel" else set()
                        )
                        if argument not in known:
                            self.read.problem(
                                where,
                                f"unknown duty '{code}': there is no active {kind.argument_noun} '{argument}' "
                                f"(known: {', '.join(sorted(known)) or 'none'})",
                            )
                            continue
                    if code in given:
                        self.read.problem(where, f"duty '{code}' is already given to {given[code]}: one team holds it")
                        continue
                    given[code] = team.path
