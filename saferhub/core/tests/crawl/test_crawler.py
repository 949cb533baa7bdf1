"""The crawler: every URL pattern, as every role of two partnerships, for objects the user must not see.

World (`world.py`, built once for this package): partnership A is the demo (every role, objects
of every kind, a restricted case), partnership B has two agencies and one user of every role.

Targets, and who must not see them:
- every kind of object of A, for every user of B;
- A's restricted case (and what hangs off it), for every user of A not named on it;
- a police case of A, never shared, for a user of every role outside the police.

THE RULE. For such a user, a URL naming the object answers exactly as the same URL naming an
object that does not exist: 404, or 403 / 405 / a redirect when the page is refused by role or
method BEFORE any lookup (so the answer does not depend on the object, and reveals nothing).
The response never contains the object's identifying text (partnership, names, references,
titles), and the request writes nothing about the object to the audit trail but a refusal.
Listings (every URL without parameters) never show it either.

Every URL pattern with parameters must be in FILL (how to name an object of each kind in it) or
in NOT_OBJECT_SCOPED (why no object can be named): a new pattern fails this test until registered.
"""

from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.core.tests.crawl.world import FILL, MISSING_ID, MISSING_REFERENCE, NOT_OBJECT_SCOPED, url_patterns

pytestmark = [pytest.mark.django_db, pytest.mark.crawler]

# 401: the API's answer to a request without credentials, the same for a missing object.
REFUSALS = {302, 401, 403, 404, 405}

# Pages that name an object a user may not see on purpose, within its partnership, and why.
DESIGNED_WAY_IN = {
    "cases:break-glass": "emergency access: any caseworker of the partnership may ask for an unrestricted case, "
    "giving a reason; the grant is flagged for review",
    "retention:erase": "the retention reviewer is shown any case of the partnership by reference, to erase it when "
    "due (policy.get_case_for_erasure); the page shows no personal data",
}

# Listings not crawled: signing out would end the crawler's session.
NOT_CRAWLED = {"accounts:sign-out"}
# The audit trail names every object touched, restricted or not: that is what the auditor is for.
AUDIT_TRAIL = {"audit:events", "audit:export", "audit:break-glass"}


# The crawl ------------------------------------------------------------------------------------


def test_every_pattern_with_parameters_is_registered():
    parametrised = {
        name for name, pattern in url_patterns() if pattern.pattern.converters or "<" in str(pattern.pattern)
    }
    unknown = parametrised - set(FILL) - set(NOT_OBJECT_SCOPED)
    assert not unknown, f"Register how to fill these URL patterns in FILL (or why not in NOT_OBJECT_SCOPED): {unknown}"
    stale = (set(FILL) | set(NOT_OBJECT_SCOPED)) - parametrised
    assert not stale, f"No such URL patterns any more: {stale}"


def _missing(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same URL naming objects that do not exist (list and template names stay: they are not objects)."""
    return {
        key: MISSING_ID if isinstance(value, int) else MISSING_REFERENCE if key == "reference" else value
        for key, value in kwargs.items()
    }


def _urls(target: Any) -> list[tuple[str, str, str]]:
    """(name, url naming the target's object, url naming a missing one) for every pattern the target fills."""
    found = []
    for name, fill in sorted(FILL.items()):
        try:
            kwargs = fill(target)
        except AttributeError:  # the target has no object of this kind
            continue
        if any(value is None for value in kwargs.values()):
            continue
        found.append((name, reverse(name, kwargs=kwargs), reverse(name, kwargs=_missing(kwargs))))
    return found


def _leaks(response: Any, url: str, secrets: list[str], echoes: tuple[str, ...] = ()) -> list[str]:
    """Secrets in the response, leaving out the requested URL itself (a 404 page or a sign-in
    redirect's `next` may echo what the user typed)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace").replace(url, "")
    for echo in echoes:
        body = body.replace(echo, "")
    where = unquote(response.get("Location", "")).replace(url, "")
    return [secret for secret in secrets if secret and (secret in body or secret in where)]


def _clients(users: list[Any]) -> list[tuple[str, Client]]:
    clients = []
    for user in users:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients.append((user.full_name if user is not None else "anonymous", client))
    return clients


def _problem(real: Any, missing: Any, url: str, secrets: list[str], echoes: tuple[str, ...] = ()) -> str:
    if real.status_code != missing.status_code:
        return f"answers {real.status_code}, a missing object {missing.status_code}"
    if real.status_code not in REFUSALS:
        return f"answers {real.status_code}"
    if real.status_code == 302 and real["Location"].split("?")[0] != missing["Location"].split("?")[0]:
        return f"redirects to {real['Location']}"
    if leaked := _leaks(real, url, secrets, echoes):
        return f"shows {leaked}"
    return ""


@pytest.mark.parametrize("index", [0, 1, 2], ids=["other partnership", "restricted case", "other agency"])
def test_objects_are_indistinguishable_from_missing_ones(world, index):
    target, users = world.targets[index]
    clients = _clients([*users, None] if index == 0 else users)
    failures = []
    # The case 404 offers emergency access (a link naming the case) where the policy would grant it:
    # the designed way in, like the break-glass page itself. Never for a restricted case.
    echoes: tuple[str, ...] = ()
    if target.same_partnership and not target.case.restricted:
        echoes = (reverse("cases:break-glass", kwargs={"reference": target.case.reference}),)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for name, url, missing_url in _urls(target):
        for who, client in clients:
            for method in ("get", "post"):
                if name in DESIGNED_WAY_IN and target.same_partnership:
                    continue
                real = getattr(client, method)(url)
                # A 404 is always right; any other answer must be the one a missing object gets.
                missing = getattr(client, method)(missing_url) if real.status_code != 404 else real
                problem = _problem(real, missing, url, target.secrets, echoes)
                if problem:
                    failures.append(f"{method.upper()} {url} ({name}) as {who}: {problem}")
    written = AuditEvent.objects.filter(pk__gt=before, user__in=[u for u in users if u is not None]).exclude(
        action=AuditAction.DENIED
    )
    if index == 0:
        written = written.filter(partnership=world.demo)
    else:
        written = written.filter(case_id=target.case.pk)
    failures += [f"audited {event.action} of {event.object_repr} for {event.user}" for event in written]
    assert not failures, f"{target.label} reached by users who must not see it:\n" + "\n".join(failures)


def test_listings_never_show_what_the_user_must_not_see(world):
    listings = [
        (name, reverse(name))
        for name, pattern in url_patterns()
        if not pattern.pattern.converters and name not in NOT_CRAWLED
    ]
    failures = []
    for target, users in world.targets[:2]:
        for user, (who, client) in zip(users, _clients(users), strict=True):
            for name, url in listings:
                if name in AUDIT_TRAIL and target.same_partnership and user.has_role(Role.AUDITOR):
                    continue
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append(f"GET {url} ({name}) as {who}: answers {response.status_code}")
                elif leaked := _leaks(response, url, target.secrets):
                    failures.append(f"GET {url} ({name}) as {who}: shows {leaked} of {target.label}")
    assert not failures, "\n".join(failures)
