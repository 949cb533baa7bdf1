"""Auditors and administrators review each use of emergency (break-glass) access."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role, RoleAssignment
from saferhub.audit import log
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.audit.reviews import ReviewError, review_break_glass
from saferhub.audit.tests.helpers import make_world
from saferhub.cases.models import BreakGlassGrant
from saferhub.cases.tests.factories import CaseFactory

NOTE = "Checked with the duty manager: the access was justified."


@pytest.fixture
def world(db):
    return make_world()


@pytest.mark.parametrize("who", ["auditor", "admin"])
def test_review_records_who_when_and_why(client, world, who):
    reviewer = world.users[who]
    client.force_login(reviewer)
    url = reverse("audit:break-glass-review", args=[world.grant.pk])
    page = client.get(url).content.decode()
    assert "Caller reported an immediate risk out of hours" in page and "VCH-2024-00031" in page
    response = client.post(url, {"review_note": f"  {NOTE}  "})
    assert response.status_code == 302 and response["Location"] == reverse("audit:break-glass")
    world.grant.refresh_from_db()
    assert world.grant.reviewed_by == reviewer
    assert world.grant.reviewed_at is not None
    assert world.grant.review_note == NOTE
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="cases.breakglassgrant")
    assert event.user == reviewer and event.reason == NOTE
    assert event.case_id == world.case.pk and event.partnership == world.partnership
    assert event.detail == {"change": "break_glass_reviewed", "granted_to": world.users["caseworker"].pk}


def test_reviewed_grants_leave_the_list(client, world):
    client.force_login(world.users["auditor"])
    waiting = BreakGlassGrant.objects.create(
        case=CaseFactory(owning_team=world.team),
        user=world.users["caseworker"],
        reason="Second emergency access for a test",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    review_break_glass(world.users["admin"], world.grant, NOTE)
    grants = list(client.get(reverse("audit:break-glass")).context["grants"])
    assert grants == [waiting]


@pytest.mark.parametrize(
    ("note", "message"),
    [("", "Enter a review note"), ("ok", "at least 10 characters"), ("         ", "Enter a review note")],
)
def test_review_needs_a_note(client, world, note, message):
    client.force_login(world.users["auditor"])
    response = client.post(reverse("audit:break-glass-review", args=[world.grant.pk]), {"review_note": note})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["review_note"])
    assert "There is a problem" in response.content.decode()
    world.grant.refresh_from_db()
    assert world.grant.reviewed_at is None
    assert not AuditEvent.objects.exists()


def test_an_already_reviewed_grant_cannot_be_reviewed_again(client, world):
    review_break_glass(world.users["admin"], world.grant, NOTE)
    client.force_login(world.users["auditor"])
    response = client.post(
        reverse("audit:break-glass-review", args=[world.grant.pk]),
        {"review_note": "A second opinion here"},
        follow=True,
    )
    assert "already reviewed" in response.content.decode()
    world.grant.refresh_from_db()
    assert world.grant.reviewed_by == world.users["admin"] and world.grant.review_note == NOTE
    assert AuditEvent.objects.filter(object_type="cases.breakglassgrant").count() == 1


def test_no_one_reviews_their_own_emergency_access(client, world):
    user = world.users["caseworker"]
    RoleAssignment.objects.create(user=user, partnership=world.partnership, role=Role.AUDITOR)
    client.force_login(user)
    url = reverse("audit:break-glass-review", args=[world.grant.pk])
    assert "This is your own emergency access" in client.get(url).content.decode()
    response = client.post(url, {"review_note": NOTE})
    assert "cannot review your own emergency access" in response.content.decode()
    world.grant.refresh_from_db()
    assert world.grant.reviewed_at is None
    with pytest.raises(ReviewError):
        review_break_glass(user, world.grant, NOTE)


def test_review_page_shows_what_was_done_while_access_was_open(client, world):
    log.record(world.users["caseworker"], AuditAction.VIEW, world.case)
    log.record(world.users["admin"], AuditAction.UPDATE, world.case)
    client.force_login(world.users["auditor"])
    response = client.get(reverse("audit:break-glass-review", args=[world.grant.pk]))
    assert [event.user_id for event in response.context["activity"]] == [world.users["caseworker"].pk]


def test_list_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        BreakGlassGrant.objects.create(
            case=CaseFactory(owning_team=world.team),
            user=world.users["caseworker"],
            reason=f"Synthetic emergency {n}",
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )
    client.force_login(world.users["admin"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:break-glass"))
    assert len(response.context["grants"]) == 31
