"""Who may open each referral page, and who may decide a referral.

The referral goes from Housing ("shared": the sending team) to the Victim Care
Hub ("owner": the receiving team). Outsiders get 404 (the referral's existence
is not revealed); the sending team sees it but may not decide it (403).
"""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Referral, ReferralDecision
from saferhub.cases.tests.referral_world import build_world, client_for, referral_to_vch

LIST_EXPECTED = {"owner": 200, "colleague": 200, "other_agency": 200, "shared": 200, "analyst": 403, "anonymous": 302}
DETAIL_EXPECTED = {"owner": 200, "colleague": 404, "other_agency": 404, "shared": 200, "analyst": 404, "anonymous": 302}
DECIDE_EXPECTED = {"owner": 200, "colleague": 404, "other_agency": 404, "shared": 403, "analyst": 404, "anonymous": 302}


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("name", ["cases:referral-inbox", "cases:referral-decided", "cases:referral-sent"])
@pytest.mark.parametrize(("who", "status"), LIST_EXPECTED.items())
def test_referral_lists(world, name, who, status):
    response = client_for(world, who).get(reverse(name))
    assert response.status_code == status
    if status == 302:
        assert "sign-in" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(("who", "status"), LIST_EXPECTED.items())
def test_new_referral_page(world, who, status):
    assert client_for(world, who).get(reverse("cases:referral-create")).status_code == status


@pytest.mark.parametrize(("who", "status"), DETAIL_EXPECTED.items())
def test_referral_detail(world, who, status):
    referral = referral_to_vch(world)
    response = client_for(world, who).get(reverse("cases:referral-detail", args=[referral.pk]))
    assert response.status_code == status
    if status == 200:
        assert AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_type="cases.referral", object_id=str(referral.pk), user=world.users[who]
        ).exists()


@pytest.mark.parametrize("name", ["cases:referral-accept", "cases:referral-decline", "cases:referral-redirect"])
@pytest.mark.parametrize(("who", "status"), DECIDE_EXPECTED.items())
def test_decision_pages(world, name, who, status):
    referral = referral_to_vch(world)
    assert client_for(world, who).get(reverse(name, args=[referral.pk])).status_code == status


DECISION_POSTS = {
    "cases:referral-accept": lambda w: {"into": "new", "title": "Support after burglary"},
    "cases:referral-decline": lambda w: {"reason": "Outside our area"},
    "cases:referral-redirect": lambda w: {"to_team": w.cst.pk, "reason": "Better placed with community safety"},
}


@pytest.mark.parametrize("name", DECISION_POSTS)
@pytest.mark.parametrize(("who", "status"), [(w, s) for w, s in DECIDE_EXPECTED.items() if w != "owner"])
def test_only_the_receiving_team_can_decide(world, name, who, status):
    referral = referral_to_vch(world)
    response = client_for(world, who).post(reverse(name, args=[referral.pk]), DECISION_POSTS[name](world))
    assert response.status_code == status
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.PENDING
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("name", DECISION_POSTS)
def test_the_receiving_team_decides(world, name):
    referral = referral_to_vch(world)
    response = client_for(world, "owner").post(reverse(name, args=[referral.pk]), DECISION_POSTS[name](world))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.decision != ReferralDecision.PENDING
    assert referral.decided_by == world.owner


def test_referral_in_another_partnership_is_not_found(world):
    elsewhere = build_world()
    referral = referral_to_vch(elsewhere)
    response = client_for(world, "owner").get(reverse("cases:referral-detail", args=[referral.pk]))
    assert response.status_code == 404
