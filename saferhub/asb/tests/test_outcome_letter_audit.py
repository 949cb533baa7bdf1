"""Issue 9 (7): the Case Review outcome letter (the applicant's name and address) is audited as an export,
once when it is issued and once for each download, and only when a letter is actually given."""

import datetime

import pytest
from django.urls import reverse

from saferhub.asb import actions
from saferhub.asb.models import Channel
from saferhub.asb.tests.world import build_world
from saferhub.audit.models import AuditAction, AuditEvent

D = datetime.date


@pytest.fixture
def world(db):
    return build_world()


def _review(world, *, sent: bool):
    review = actions.submit_case_review(
        world.owner,
        partnership=world.partnership,
        applicant_name="Vera Testvictim",
        channel=Channel.PHONE,
        applied_on=D(2024, 6, 3),
        problem="Noise",
    )
    if sent:
        actions.acknowledge_case_review(world.owner, review, D(2024, 6, 4))
        actions.decide_threshold(world.owner, review, met=False, reason="Two reports only", on=D(2024, 6, 10))
        actions.send_outcome(world.owner, review, on=D(2024, 6, 11), summary="The threshold is not met")
    return review


def test_issuing_and_downloading_the_letter_are_exports(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    review = _review(world, sent=True)
    client.force_login(world.owner)
    before = AuditEvent.objects.count()
    issued = client.post(
        reverse("letters:review-new", args=[review.reference]), {"deadline": "18/12/2099", "issue": ""}
    )
    assert issued.status_code == 302
    response = client.get(reverse("asb:review-letter", args=[review.reference]))
    assert response.status_code == 200
    new = AuditEvent.objects.filter(pk__gt=before, action=AuditAction.EXPORT).order_by("pk")
    assert [(event.detail["document"], event.object_type) for event in new] == [
        ("letter", "asb.casereview"),
        ("letter", "asb.casereview"),
    ]


def test_no_letter_no_export(world, client):
    review = _review(world, sent=False)
    client.force_login(world.owner)
    before = AuditEvent.objects.count()
    assert client.get(reverse("asb:review-letter", args=[review.reference])).status_code == 404
    assert not AuditEvent.objects.filter(pk__gt=before, action=AuditAction.EXPORT).exists()


def test_outsider_gets_404_and_nothing_is_audited_as_export(world, client):
    review = _review(world, sent=True)
    client.force_login(world.other_agency)
    assert client.get(reverse("asb:review-letter", args=[review.reference])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
