"""The person pages in headless Chromium: axe finds no violations, one <h1>, no CSP errors."""

import pytest

from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.people.tests.people_world import build_people_world

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def people_world(transactional_db):
    return build_people_world()


def test_person_pages_are_accessible(people_world, page):
    person = people_world.people.known
    sign_in(page, people_world.owner.email, PASSWORD)
    for url in (
        "/people/",
        "/people/?q=Zedwick",
        "/people/?q=Nobodyatall",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/edit/",
        f"/people/{person.pk}/aliases/new/",
        f"/people/{person.pk}/contact-details/new/",
        f"/people/{person.pk}/identifiers/new/",
    ):
        response = page.goto(url)
        assert response.status == 200 and page.url.endswith(url), url
        assert_accessible(page)

    page.goto(f"/people/{person.pk}/contact-details/new/")
    page.get_by_role("button", name="Add contact detail").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)


def test_shared_agency_sees_the_withheld_notice_accessibly(people_world, page):
    sign_in(page, people_world.shared.email, PASSWORD)
    page.goto(f"/people/{people_world.people.known.pk}/")
    assert "Confidential details are held by the owning team" in page.content()
    assert_accessible(page)
