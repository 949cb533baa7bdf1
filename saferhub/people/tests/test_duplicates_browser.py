"""The duplicates journey in headless Chromium: a caseworker adds a person and is warned of a likely
duplicate, adds them anyway; a data manager finds the pair in the queue, merges the records and undoes it."""

import re

import pytest

from saferhub.cases.tests.factories import CaseFactory
from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in
from saferhub.people.models import Person, PersonMerge
from saferhub.people.tests.duplicates_world import build_duplicates_world

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    world = build_duplicates_world()
    world.target = CaseFactory(owning_team=world.vch, case_type=world.case_type, title="Testcase target")
    return world


def test_add_a_person_see_the_duplicate_warning_merge_and_undo(world, page, browser, live_server):
    sign_in(page, world.owner.email, PASSWORD)
    page.goto(f"/cases/{world.target.reference}/participants/new/?q=Zedwik")
    assert "Born 14 June 1988" in page.content()
    assert_accessible(page)
    page.goto(f"/cases/{world.target.reference}/participants/new-person/")
    page.get_by_label("First name").fill("Olivia")
    page.get_by_label("Last name").fill("Zedwick")
    fill_date(page, "Date of birth", "1988-06-14")
    page.get_by_role("button", name="Add person").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1  # no role chosen
    page.get_by_label("Role in the case").select_option("indirect_victim")
    page.get_by_role("button", name="Add person").click()
    page.wait_for_load_state()
    assert "may be the person you are adding" in page.content()
    assert page.locator("#likely-duplicates").get_by_text("Testolivia Zedwick").count() >= 1
    assert_accessible(page)
    page.get_by_role("button", name="Add as a new person").click()
    page.wait_for_load_state()
    new = Person.objects.get(first_name="Olivia", last_name="Zedwick")

    manager = browser.new_context(base_url=live_server.url).new_page()
    sign_in(manager, world.manager.email, PASSWORD)
    manager.goto("/people/")
    manager.get_by_role("link", name="Possible duplicate records").click()
    manager.wait_for_load_state()
    assert_accessible(manager)
    manager.get_by_role("link", name="Compare Testolivia Zedwick and Olivia Zedwick").click()
    manager.wait_for_load_state()
    assert_accessible(manager)
    manager.get_by_label(re.compile(r"^Olivia Zedwick")).check()
    manager.get_by_role("button", name="Merge the records").click()
    manager.wait_for_load_state()
    assert "were merged" in manager.content()
    assert_accessible(manager)
    merge = PersonMerge.objects.get()
    assert merge.kept_id == new.pk and Person.objects.get(pk=world.people.known.pk).is_archived
    manager.get_by_role("button", name="Undo the merge").click()
    manager.wait_for_load_state()
    assert "The merge was undone" in manager.content()
    assert not Person.objects.get(pk=world.people.known.pk).is_archived
    assert world.people.known.participations.filter(case=world.people.vch_case).exists()
