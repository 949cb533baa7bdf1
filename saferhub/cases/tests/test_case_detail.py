"""The case file: what it shows, to whom, what it hides, and a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases import actions
from saferhub.cases.models import CaseLink, CaseStatus, ParticipantRole, StageLog
from saferhub.cases.tests.factories import (
    ActionFactory,
    CaseFactory,
    NoteFactory,
    ParticipantFactory,
    ReferralFactory,
)
from saferhub.cases.tests.test_case_world import build_world


@pytest.fixture
def world(db):
    return build_world()


def _url(case):
    return reverse("cases:detail", kwargs={"reference": case.reference})


def test_view_is_audited(client, world):
    client.force_login(world.shared)
    client.get(_url(world.case))
    event = AuditEvent.objects.get(action=AuditAction.VIEW, case_id=world.case.pk)
    assert event.user == world.shared


def test_shows_details_participants_and_shares(client, world):
    participant = ParticipantFactory(
        case=world.case, person__first_name="Quinby", person__last_name="Fictional", role=ParticipantRole.WITNESS
    )
    client.force_login(world.owner)
    page = client.get(_url(world.case)).content.decode()
    assert "Invented case one" in page
    assert "Victim Care Hub (Invented Council)" in page
    assert "Olive Owner" in page
    assert f'href="/people/{participant.person_id}/"' in page
    assert "Quinby Fictional" in page
    assert "Witness" in page
    assert "Invented Housing" in page  # shared with
    assert "Joint safety planning" in page
    assert "UK GDPR Art 6(1)(e) public task" in page
    assert page.count("<h1") == 1


def test_timeline_merges_notes_and_status_changes_newest_first(client, world):
    now = timezone.now()
    NoteFactory(case=world.case, text="Invented first note", created_at=now - datetime.timedelta(days=3))
    StageLog.objects.create(
        case=world.case, from_status=CaseStatus.OPEN, to_status=CaseStatus.ON_HOLD, at=now - datetime.timedelta(days=2)
    )
    NoteFactory(case=world.case, text="Invented latest note", created_at=now - datetime.timedelta(days=1))
    client.force_login(world.owner)
    page = client.get(_url(world.case)).content.decode()
    assert page.index("Invented latest note") < page.index("On hold") < page.index("Invented first note")


def test_overdue_action_is_tagged(client, world):
    ActionFactory(
        case=world.case,
        owner=world.owner,
        title="Invented late task",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    client.force_login(world.owner)
    page = client.get(_url(world.case)).content.decode()
    assert "Invented late task" in page
    assert "Overdue" in page


def test_referrals_linked_to_the_case_are_listed(client, world):
    ReferralFactory(to_team=world.owner_team, case_type=world.case_type, case=world.case, from_team=world.police_team)
    client.force_login(world.owner)
    page = client.get(_url(world.case)).content.decode()
    assert "Neighbourhood Policing (Invented Police)" in page


def test_linked_cases_hide_those_the_user_cannot_see(client, world):
    secret = CaseFactory(owning_team=world.police_team, case_type=world.case_type, title="Police-only invented case")
    mine = CaseFactory(owning_team=world.owner_team, case_type=world.case_type, title="Sibling invented case")
    CaseLink.objects.create(from_case=world.case, to_case=secret)
    CaseLink.objects.create(from_case=mine, to_case=world.case, reason="Same address")
    client.force_login(world.owner)
    page = client.get(_url(world.case)).content.decode()
    assert mine.reference in page
    assert "Same address" in page
    assert secret.reference not in page
    assert "Police-only invented case" not in page


def test_buttons_follow_access(client, world):
    client.force_login(world.owner)
    page = client.get(_url(world.case)).content.decode()
    for name in (
        "cases:edit",
        "cases:share",
        "cases:close",
        "cases:add-note",
        "cases:add-participant",
        "cases:revoke-share",
    ):
        kwargs = {"reference": world.case.reference}
        if name == "cases:revoke-share":
            kwargs["pk"] = world.share.pk
        assert reverse(name, kwargs=kwargs) in page
    client.force_login(world.shared)
    page = client.get(_url(world.case)).content.decode()
    assert reverse("cases:add-note", kwargs={"reference": world.case.reference}) in page
    for name in ("cases:edit", "cases:share", "cases:close", "cases:add-participant", "cases:link"):
        assert reverse(name, kwargs={"reference": world.case.reference}) not in page
    assert "Revoke" not in page
    # The shared user does not own the world's action, so cannot tick it off.
    assert reverse("cases:action-done", kwargs={"reference": world.case.reference, "pk": world.action.pk}) not in page


def test_action_owner_outside_the_team_sees_buttons_for_their_action(client, world):
    own = ActionFactory(case=world.case, owner=world.shared)
    client.force_login(world.shared)
    page = client.get(_url(world.case)).content.decode()
    assert reverse("cases:action-done", kwargs={"reference": world.case.reference, "pk": own.pk}) in page


def test_closed_case_offers_reopen_not_close(client, world):
    actions.change_status(world.owner, world.case, CaseStatus.CLOSED, expected_version=1, closure_reason="done")
    client.force_login(world.owner)
    page = client.get(_url(world.case)).content.decode()
    assert reverse("cases:reopen", kwargs={"reference": world.case.reference}) in page
    assert reverse("cases:close", kwargs={"reference": world.case.reference}) not in page


def test_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    def fill(n_notes, n_actions, n_people):
        for _ in range(n_notes):
            NoteFactory(case=world.case, created_by=world.owner, agency=world.council)
        for _ in range(n_actions):
            ActionFactory(case=world.case, owner=world.teammate)
        for _ in range(n_people):
            ParticipantFactory(case=world.case)
        StageLog.objects.create(case=world.case, from_status="open", to_status="on_hold", by=world.owner)

    client.force_login(world.owner)
    fill(1, 1, 1)
    client.get(_url(world.case))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(_url(world.case))
    fill(20, 10, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_url(world.case))
    assert response.status_code == 200
    assert len(response.context["actions"]) == 12
