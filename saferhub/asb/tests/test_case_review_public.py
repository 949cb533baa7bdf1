"""The public ASB Case Review application: no account, CSRF on, strict validation, an acknowledgement reference."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhub.asb import actions
from saferhub.asb.models import CaseReview, Channel, ReportedTo
from saferhub.asb.tests.world import build_world

VALID = {
    "applicant_name": "Vera Testvictim",
    "applicant_email": "vera@example.org",
    "problem": "Loud music every night from the flat below.",
    "problem_location": "1 Invented Row",
    "reports_made": "Council in March, police in April, housing in May.",
}


@pytest.fixture
def world(db):
    cache.clear()
    return build_world()


def url(w):
    return reverse("asb:public-apply", args=[w.partnership.slug])


def test_anyone_can_open_the_form_without_signing_in(world, client):
    response = client.get(url(world))
    assert response.status_code == 200 and b"Apply for an ASB Case Review" in response.content


def test_csrf_is_enforced(world):
    response = Client(enforce_csrf_checks=True).post(url(world), VALID)
    assert response.status_code == 403 and not CaseReview.objects.exists()


def test_an_application_gets_a_reference_and_an_email(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world), VALID, follow=True)
    review = CaseReview.objects.get()
    assert (
        review.reference.startswith("ACR-")
        and review.channel == Channel.ONLINE
        and review.owning_team == world.asb_team
    )
    assert review.reference.encode() in response.content
    assert len(mail.outbox) == 1 and review.reference in mail.outbox[0].subject
    assert f"/asb/status/{world.partnership.slug}/" in mail.outbox[0].body  # where to check on it later
    assert b"will match your application" in response.content  # no case reference given: an officer matches it


def test_matched_by_case_reference_and_surname_shows_the_computed_result(world, client):
    today = timezone.localdate()
    for days_ago in (90, 60, 30):
        actions.record_report(
            world.owner,
            world.case,
            reported_to=ReportedTo.COUNCIL,
            reported_on=today - datetime.timedelta(days=days_ago),
            behaviour_on=today - datetime.timedelta(days=days_ago + 1),
            summary="Music",
        )
    data = VALID | {"case_reference_given": world.case.reference.lower(), "surname": "testvictim"}
    response = client.post(url(world), data, follow=True)
    review = CaseReview.objects.get()
    assert review.case == world.case and review.matched_automatically
    assert b"meet the threshold" in response.content


def test_a_wrong_surname_does_not_reveal_the_case(world, client):
    client.post(url(world), VALID | {"case_reference_given": world.case.reference, "surname": "Somebodyelse"})
    review = CaseReview.objects.get()
    assert review.case is None and not review.matched_automatically


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"applicant_name": ""}, "applicant_name", "Enter your full name"),
        ({"applicant_email": "", "applicant_phone": "", "applicant_address": ""}, "applicant_email", "so we can reply"),
        ({"applicant_email": "not-an-email"}, "applicant_email", "in the correct format, like name@example.com"),
        ({"applicant_postcode": "12345"}, "applicant_postcode", "real postcode"),
        ({"problem": "x" * 5001}, "problem", "must be 5000 characters or fewer"),
    ],
)
def test_bad_input_writes_nothing_and_says_what_is_wrong(world, client, change, field, message):
    response = client.post(url(world), VALID | change)
    assert response.status_code == 200 and not CaseReview.objects.exists()
    assert message in str(response.context["form"].errors[field])


def test_robots_filling_the_hidden_field_are_refused(world, client):
    client.post(url(world), VALID | {"website": "http://spam.invalid"})
    assert not CaseReview.objects.exists()


def test_rate_limited_per_address(world, client):
    for _ in range(5):
        client.post(url(world), VALID)
    response = client.post(url(world), VALID)
    assert CaseReview.objects.count() == 5 and b"Too many applications" in response.content


def test_the_acknowledgement_page_is_only_for_the_browser_that_applied(world, client):
    client.post(url(world), VALID)
    done = reverse("asb:public-apply-done", args=[world.partnership.slug])
    assert client.get(done).status_code == 200
    assert Client().get(done).status_code == 404


def test_unknown_partnership_is_404(db, client):
    assert client.get(reverse("asb:public-apply", args=["nowhere"])).status_code == 404
