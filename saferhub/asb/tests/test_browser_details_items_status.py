"""Browser journeys for the ASB details page, victims' contacts, the fixed penalty register, tracked
Case Review items and the public status check; axe on every page."""

import datetime

import pytest
from django.utils import timezone

from saferhub.asb import actions
from saferhub.asb.models import AsbCase, Channel, ReviewItem
from saferhub.asb.tests.world import build_world, kind, offence
from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    from django.core.cache import cache

    cache.clear()
    return build_world()


def test_officer_changes_details_contacts_and_reads_the_fpn_register(world, page):
    p = world.partnership
    actions.record_intervention(
        world.owner,
        world.case,
        partnership=p,
        kind=kind(p, "fpn"),
        offence=offence(p, "CST13"),
        amount_pence=10000,
        served_on=timezone.localdate(),
        person=world.subject,
    )
    sign_in(page, world.owner.email, PASSWORD)
    ref = world.case.reference
    page.goto(f"/asb/cases/{ref}/")
    assert_accessible(page)
    page.get_by_role("link", name="Change the ASB details").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Where it happens").fill("3 Invented Row")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_load_state()
    assert "ASB details saved" in page.content()
    assert AsbCase.objects.get(pk=world.asb.pk).location == "3 Invented Row"

    # A stale form: someone else saves while this one is open.
    page.goto(f"/asb/cases/{ref}/details/")
    actions.update_asb_details(world.manager, AsbCase.objects.get(pk=world.asb.pk), location="Elsewhere")
    page.get_by_label("Where it happens").fill("Mine")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1 and "after you opened it" in page.content()
    assert_accessible(page)

    page.goto(f"/asb/cases/{ref}/")
    page.get_by_role("link", name="Change the single point of contact for Vera Testvictim").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Single point of contact for this victim").select_option(label="Mo Manager")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "single point of contact is now Mo Manager" in page.content()

    page.goto("/asb/fixed-penalties/")
    assert_accessible(page)
    assert "CST13" in page.content()
    page.get_by_label("Status").select_option(label="Paid")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "No fixed penalties match" in page.content()
    page.goto("/asb/fixed-penalties/?served_from=2024-05-01&served_to=2024-01-01")
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)


def test_officer_tracks_recommendations_and_the_action_plan(world, page):
    today = timezone.localdate()
    review = actions.submit_case_review(
        world.owner, partnership=world.partnership, applicant_name="Vera Testvictim", channel=Channel.PHONE
    )
    actions.link_case_review(world.owner, review, world.case)
    actions.acknowledge_case_review(world.owner, review, today)
    actions.decide_threshold(world.owner, review, met=True, reason="Officer judgement", on=today)
    actions.record_review_meeting(world.owner, review, held_on=today, attendees="Council, police")
    sign_in(page, world.owner.email, PASSWORD)
    due = str(today + datetime.timedelta(days=21))

    page.goto(f"/asb/case-reviews/{review.reference}/")
    assert_accessible(page)
    page.get_by_role("button", name="Add a recommendation").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Add").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("What is to be done").fill("Police to patrol on Friday nights")
    page.get_by_label("Owner").select_option(label="Mo Manager")
    fill_date(page, "Due by", due)
    page.get_by_role("button", name="Add").click()
    page.wait_for_load_state()

    page.get_by_role("button", name="Add an action plan item").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("What is to be done").fill("Fit a noise monitor")
    page.get_by_label("Owner").select_option(label="Olive Officer")
    fill_date(page, "Due by", due)
    page.get_by_role("button", name="Add").click()
    page.wait_for_load_state()
    assert "Fit a noise monitor" in page.content()
    assert_accessible(page)

    item = ReviewItem.objects.get(text="Fit a noise monitor")
    page.goto(f"/asb/case-reviews/{review.reference}/items/{item.pk}/status/")
    assert_accessible(page)
    page.get_by_label("Done").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    page.get_by_role("button", name="Record the victim's consultation").click()
    page.wait_for_load_state()
    assert_accessible(page)
    fill_date(page, "Date the victim was consulted on the action plan", str(today))
    page.get_by_label("The victim's views").fill("Happy with the plan")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Happy with the plan" in page.content()
    assert_accessible(page)


def test_applicant_checks_their_application_status(world, page):
    review = actions.submit_case_review(
        None,
        partnership=world.partnership,
        applicant_name="Vera Testvictim",
        applicant_postcode="ZZ1 1ZZ",
        problem="Invented problem",
        channel=Channel.ONLINE,
    )
    page.goto(f"/asb/status/{world.partnership.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Your reference").fill(review.reference)
    page.get_by_label("The e-mail address or postcode you gave on your application").fill("ZZ9 9ZZ")
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    assert "could not find an application" in page.content()
    page.get_by_label("The e-mail address or postcode you gave on your application").fill("zz1 1zz")
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    assert review.reference in page.content() and "We have received your application" in page.content()
    assert "Invented problem" not in page.content()
    assert_accessible(page)
