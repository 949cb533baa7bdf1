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


# Modules that keep a state of their own derived from a referral's decision or a case's
# status (the hub's "awaiting first contact") register a function here from their
# AppConfig.ready(). The cases actions call it explicitly, inside their own transaction,
# after the change is saved: the state commits or rolls back with the change.
ChangeHook = Callable[[Any], None]

_REFERRAL_DECIDED: list[ChangeHook] = []
_CASE_STATUS_CHANGED: list[ChangeHook] = []


def register_referral_decided(hook: ChangeHook) -> ChangeHook:
    """`hook(referral)` runs after a referral is accepted, declined or redirected."""
    if hook not in _REFERRAL_DECIDED:
        _REFERRAL_DECIDED.append(hook)
    return hook


def register_case_status_changed(hook: ChangeHook) -> ChangeHook:
    """`hook(case)` runs after a case's status changes (closed, reopened, put on hold)."""
    if hook not in _CASE_STATUS_CHANGED:
        _CASE_STATUS_CHANGED.append(hook)
    return hook


def referral_decided(referral: Any) -> None:
    for hook in _REFERRAL_DECIDED:
        hook(referral)


def case_status_changed(case: Any) -> None:
    for hook in _CASE_STATUS_CHANGED:
        hook(case)


# Modules that tell others of a change (the API's webhooks) register here too; the hooks run
# inside the action's transaction and must only write rows or schedule work on commit.
_REFERRAL_RECEIVED: list[ChangeHook] = []
_CASE_SHARED: list[ChangeHook] = []


def register_referral_received(hook: ChangeHook) -> ChangeHook:
    """`hook(referral)` runs after a referral is made (or redirected: the onward one)."""
    if hook not in _REFERRAL_RECEIVED:
        _REFERRAL_RECEIVED.append(hook)
    return hook


def register_case_shared(hook: ChangeHook) -> ChangeHook:
    """`hook(share)` runs after a case is shared with an agency or team."""
    if hook not in _CASE_SHARED:
        _CASE_SHARED.append(hook)
    return hook


def referral_received(referral: Any) -> None:
    for hook in _REFERRAL_RECEIVED:
        hook(referral)


def case_shared(share: Any) -> None:
    for hook in _CASE_SHARED:
        hook(share)
