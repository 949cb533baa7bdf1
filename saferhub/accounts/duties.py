"""Team duties: which team of a partnership does a job that records need an owner for.

A duty is named by a code: `victim_hub`, `asb_desk`, `panel:da_marac` … Each
module that needs an owning team registers a `DutyKind` from its
``AppConfig.ready()`` and keeps the assignment in its own model (the hub
configuration, the ASB desk, the panel type's coordinating team), so the set-up
file, the set-up pages and the imports know every duty without knowing the
modules. A kind with an argument (``panel``) has one duty per argument (one per
panel type); the others have exactly one.

Each duty is held by at most one team; giving it to another team moves it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from saferhub.accounts.models import Partnership, Team

# holders(partnership) -> {argument: (label, team or None)} for the duties the partnership needs now
# (a kind with an argument lists its active arguments); "" is the argument of a kind without one.
Holders = Callable[["Partnership"], dict[str, tuple[str, "Team | None"]]]
# assign(actor, partnership, argument, team, request): one audited change, in a transaction; raises
# UnknownDuty when the argument names nothing.
Assign = Callable[[Any, "Partnership", str, "Team", "HttpRequest | None"], None]


@dataclass(frozen=True)
class DutyKind:
    name: str
    label: str
    description: str
    holders: Holders
    assign: Assign
    # What the argument names (e.g. "panel type"), for messages.
    argument_noun: str = ""

    @property
    def takes_argument(self) -> bool:
        return bool(self.argument_noun)


@dataclass(frozen=True)
class Duty:
    """One duty of one partnership and the team that holds it (None: nobody yet)."""

    code: str
    label: str
    description: str
    team: "Team | None"


class UnknownDuty(LookupError):
    pass


_KINDS: dict[str, DutyKind] = {}


def register_duty(kind: DutyKind) -> DutyKind:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing.holders is not kind.holders:
        raise ValueError(f"Duty '{kind.name}' is already registered.")
    _KINDS[kind.name] = kind
    return kind


def duty_kinds() -> list[DutyKind]:
    return list(_KINDS.values())


def split_code(code: str) -> tuple[DutyKind, str]:
    """The kind and argument of a duty code; raises UnknownDuty with a message naming the known duties."""
    name, _, argument = code.partition(":")
    kind = _KINDS.get(name)
    if kind is None or kind.takes_argument != bool(argument) or (":" in code and not argument):
        raise UnknownDuty(f"unknown duty '{code}' (known: {', '.join(known_patterns())})")
    return kind, argument


def known_patterns() -> list[str]:
    return [
        f"{kind.name}:<{kind.argument_noun.replace(' ', '_')}>" if kind.takes_argument else kind.name
        for kind in _KINDS.values()
    ]


def make_code(kind: DutyKind, argument: str = "") -> str:
    return f"{kind.name}:{argument}" if kind.takes_argument else kind.name


def duties_of(partnership: "Partnership") -> list[Duty]:
    """Every duty the partnership has, in registration order (arguments sorted), with its holder."""
    result = []
    for kind in _KINDS.values():
        for argument, (label, team) in sorted(kind.holders(partnership).items()):
            result.append(Duty(make_code(kind, argument), label, kind.description, team))
    return result


def holder(partnership: "Partnership", code: str) -> "Team | None":
    kind, argument = split_code(code)
    return kind.holders(partnership).get(argument, ("", None))[1]


def assign(
    actor: Any, partnership: "Partnership", code: str, team: "Team", request: "HttpRequest | None" = None
) -> bool:
    """Give the duty to the team; False when it already holds it (nothing written)."""
    kind, argument = split_code(code)
    if team.partnership_id != partnership.pk:
        raise ValueError("The team is not part of the partnership.")
    held_by = kind.holders(partnership).get(argument, ("", None))[1]
    if held_by is not None and held_by.pk == team.pk:
        return False
    kind.assign(actor, partnership, argument, team, request)
    return True


def missing_message(code: str, what: str) -> str:
    """The import/page message when no team holds a duty: names the duty and where it is given."""
    return (
        f"no team holds the duty '{code}' ({what}): a partnership administrator gives it to a team on the "
        "Set-up page (Administration, Set-up) or in the set-up file (manage.py configure_partnership)"
    )
