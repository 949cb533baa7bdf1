"""Applicants check their Case Review application without an account: reference plus the e-mail address
or postcode given on it (both must match), one "not found" answer otherwise, rate-limited, stages and dates only."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.asb import actions
from saferhub.asb.models import CaseReview, Channel
from saferhub.asb.review_views import NOT_FOUND, STATUS_LIMIT
from saferhub.asb.tests.world import build_world
from saferhub.audit.models import AuditAction, AuditEvent


@pytest.fixture
def world(db):
    cache.clear()
    w = build_world()
    w.review = actions.submit_case_review(
        None,
        partnership=w.partnership,
        applicant_name="Vera Testvictim",
        applicant_email="Vera@Example.org",
        applicant_postcode="ZZ1 1ZZ",
        problem="Invented secret problem description",
        problem_location="1 Invented Row",
        case_reference_given=w.case.reference,
        surname="Testvictim",
        channel=Channel.ONLINE,
    )
    return w


def check(client, w, reference=None, given="vera@example.org", slug=None):
    url = reverse("asb:public-status", args=[slug or w.partnership.slug])
    return client.post(url, {"reference": reference or w.review.reference, "email_or_postcode": given})


def test_the_page_opens_without_an_account(world, client):
    response = client.get(reverse("asb:public-status", args=[world.partnership.slug]))
    assert response.status_code == 200 and "Check your ASB Case Review application" in response.content.decode()


@pytest.mark.parametrize("given", ["vera@example.org", " VERA@EXAMPLE.ORG ", "ZZ1 1ZZ", "zz11zz", "zz1  1zz"])
def test_reference_with_the_email_or_postcode_shows_the_stage_and_dates(world, client, given):
    response = check(client, world, reference=world.review.reference.lower(), given=given)
    page = response.content.decode()
    assert response.status_code == 200 and "asb/status_result.html" in [t.name for t in response.templates]
    assert world.review.reference in page and "We have received your application" in page
    assert timezone.localdate().strftime("%-d %B %Y") in page


@pytest.mark.parametrize(
    "reference, given",
    [
        ("ACR-2020-99999", "vera@example.org"),  # no such reference
        (None, "someone@example.org"),  # wrong e-mail address
        (None, "ZZ9 9ZZ"),  # wrong postcode
        (None, "@"),
    ],
)
def test_anything_else_gets_the_same_not_found_answer(world, client, reference, given):
    response = check(client, world, reference=reference, given=given)
    assert response.status_code == 200 and NOT_FOUND in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert world.review.reference not in response.content.decode() or reference is None


def test_an_application_without_a_postcode_is_not_found_by_an_empty_one(world, client):
    CaseReview.objects.filter(pk=world.review.pk).update(applicant_postcode="", applicant_email="")
    assert NOT_FOUND in check(client, world, given="ZZ1 1ZZ").content.decode()


def test_another_partnerships_address_does_not_find_it(world, client):
    other = PartnershipFactory(slug="elsewhere-invented")
    assert NOT_FOUND in check(client, world, slug=other.slug).content.decode()


def test_historical_applications_are_not_shown(world, client):
    CaseReview.objects.filter(pk=world.review.pk).update(historical=True)
    assert NOT_FOUND in check(client, world).content.decode()


def test_no_case_details_are_shown(world, client):
    actions.acknowledge_case_review(world.owner, world.review, timezone.localdate())
    page = check(client, world).content.decode()
    assert "We are checking whether your application meets the threshold" in page
    for secret in (world.case.reference, "Invented secret problem", "1 Invented Row", "Olive Officer", "Testvictim"):
        assert secret not in page


def test_later_stages_show_their_dates(world, client):
    today = timezone.localdate()
    review = world.review
    actions.acknowledge_case_review(world.owner, review, today - datetime.timedelta(days=3))
    actions.decide_threshold(world.owner, review, met=False, reason="Not enough reports", on=today)
    page = check(client, world).content.decode()
    assert "does not meet the threshold" in page and "Not enough reports" not in page
    assert (today - datetime.timedelta(days=3)).strftime("%-d %B %Y") in page


def test_a_successful_check_is_audited(world, client):
    check(client, world)
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(world.review.pk)).get()
    assert event.user is None and event.detail == {"public_status": True}


def test_checks_are_rate_limited_whatever_the_answer(world, client):
    for _ in range(STATUS_LIMIT):
        check(client, world, given="wrong@example.org")
    response = check(client, world)
    assert "Too many checks" in response.content.decode()
    assert "asb/status_result.html" not in [t.name for t in response.templates]


def test_csrf_is_enforced(world):
    response = Client(enforce_csrf_checks=True).post(
        reverse("asb:public-status", args=[world.partnership.slug]),
        {"reference": world.review.reference, "email_or_postcode": "vera@example.org"},
    )
    assert response.status_code == 403


def test_missing_fields_are_named(world, client):
    response = client.post(reverse("asb:public-status", args=[world.partnership.slug]), {})
    errors = response.context["form"].errors
    assert errors["reference"] == ["Enter your reference"]
    assert errors["email_or_postcode"] == ["Enter the e-mail address or postcode you gave on your application"]


def test_the_acknowledgement_page_links_to_the_status_check(world, client):
    session = client.session
    session["asb_case_review_done"] = world.review.pk
    session.save()
    page = client.get(reverse("asb:public-apply-done", args=[world.partnership.slug])).content.decode()
    assert reverse("asb:public-status", args=[world.partnership.slug]) in page
