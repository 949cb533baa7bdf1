"""How another module's cases take part in panels without the panels app knowing the module.

A module whose cases a panel type reviews (IOM's cohort review: the panel's case type is
`iom`, and each case belongs to a cohort stay) registers, from its AppConfig.ready():

- a **case source** ``(user, panel_type, person) -> PanelCase | None``: the panel case a
  referral of that person joins, instead of a new case (it may raise ``PanelError`` to refuse);
  ``None`` lets the panel open a case of its own as usual;
- a **keeper** ``(case) -> bool``: True when the module's own record keeps the case open, so a
  panel outcome "Closed" ends the reviews without closing the case;
- **agenda details** ``(hearings) -> {hearing pk: [(label, value), ...]}``: a few facts the
  meeting page shows under a listed person (a fixed number of queries for the whole agenda).
"""

from collections.abc import Callable, Iterable
from typing import Any

CaseSource = Callable[[Any, Any, Any], Any]
Keeper = Callable[[Any], bool]
AgendaDetails = Callable[[list[Any]], dict[int, list[tuple[str, str]]]]

_SOURCES: list[CaseSource] = []
_KEEPERS: list[Keeper] = []
_DETAILS: list[AgendaDetails] = []


def register_case_source(source: CaseSource) -> CaseSource:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def register_case_keeper(keeper: Keeper) -> Keeper:
    if keeper not in _KEEPERS:
        _KEEPERS.append(keeper)
    return keeper


def register_agenda_details(details: AgendaDetails) -> AgendaDetails:
    if details not in _DETAILS:
        _DETAILS.append(details)
    return details


def module_panel_case(user: Any, panel_type: Any, person: Any) -> Any:
    """The panel case a module gives for this referral, or None (the panel opens its own)."""
    for source in _SOURCES:
        found = source(user, panel_type, person)
        if found is not None:
            return found
    return None


def kept_open(case: Any) -> bool:
    return any(keeper(case) for keeper in _KEEPERS)


def agenda_details(hearings: Iterable[Any]) -> dict[int, list[tuple[str, str]]]:
    rows = list(hearings)
    found: dict[int, list[tuple[str, str]]] = {}
    if not rows:
        return found
    for details in _DETAILS:
        for pk, items in details(rows).items():
            found.setdefault(pk, []).extend(items)
    return found
