"""Our own error pages with DEBUG off (as in production): never Django's technical pages. A case the user cannot
open gets one answer whether or not it exists, with emergency access offered only where the policy allows it."""

import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.cases.tests.test_case_world import build_world

pytestmark = pytest.mark.django_db

TECHNICAL = ("Traceback", "Django tried these URL patterns", "DEBUG = True", "Request Method:")
MISSING = "WLD-2024-99999"
EMERGENCY_LINK = re.compile(r'href="([^"]*)">Ask for emergency access</a>')
CSRF_TOKEN = re.compile(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')


@pytest.fixture
def world():
    w = build_world()
    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    w.other_partnership = UserFactory(
        team=TeamFactory(agency=AgencyFactory(partnership=elsewhere, name="Elsewhere Council"), name="Elsewhere Team"),
        roles=[Role.CASEWORKER],
    )
    return w


def _detail(reference):
    return reverse("cases:detail", kwargs={"reference": reference})


def _break_glass(reference):
    return reverse("cases:break-glass", kwargs={"reference": reference})


@pytest.mark.parametrize(
    ("who", "which", "offered"),
    [
        ("other_agency", "case", True),  # unrestricted case in their partnership: emergency access allowed
        ("colleague", "case", True),  # same agency, another team
        ("other_agency", "restricted", False),  # break glass never opens a restricted case
        ("teammate", "restricted", False),  # owning team, not named on the restriction
        ("other_agency", "missing", False),
        ("analyst", "case", False),  # no casework role
        ("other_partnership", "case", False),
    ],
)
def test_case_not_found_offers_emergency_access_only_where_policy_allows(client, world, who, which, offered):
    reference = {"case": world.case.reference, "restricted": world.restricted_case.reference, "missing": MISSING}[which]
    client.force_login(getattr(world, who))
    response = client.get(_detail(reference))
    assert response.status_code == 404
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Case not found</h1>' in page
    assert "Either it does not exist, or you do not have access to it." in page
    assert reference not in page  # a refusal never names the case, not even in the offer
    link = EMERGENCY_LINK.search(page)
    assert (link is not None) is offered
    if offered:
        assert urljoin(_detail(reference), link.group(1)) == _break_glass(reference)
    assert not any(marker in page for marker in TECHNICAL)


@pytest.mark.parametrize(
    ("page", "resolves_to"),
    [
        ("cases:edit", "case"),  # one of the case's own pages: a relative link to its emergency access
        ("cases:add-note", "case"),
        ("asb:case", "form"),  # the ASB record: the emergency-access form, where the reference is typed
    ],
)
def test_offer_from_other_case_pages(client, world, page, resolves_to):
    client.force_login(world.other_agency)
    url = reverse(page, kwargs={"reference": world.case.reference})
    content = client.get(url).content.decode()
    assert world.case.reference not in content
    link = urljoin(url, EMERGENCY_LINK.search(content).group(1))
    assert link == (_break_glass(world.case.reference) if resolves_to == "case" else reverse("cases:break-glass-start"))
    assert client.get(link).status_code == 200


def test_refusals_look_alike_whether_or_not_the_case_exists(client, world):
    """A restricted case and a missing one give the same page, which does not repeat the reference."""
    client.force_login(world.other_agency)
    restricted = client.get(_detail(world.restricted_case.reference)).content.decode()
    missing = client.get(_detail(MISSING)).content.decode()
    assert _same(restricted, world.restricted_case.reference) == _same(missing, MISSING)


def _same(page, reference):
    """The page without the CSRF token, which differs on every response."""
    assert reference not in page
    return CSRF_TOKEN.sub("TOKEN", page)


def test_missing_record_inside_a_visible_case_is_a_plain_page_not_found(client, world):
    client.force_login(world.owner)
    response = client.get(f"{_detail(world.case.reference)}no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Case not found" not in page


def test_unknown_address_is_our_page_not_found(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Saferhub" in page
    assert not any(marker in page for marker in TECHNICAL)


@pytest.mark.urls("saferhub.core.tests.failing_urls")
def test_server_error_is_our_page(client):
    client.raise_request_exception = False
    response = client.get("/fail/500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Invented failure" not in page
    assert not any(marker in page for marker in TECHNICAL)


@pytest.mark.urls("saferhub.core.tests.failing_urls")
def test_permission_denied_is_our_page_with_the_reason(client):
    response = client.get("/fail/403/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot see this page" in page and "Only invented testers may see this." in page


def test_refused_form_post_is_our_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign-in"), {"username": "x@example.invalid", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form could not be sent" in page
    assert "CSRF verification failed" not in page
