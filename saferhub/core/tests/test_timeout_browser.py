"""The idle sign-out warning in headless Chromium (issue 13, WCAG 2.2.1): warned 2 minutes before,
"Stay signed in" extends the session, and a half-filled form survives signing out and back in."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from saferhub.accounts.tests.factories import UserFactory
from saferhub.cases.tests.factories import CaseTypeFactory
from saferhub.core.tests.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def test_warned_before_sign_out_and_nothing_typed_is_lost(transactional_db, page):
    user = UserFactory()
    CaseTypeFactory(partnership=user.partnership)
    page.clock.install()
    sign_in(page, user.email, PASSWORD)
    # The header's bell loads after the page, and any answered request restarts the countdown (and closes
    # the warning): let it land before the clock jumps.
    with page.expect_response(lambda response: reverse("notifications:count") in response.url):
        page.goto(reverse("cases:create"))
    page.get_by_label("Title").fill("Noise from the flat above, every night")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    assert not dialog.is_visible()

    page.clock.fast_forward("28:30")
    assert dialog.is_visible()
    assert "1 minute" in dialog.inner_text() or "2 minutes" in dialog.inner_text()
    assert_accessible(page)
    with page.expect_response(reverse("core:keep-alive")) as kept:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert kept.value.status == 200
    assert not dialog.is_visible()

    # The session ends (the server forgets it); the page notices at its deadline.
    Session.objects.all().delete()
    with page.expect_navigation():
        page.clock.fast_forward("30:30")
    page.wait_for_load_state()
    assert "/sign-in/" in page.url
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("cases:create"))
    assert page.get_by_label("Title").input_value() == "Noise from the flat above, every night"
    assert "We filled in what you had typed before you were signed out" in page.content()
    # Filled in once: the copy is gone.
    assert page.evaluate("() => window.sessionStorage.getItem('saferhub:kept-forms')") is None
