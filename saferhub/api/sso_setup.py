"""The `[single_sign_on]` table of the set-up file: a partnership's OpenID Connect provider.

Checked like the rest of the file (every problem by key path, nothing written when any),
applied by `saferhub.api.actions.configure_single_sign_on` in the file's transaction, exported
with the partnership's set-up and shown on the Set-up page. The client secret itself is never
in the file nor in the database: the file names the environment variable holding it.
"""

import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from saferhub.accounts.models import Agency, Partnership
from saferhub.api.models import SingleSignOn, SsoDefaultRole
from saferhub.setup.setupfile.sections import Note, Problem, Section, register_section
from saferhub.setup.setupfile.validate import read_string

KEY = "single_sign_on"
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_endpoint")
KEYS = (
    "provider_name",
    "discovery_url",
    *ENDPOINTS,
    "client_id",
    "client_secret_env",
    "agency_claim",
    "agency_domains",
    "default_role",
    "create_users",
    "password_sign_in",
    "active",
)
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
ROLES = {"none": SsoDefaultRole.NONE.value, "caseworker": SsoDefaultRole.CASEWORKER.value}
SOURCE = "configure_partnership"


class _Check:
    def __init__(self, table: dict[str, Any], problem: Problem) -> None:
        self.table = table
        self.problem = problem

    def text(self, key: str, *, required: bool = False, max_length: int = 200) -> str | None:
        return read_string(self.table, key, f"{KEY}.{key}", self.problem, required=required, max_length=max_length)

    def boolean(self, key: str) -> bool | None:
        if key not in self.table:
            return None
        if not isinstance(self.table[key], bool):
            self.problem(f"{KEY}.{key}", "must be true or false (no quotes)")
            return None
        return bool(self.table[key])

    def url(self, key: str) -> str | None:
        value = self.text(key, max_length=500)
        if not value:
            return value
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            self.problem(f"{KEY}.{key}", f"'{value}' is not a web address: give the whole address, https://…")
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" and parts.hostname not in LOOPBACK:
            self.problem(
                f"{KEY}.{key}", "must start with https:// (plain http is accepted only for a provider on this machine)"
            )
            return None
        return value


def check(value: Any, partnership: Partnership | None, problem: Problem, *, agencies: set[str]) -> dict[str, Any]:
    """What `configure_single_sign_on` will set: field -> value; agency domains as domain -> agency name."""
    if not isinstance(value, dict):
        problem(KEY, f"must be a table, written [{KEY}]")
        return {}
    _unknown_keys(value, problem)
    read = _Check(value, problem)
    values: dict[str, Any] = {}
    _provider_name(read, values, partnership)
    _provider_address(read, values, problem)
    _client(read, values)
    _options(read, values, agencies)
    current = SingleSignOn.objects.filter(partnership=partnership).first() if partnership is not None else None
    _consistency(read, values, current)
    return values


def _unknown_keys(table: dict[str, Any], problem: Problem) -> None:
    for key in table:
        if key in KEYS:
            continue
        if "secret" in key:
            problem(
                f"{KEY}.{key}",
                "never put the client secret in the set-up file: put it in an environment variable of the "
                "server and give that variable's name as client_secret_env",
            )
        else:
            problem(f"{KEY}.{key}", f"unknown key (known keys here: {', '.join(KEYS)})")


def _provider_name(read: _Check, values: dict[str, Any], partnership: Partnership | None) -> None:
    name = read.text("provider_name", required=True, max_length=100)
    if not name:
        return
    values["provider_name"] = name
    others = SingleSignOn.objects.filter(provider_name__iexact=name)
    if partnership is not None:
        others = others.exclude(partnership=partnership)
    if others.exists():
        read.problem(
            f"{KEY}.provider_name",
            f"'{name}' is the provider name of another partnership: give a name people can tell apart "
            "on the sign-in page, e.g. with your partnership's name",
        )


def _client(read: _Check, values: dict[str, Any]) -> None:
    client_id = read.text("client_id", required=True)
    if client_id:
        values["client_id"] = client_id
    env = read.text("client_secret_env", required=True, max_length=100)
    if env and not ENV_NAME.match(env):
        read.problem(
            f"{KEY}.client_secret_env",
            "is not the name of an environment variable: use capital letters, digits and _ "
            "(e.g. NORTHWICK_OIDC_SECRET); the secret itself goes in that variable, never in the file",
        )
    elif env:
        values["client_secret_env"] = env


def _options(read: _Check, values: dict[str, Any], agencies: set[str]) -> None:
    claim = read.text("agency_claim", max_length=100)
    if claim is not None:
        values["agency_claim"] = claim
    domains = _agency_domains(read.table, read.problem, agencies)
    if domains is not None:
        values["agency_domains"] = domains
    role = read.text("default_role")
    if role in ROLES:
        values["default_role"] = ROLES[role]
    elif role is not None:
        read.problem(
            f"{KEY}.default_role",
            f"'{role}' is not one of none, caseworker: a user made by single sign-on gets a caseworker's role "
            "at most; give other roles on the Users pages",
        )
    for key in ("create_users", "password_sign_in", "active"):
        flag = read.boolean(key)
        if flag is not None:
            values[key] = flag


def _consistency(read: _Check, values: dict[str, Any], current: SingleSignOn | None) -> None:
    """Rules between fields, on what the partnership will have (the file's values, else the current ones)."""

    def final(key: str, default: Any) -> Any:
        return values[key] if key in values else getattr(current, key, default)

    listed = read.table.get("agency_domains")
    no_domains = listed == [] or (listed is None and not final("agency_domains", {}))
    if final("create_users", False) and no_domains:
        read.problem(
            f"{KEY}.create_users",
            "new users need an agency: list the agencies' e-mail domains in agency_domains "
            '(e.g. ["northwick.gov.example = Northwick Council"]), or set create_users = false',
        )
    if not final("password_sign_in", True) and not final("active", True):
        read.problem(
            f"{KEY}.password_sign_in",
            "cannot be false while single sign-on is switched off (active = false): no one could sign in",
        )


def _provider_address(read: _Check, values: dict[str, Any], problem: Problem) -> None:
    """The discovery document's address, or the four endpoints — one or the other."""
    discovery = read.url("discovery_url")
    given = {key: read.url(key) for key in ENDPOINTS if key in read.table}
    if "discovery_url" in read.table and given:
        problem(
            f"{KEY}.discovery_url",
            f"give the discovery address or the four endpoints, not both: remove {', '.join(given)} "
            "or remove discovery_url",
        )
        return
    if discovery:
        values["discovery_url"] = discovery
        values.update(dict.fromkeys(ENDPOINTS, ""))
        return
    if not given and "discovery_url" not in read.table:
        problem(
            KEY,
            "say where the provider is: discovery_url (its .well-known/openid-configuration address), "
            f"or all four of {', '.join(ENDPOINTS)}",
        )
        return
    missing = [key for key in ENDPOINTS if key not in given]
    if missing:
        problem(
            f"{KEY}.{missing[0]}",
            f"is required with the other endpoints (missing: {', '.join(missing)}); or give discovery_url instead",
        )
        return
    if all(given.values()):
        values["discovery_url"] = ""
        values.update(given)


def _agency_domains(table: dict[str, Any], problem: Problem, agencies: set[str]) -> dict[str, str] | None:
    if "agency_domains" not in table:
        return None
    value = table["agency_domains"]
    where = f"{KEY}.agency_domains"
    if not isinstance(value, list):
        problem(where, 'must be a list, e.g. ["northwick.gov.example = Northwick Council"]')
        return None
    result: dict[str, str] = {}
    for index, item in enumerate(value):
        if not isinstance(item, str) or "=" not in item:
            problem(f"{where}[{index}]", 'must be "e-mail domain = agency name" in quotes')
            continue
        domain, agency = (part.strip() for part in item.split("=", 1))
        domain = domain.lower().removeprefix("@")
        if not DOMAIN.match(domain):
            problem(f"{where}[{index}]", f"'{domain}' is not an e-mail domain (like northwick.gov.example)")
        elif domain in result:
            problem(f"{where}[{index}]", f"'{domain}' is listed twice: give each domain one agency")
        elif agency.casefold() not in agencies:
            problem(
                f"{where}[{index}]",
                f"unknown agency '{agency}': name it in an [[agencies]] table, or use an agency the partnership has",
            )
        else:
            result[domain] = agency
    return result


def apply(values: dict[str, Any], partnership: Partnership, actor: Any, note: Note) -> None:
    from saferhub.api.actions import configure_single_sign_on

    for line in configure_single_sign_on(actor, partnership, values, source=SOURCE):
        note(line)


def _agency_names(partnership: Partnership, domains: dict[str, int]) -> dict[str, str]:
    names = dict(Agency.objects.filter(partnership=partnership, pk__in=domains.values()).values_list("pk", "name"))
    return {domain: names[pk] for domain, pk in sorted(domains.items()) if pk in names}


def export(partnership: Partnership) -> dict[str, Any]:
    row = SingleSignOn.objects.filter(partnership=partnership).first()
    if row is None:
        return {}
    data: dict[str, Any] = {"provider_name": row.provider_name}
    if row.discovery_url:
        data["discovery_url"] = row.discovery_url
    else:
        data.update({key: getattr(row, key) for key in ENDPOINTS})
    data["client_id"] = row.client_id
    data["client_secret_env"] = row.client_secret_env
    if row.agency_claim:
        data["agency_claim"] = row.agency_claim
    domains = _agency_names(partnership, row.agency_domains or {})
    if domains:
        data["agency_domains"] = [f"{domain} = {name}" for domain, name in domains.items()]
    data["default_role"] = "caseworker" if row.default_role else "none"
    data["create_users"] = row.create_users
    data["password_sign_in"] = row.password_sign_in
    if not row.active:
        data["active"] = False
    return data


@dataclass(frozen=True)
class Summary:
    """The Set-up page's read-only view of the partnership's single sign-on."""

    row: SingleSignOn
    agency_domains: dict[str, str]

    @property
    def secret_is_set(self) -> bool:
        return bool(os.environ.get(self.row.client_secret_env))

    @property
    def default_role_label(self) -> str:
        return "Caseworker" if self.row.default_role else "None"


def summary(partnership: Partnership) -> Summary | None:
    row = SingleSignOn.objects.filter(partnership=partnership).first()
    if row is None:
        return None
    return Summary(row, _agency_names(partnership, row.agency_domains or {}))


def register() -> None:
    register_section(Section(KEY, check, apply, export, knows_agencies=True))
