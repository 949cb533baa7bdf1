"""Browser journey: the secretariat adds a restricted agenda item, minutes a decision and adds an action
(axe on each page, no horizontal scroll at 375 px); an analyst then sees the item only as restricted."""

import pytest

from saferhub.boards.models import BoardAction, Decision
from saferhub.boards.tests.world import build_world
from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in, sign_out

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    from django.core.cache import cache

    cache.clear()
    return build_world()


def _no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"scrolls at 375 px: {page.url} {wide}"
    )
    page.set_viewport_size({"width": 1280, "height": 800})


def _checked(page):
    page.wait_for_load_state()
    assert_accessible(page)
    _no_horizontal_scroll(page)


def test_secretariat_minutes_a_restricted_item_and_an_analyst_sees_it_withheld(world, page):
    sign_in(page, world.users["secretariat"].email, PASSWORD)
    page.get_by_role("link", name="Boards").first.click()
    _checked(page)
    page.get_by_role("link", name="Northbrook Partnership Board").click()
    _checked(page)
    page.get_by_role("link", name="Add a meeting").click()
    _checked(page)
    fill_date(page, "Date", "2026-12-04")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place").fill("Invented Town Hall")
    page.get_by_role("button", name="Add meeting").click()
    _checked(page)

    page.get_by_role("link", name="Add an agenda item").click()
    _checked(page)
    page.get_by_label("Title").fill("Invented serious incident review")
    page.get_by_label("Restricted: exempt from publication").check()
    page.get_by_role("button", name="Add item").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Reason it is restricted").fill("Invented exemption")
    page.get_by_role("button", name="Add item").click()
    _checked(page)

    page.get_by_role("link", name="Record minutes of item 1").click()
    _checked(page)
    page.get_by_label("Minutes").fill("Members discussed the invented review.")
    page.get_by_label("Decisions").fill("that the invented review's recommendations be accepted")
    page.get_by_role("button", name="Save minutes").click()
    _checked(page)
    assert "RESOLVED:" in page.content()
    assert Decision.objects.filter(text="that the invented review's recommendations be accepted").exists()

    page.get_by_role("link", name="Add an action").click()
    _checked(page)
    page.get_by_label("Action", exact=True).fill("Invented follow-up letter")
    page.get_by_label("Owner").fill("Invented Lead")
    page.get_by_role("button", name="Add action").click()
    _checked(page)
    assert BoardAction.objects.filter(text="Invented follow-up letter").exists()
    page.get_by_role("link", name="Record attendance").click()
    _checked(page)
    meeting_url = page.url.replace("attendance/", "")

    sign_out(page)
    sign_in(page, world.users["analyst"].email, PASSWORD)
    page.goto(meeting_url)
    _checked(page)
    assert "Item 1: restricted" in page.content()
    assert "Invented serious incident review" not in page.content()
