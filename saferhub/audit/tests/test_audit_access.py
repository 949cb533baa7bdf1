"""Who may open the audit trail and the break-glass review pages."""

import pytest
from django.urls import reverse

from saferhub.audit import log
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.audit.tests.helpers import make_world, sign_in


@pytest.fixture
def world(db):
    return make_world()


VIEWER = {
    "auditor": 200,
    "admin": 403,
    "caseworker": 403,
    "analyst": 403,
    "other_admin": 403,
    "other_auditor": 200,
    "anonymous": 302,
}
REVIEW_LIST = {**VIEWER, "admin": 200, "other_admin": 200}
REVIEW_ONE = {**REVIEW_LIST, "other_admin": 404, "other_auditor": 404}


@pytest.mark.parametrize("who", VIEWER)
@pytest.mark.parametrize("name", ["audit:events", "audit:export"])
def test_viewer_and_export_by_role(client, world, who, name):
    sign_in(client, world, who)
    response = client.get(reverse(name))
    assert response.status_code == VIEWER[who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("who", REVIEW_LIST)
def test_break_glass_list_by_role(client, world, who):
    sign_in(client, world, who)
    response = client.get(reverse("audit:break-glass"))
    assert response.status_code == REVIEW_LIST[who]
    if response.status_code == 200:
        assert (world.grant in response.context["grants"]) == (who in {"auditor", "admin"})


@pytest.mark.parametrize("who", REVIEW_ONE)
def test_break_glass_review_by_role(client, world, who):
    sign_in(client, world, who)
    url = reverse("audit:break-glass-review", args=[world.grant.pk])
    assert client.get(url).status_code == REVIEW_ONE[who]


@pytest.mark.parametrize(("who", "status"), [("caseworker", 403), ("analyst", 403), ("other_admin", 404)])
def test_outsiders_cannot_record_a_review(client, world, who, status):
    sign_in(client, world, who)
    before = AuditEvent.objects.count()
    url = reverse("audit:break-glass-review", args=[world.grant.pk])
    assert client.post(url, {"review_note": "Looks fine to me, honestly"}).status_code == status
    world.grant.refresh_from_db()
    assert world.grant.reviewed_at is None
    assert AuditEvent.objects.count() == before


def test_auditor_sees_only_their_own_partnership(client, world):
    log.record(world.users["caseworker"], AuditAction.VIEW, world.case)
    log.record(world.users["other_admin"], AuditAction.SIGN_IN)
    client.force_login(world.users["other_auditor"])
    response = client.get(reverse("audit:events"))
    assert all(
        event.partnership_id == world.users["other_auditor"].partnership_id for event in response.context["events"]
    )
    assert "VCH-2024-00031" not in response.content.decode()
    csv_body = b"".join(client.get(reverse("audit:export")).streaming_content).decode()
    assert "VCH-2024-00031" not in csv_body
