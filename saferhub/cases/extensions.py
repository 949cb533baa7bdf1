"""How subject modules add to the case page without the cases app knowing them.

A module registers a function ``(case, user, access) -> list[(label, url)]`` from its
AppConfig.ready(); the case page shows the links it returns under "Module records".
Functions must run a fixed number of queries (usually none or one).
"""

from collections.abc import Callable
from typing import Any

CaseLinkProvider = Callable[[Any, Any, Any], list[tuple[str, str]]]

_PROVIDERS: list[CaseLinkProvider] = []


def register_case_links(provider: CaseLinkProvider) -> CaseLinkProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def case_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for provider in _PROVIDERS:
        links.extend(provider(case, user, access))
    return links
