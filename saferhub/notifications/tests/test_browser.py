"""Browser journeys: the header bell, the list and marking read; a bulk reassign from the case list."""

import pytest

from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case
from saferhub.cases.tests.factories import CaseFactory
from saferhub.cases.tests.test_case_world import build_world
from saferhub.core.tests.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_the_bell_counts_unread_notifications_and_marking_read_clears_it(world, page):
    # Committed at once (no surrounding transaction): the task runs and the notices exist.
    for title in ("Phone the invented victim", "Write to the invented landlord"):
        case_actions.add_action(world.owner, world.case, title=title, owner=world.teammate, due_on=world.case.opened_on)
    sign_in(page, world.teammate.email, PASSWORD)
    page.goto("/cases/")
    bell = page.locator("#notifications-bell")
    bell.locator("[data-unread-count='2']").wait_for()
    assert "2 unread" in bell.inner_text().replace("\n", " ")
    bell.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Notifications"
    assert "You have 2 unread notifications" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Mark as read").first.click()
    page.wait_for_load_state()
    assert "Notification marked as read" in page.content()
    page.locator("#notifications-bell [data-unread-count='1']").wait_for()

    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    assert "You have 0 unread notifications" in page.content()
    page.wait_for_load_state("networkidle")
    assert page.locator("#notifications-bell [data-unread-count]").count() == 0

    page.get_by_role("link", name="Choose how you are told").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("group", name="Action assigned to you").get_by_label("By e-mail straight away").check()
    page.get_by_role("button", name="Save choices").click()
    page.wait_for_load_state()
    assert "Your notification choices have been saved" in page.content()


def test_bulk_reassign_from_the_case_list(world, page):
    second = CaseFactory(owning_team=world.owner_team, case_type=world.case_type, reference="WLD-2024-00003")
    sign_in(page, world.owner.email, PASSWORD)
    page.goto("/cases/")
    page.get_by_label("Choose WLD-2024-00001").check()
    page.get_by_label("Choose WLD-2024-00003").check()
    page.get_by_role("button", name="Reassign chosen cases").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Reassign cases"
    assert_accessible(page)
    page.get_by_label("Assign the chosen cases to").select_option(label=world.teammate.full_name)
    page.get_by_role("button", name="Reassign the cases").click()
    page.wait_for_load_state()
    assert "2 cases reassigned" in page.content()
    assert set(Case.objects.filter(pk__in=[world.case.pk, second.pk]).values_list("assigned_to", flat=True)) == {
        world.teammate.pk
    }
