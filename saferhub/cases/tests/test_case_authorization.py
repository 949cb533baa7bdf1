"""Every case page against every kind of user: who gets the page, a refusal, or nothing at all."""

import pytest
from django.urls import reverse

from saferhub.cases.tests.test_case_world import build_world

OWNER, COLLEAGUE, OTHER_AGENCY, SHARED, RESTRICTED, ANALYST, ANONYMOUS = (
    "owner",
    "colleague",
    "other_agency",
    "shared",
    "restricted_outsider",
    "analyst",
    "anonymous",
)
ACTORS = [OWNER, COLLEAGUE, OTHER_AGENCY, SHARED, RESTRICTED, ANALYST, ANONYMOUS]


@pytest.fixture
def world(db):
    return build_world()


def _login(client, world, actor):
    user = {
        OWNER: world.owner,
        COLLEAGUE: world.colleague,
        OTHER_AGENCY: world.other_agency,
        SHARED: world.shared,
        RESTRICTED: world.teammate,
        ANALYST: world.analyst,
    }.get(actor)
    if user is not None:
        client.force_login(user)
    # The restricted outsider is tested against the restricted case; everyone else against the ordinary one.
    return world.restricted_case if actor == RESTRICTED else world.case


def _row(*statuses):
    return dict(zip(ACTORS, statuses, strict=True))


NO_CASE = _row(200, 200, 200, 200, 200, 403, 302)
VIEW = _row(200, 404, 404, 200, 404, 404, 302)
CONTRIBUTE = VIEW
EDIT = _row(200, 404, 404, 403, 404, 404, 302)
BREAK_GLASS = _row(404, 200, 200, 404, 404, 404, 302)

GET_PAGES = {
    "cases:list": NO_CASE,
    "cases:create": NO_CASE,
    "cases:break-glass-start": NO_CASE,
    "cases:detail": VIEW,
    "cases:edit": EDIT,
    "cases:close": EDIT,
    "cases:reopen": EDIT,
    "cases:hold": EDIT,
    "cases:resume": EDIT,
    "cases:add-note": CONTRIBUTE,
    "cases:add-action": CONTRIBUTE,
    "cases:add-participant": EDIT,
    "cases:add-new-participant": EDIT,
    "cases:share": EDIT,
    "cases:link": EDIT,
    "cases:restricted-access": EDIT,
    "cases:break-glass": BREAK_GLASS,
}
WITHOUT_CASE = {"cases:list", "cases:create", "cases:break-glass-start"}

# POST-only changes; the shared user may see the case but neither owns the action nor edits.
POST_ONLY = {
    "cases:action-done": _row(302, 404, 404, 403, 404, 404, 302),
    "cases:action-cancel": _row(302, 404, 404, 403, 404, 404, 302),
    "cases:revoke-share": _row(302, 404, 404, 403, 404, 404, 302),
    "cases:restricted-access-remove": _row(302, 404, 404, 403, 404, 404, 302),
}


def _post_kwargs(world, name, case):
    restricted = case.pk == world.restricted_case.pk
    if name in {"cases:action-done", "cases:action-cancel"}:
        return {"pk": (world.restricted_action if restricted else world.action).pk}
    if name == "cases:revoke-share":
        return {"pk": (world.restricted_share if restricted else world.share).pk}
    return {"user_pk": world.teammate.pk}


@pytest.mark.parametrize(
    ("name", "actor", "expected"),
    [(name, actor, row[actor]) for name, row in GET_PAGES.items() for actor in ACTORS],
)
def test_get(client, world, name, actor, expected):
    case = _login(client, world, actor)
    url = reverse(name) if name in WITHOUT_CASE else reverse(name, kwargs={"reference": case.reference})
    response = client.get(url)
    assert response.status_code == expected
    if expected == 404:
        page = response.content.decode()
        assert case.reference not in page
        # Emergency access is offered only to those the policy lets open the case in an emergency.
        assert ("Ask for emergency access" in page) == (actor in {COLLEAGUE, OTHER_AGENCY})


@pytest.mark.parametrize(
    ("name", "actor", "expected"),
    [(name, actor, row[actor]) for name, row in POST_ONLY.items() for actor in ACTORS],
)
def test_post_only(client, world, name, actor, expected):
    from saferhub.cases.models import RestrictedAccess

    case = _login(client, world, actor)
    RestrictedAccess.objects.get_or_create(case=case, user=world.teammate)
    if actor == RESTRICTED:
        # Named then removed again would make them an insider; name a different user instead.
        RestrictedAccess.objects.filter(case=case, user=world.teammate).delete()
        RestrictedAccess.objects.get_or_create(case=case, user=world.colleague)
        kwargs = _post_kwargs(world, name, case)
        if "user_pk" in kwargs:
            kwargs["user_pk"] = world.colleague.pk
    else:
        kwargs = _post_kwargs(world, name, case)
    response = client.post(reverse(name, kwargs={"reference": case.reference, **kwargs}))
    assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_refuses_get(client, world, name):
    client.force_login(world.owner)
    kwargs = _post_kwargs(world, name, world.case)
    response = client.get(reverse(name, kwargs={"reference": world.case.reference, **kwargs}))
    assert response.status_code == 405


def test_reference_urls_do_not_swallow_other_case_pages():
    assert reverse("cases:create") == "/cases/new/"
    assert reverse("cases:break-glass-start") == "/cases/emergency-access/"
    assert reverse("cases:detail", kwargs={"reference": "VCH-2024-00031"}) == "/cases/VCH-2024-00031/"
