"""Closing a case with a team manager's approval: ask, approve, return; who may do which."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub import policy
from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditEvent
from saferhub.cases import actions, bulk
from saferhub.cases.models import Case, CaseStatus, ClosureRequest, ClosureRequestStatus, RestrictedAccess, StageLog
from saferhub.cases.tests.factories import CaseFactory, ClosureRequestFactory, ReturnedClosureRequestFactory
from saferhub.cases.tests.test_case_world import build_world
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.imports.models import ImportStatus
from saferhub.imports.registry import Column, ImportKind, Outcome
from saferhub.imports.runner import run_import
from saferhub.notifications.models import Kind, Notification


@pytest.fixture
def world(db):
    w = build_world()
    w.case_type.closure_needs_approval = True
    w.case_type.save()
    w.manager = UserFactory(team=w.owner_team, full_name="Maya Manager", roles=[Role.TEAM_MANAGER])
    w.other_manager = UserFactory(team=w.sister_team, full_name="Nico Othermanager", roles=[Role.TEAM_MANAGER])
    ReferenceCode.objects.create(
        partnership=w.partnership,
        code_list=ReferenceList.CASE_CLOSURE_REASON,
        code="support_complete",
        label="Support complete",
    )
    return w


def _url(name, case):
    return reverse(name, kwargs={"reference": case.reference})


def _audits(case, closure_step):
    return AuditEvent.objects.filter(case_id=case.pk, detail__closure=closure_step)


# The journey -------------------------------------------------------------------------------------


def test_a_caseworker_asks_and_the_case_stays_open_awaiting_approval(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.owner)
    # Closing a case of this type is asking: the close page leads to the request page.
    assert client.get(_url("cases:close", world.case))["Location"] == _url("cases:closure-request", world.case)
    detail = client.get(_url("cases:detail", world.case)).content.decode()
    assert "Ask to close the case" in detail and _url("cases:close", world.case) not in detail
    assert "Support complete" in client.get(_url("cases:closure-request", world.case)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("cases:closure-request", world.case),
            {"version": 1, "closure_reason": "support_complete", "reason": "All goals met"},
        )
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.OPEN and case.closed_on is None
    closure = ClosureRequest.objects.get(case=case)
    assert (closure.status, closure.closure_reason, closure.note, closure.requested_by) == (
        ClosureRequestStatus.PENDING,
        "support_complete",
        "All goals met",
        world.owner,
    )
    assert _audits(case, "requested").filter(user=world.owner).count() == 1
    page = client.get(_url("cases:detail", case)).content.decode()
    assert "Closure awaiting approval" in page and "Support complete" in page
    assert "Ask to close the case" not in page and _url("cases:closure-approve", case) not in page
    # The team's managers are told; nobody else.
    told = Notification.objects.filter(kind=Kind.CLOSURE_REQUESTED)
    assert list(told.values_list("recipient", flat=True)) == [world.manager.pk]
    assert told.get().url == _url("cases:closure-approve", case)


def test_the_teams_manager_approves_and_the_case_closes_that_day_with_the_requested_reason(client, world):
    ClosureRequestFactory(case=world.case, requested_by=world.owner, note="All goals met")
    client.force_login(world.manager)
    detail = client.get(_url("cases:detail", world.case)).content.decode()
    assert _url("cases:closure-approve", world.case) in detail and _url("cases:closure-return", world.case) in detail
    page = client.get(_url("cases:closure-approve", world.case)).content.decode()
    assert "Olive Owner" in page and "Support complete" in page and "All goals met" in page
    assert page.count("<h1") == 1

    response = client.post(_url("cases:closure-approve", world.case), {"version": world.case.version})
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == "support_complete"
    assert case.closed_on == timezone.localdate()
    stage = StageLog.objects.get(case=case, to_status=CaseStatus.CLOSED)
    assert stage.by == world.manager and stage.reason == "All goals met"
    closure = ClosureRequest.objects.get(case=case)
    assert closure.status == ClosureRequestStatus.APPROVED and closure.decided_by == world.manager
    assert _audits(case, "approved").filter(user=world.manager).count() == 1
    timeline = client.get(_url("cases:detail", case)).content.decode()
    assert "Closure asked for" in timeline and "Closure approved" in timeline
    assert "(Support complete)" in timeline and "(support_complete)" not in timeline  # the label, not the code


def test_returning_keeps_the_case_open_and_tells_the_caseworker(client, world, django_capture_on_commit_callbacks):
    ClosureRequestFactory(case=world.case, requested_by=world.owner)
    client.force_login(world.manager)
    blank = client.post(_url("cases:closure-return", world.case), {"version": world.case.version, "reason": "  "})
    assert blank.status_code == 200
    assert "Enter why you are returning the request to close the case" in blank.content.decode()
    assert ClosureRequest.objects.get(case=world.case).is_pending

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("cases:closure-return", world.case),
            {"version": world.case.version, "reason": "Record the victim's feedback first"},
        )
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.OPEN
    closure = ClosureRequest.objects.get(case=case)
    assert closure.status == ClosureRequestStatus.RETURNED
    assert closure.return_reason == "Record the victim's feedback first"
    assert _audits(case, "returned").filter(user=world.manager).count() == 1
    notice = Notification.objects.get(kind=Kind.CLOSURE_RETURNED)
    assert notice.recipient == world.owner and notice.url == _url("cases:detail", case)
    assert "feedback" not in notice.title  # a reference, never the free text
    # The caseworker sees why, and may ask again.
    client.force_login(world.owner)
    page = client.get(_url("cases:detail", case)).content.decode()
    assert "Closure returned: Record the victim&#x27;s feedback first" in page and "Ask to close the case" in page


def test_a_type_without_approval_closes_as_before(client, world):
    world.case_type.closure_needs_approval = False
    world.case_type.save()
    client.force_login(world.owner)
    assert client.get(_url("cases:closure-request", world.case))["Location"] == _url("cases:close", world.case)
    client.post(_url("cases:close", world.case), {"version": 1, "closure_reason": "support_complete"})
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.CLOSED
    assert not ClosureRequest.objects.exists()


def test_the_teams_manager_closes_directly(client, world):
    client.force_login(world.manager)
    assert client.get(_url("cases:close", world.case)).status_code == 200
    client.post(_url("cases:close", world.case), {"version": 1, "closure_reason": "support_complete"})
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.CLOSED


def test_a_pending_request_stops_closing_and_a_second_request(client, world):
    ClosureRequestFactory(case=world.case, requested_by=world.owner)
    client.force_login(world.manager)
    assert client.get(_url("cases:close", world.case))["Location"] == _url("cases:detail", world.case)
    client.force_login(world.owner)
    response = client.post(
        _url("cases:closure-request", world.case), {"version": world.case.version, "closure_reason": "support_complete"}
    )
    assert response["Location"] == _url("cases:detail", world.case)
    assert ClosureRequest.objects.count() == 1
    with pytest.raises(actions.InvalidTransition):
        actions.request_closure(
            world.owner, world.case, expected_version=world.case.version, closure_reason="support_complete"
        )


def test_a_decision_on_a_case_changed_since_the_page_opened_is_refused(client, world):
    ClosureRequestFactory(case=world.case, requested_by=world.owner)
    client.force_login(world.manager)
    seen = world.case.version
    actions.update_case(world.owner, world.case, expected_version=seen, changes={"title": "Invented case renamed"})
    response = client.post(_url("cases:closure-approve", world.case), {"version": seen})
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.OPEN
    assert ClosureRequest.objects.get(case=world.case).is_pending


def test_a_request_decided_already_is_not_decided_again(client, world):
    ClosureRequestFactory(case=world.case, requested_by=world.owner)
    client.force_login(world.manager)
    version = world.case.version
    client.post(_url("cases:closure-return", world.case), {"version": version, "reason": "Not yet"})
    response = client.post(_url("cases:closure-approve", world.case), {"version": version + 1})
    assert response["Location"] == _url("cases:detail", world.case)
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.OPEN
    with pytest.raises(actions.InvalidTransition):
        actions.approve_closure(world.manager, world.case, expected_version=Case.objects.get(pk=world.case.pk).version)


def test_a_stale_request_form_asks_nothing(client, world):
    client.force_login(world.owner)
    actions.update_case(world.teammate, world.case, expected_version=1, changes={"title": "Invented case renamed"})
    response = client.post(
        _url("cases:closure-request", world.case), {"version": 1, "closure_reason": "support_complete"}
    )
    assert response.status_code == 200 and "changed by someone else" in response.content.decode()
    assert not ClosureRequest.objects.exists()


def test_bulk_close_does_not_skip_the_approval(world):
    chosen = [(world.case, world.case.version)]
    with pytest.raises(bulk.BulkRefused, match="needs a team manager's approval"):
        bulk.close_cases(world.owner, chosen, closure_reason="support_complete")
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.OPEN
    ClosureRequestFactory(case=world.case, requested_by=world.owner)
    with pytest.raises(bulk.BulkRefused, match="awaiting approval"):
        bulk.close_cases(world.manager, chosen, closure_reason="support_complete")


# Who may do what ---------------------------------------------------------------------------------

ACTORS = [
    "manager",
    "owner",
    "colleague",
    "other_manager",
    "other_agency",
    "shared",
    "restricted_manager",
    "analyst",
    "anonymous",
]


def _row(*statuses):
    return dict(zip(ACTORS, statuses, strict=True))


# The restricted manager is a team manager of the owning team not named on the restricted case.
ASK = _row(200, 200, 404, 404, 404, 403, 404, 404, 302)
DECIDE = _row(200, 403, 404, 404, 404, 403, 404, 404, 302)
PAGES = {"cases:closure-request": ASK, "cases:closure-approve": DECIDE, "cases:closure-return": DECIDE}


def _as(client, world, actor):
    """Log in as the actor; the case they are tried against (restricted for the restricted manager)."""
    user = None if actor in {"anonymous", "restricted_manager"} else getattr(world, actor)
    if actor == "restricted_manager":
        user = world.manager
    if user is not None:
        client.force_login(user)
    case = world.restricted_case if actor == "restricted_manager" else world.case
    if actor == "restricted_manager":
        RestrictedAccess.objects.filter(case=case, user=world.manager).delete()
    return case


@pytest.mark.parametrize(
    ("name", "actor", "expected"), [(name, actor, row[actor]) for name, row in PAGES.items() for actor in ACTORS]
)
def test_who_may_open_each_page(client, world, name, actor, expected):
    if name != "cases:closure-request":
        ClosureRequestFactory(case=world.case, requested_by=world.owner)
        ClosureRequestFactory(case=world.restricted_case, requested_by=world.owner)
    case = _as(client, world, actor)
    response = client.get(_url(name, case))
    assert response.status_code == expected
    if expected == 404:
        assert case.reference not in response.content.decode()


@pytest.mark.parametrize(("actor", "expected"), DECIDE.items())
def test_only_the_teams_managers_approve(client, world, actor, expected):
    for case in (world.case, world.restricted_case):
        ClosureRequestFactory(case=case, requested_by=world.owner)
    case = _as(client, world, actor)
    response = client.post(_url("cases:closure-approve", case), {"version": case.version})
    assert response.status_code == (302 if expected == 200 else expected)
    closed = Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert closed == (actor == "manager")


@pytest.mark.parametrize(("actor", "expected"), DECIDE.items())
def test_only_the_teams_managers_return(client, world, actor, expected):
    for case in (world.case, world.restricted_case):
        ClosureRequestFactory(case=case, requested_by=world.owner)
    case = _as(client, world, actor)
    response = client.post(_url("cases:closure-return", case), {"version": case.version, "reason": "Not yet"})
    assert response.status_code == (302 if expected == 200 else expected)
    returned = ClosureRequest.objects.get(case=case).status == ClosureRequestStatus.RETURNED
    assert returned == (actor == "manager")


def test_closures_awaiting_approval_are_the_teams_own_visible_pending_ones(world):
    mine = ClosureRequestFactory(case=world.case, requested_by=world.owner)
    restricted = ClosureRequestFactory(case=world.restricted_case, requested_by=world.owner)
    ReturnedClosureRequestFactory(
        case=CaseFactory(owning_team=world.owner_team, case_type=world.case_type), requested_by=world.owner
    )
    ClosureRequestFactory(
        case=CaseFactory(owning_team=world.sister_team, case_type=world.case_type), requested_by=world.colleague
    )
    assert list(policy.closures_awaiting_approval(world.manager)) == [mine]
    RestrictedAccess.objects.create(case=world.restricted_case, user=world.manager)
    assert list(policy.closures_awaiting_approval(world.manager)) == [mine, restricted]
    for user in (world.owner, world.other_manager, world.shared, world.analyst):
        assert world.case not in [c.case for c in policy.closures_awaiting_approval(user)]


# A case closed another way ----------------------------------------------------------------------


class _ClosingImport(ImportKind):
    """Closes the case named on each row, as the module imports do when a file says a case ended."""

    def write_batch(self, ctx, rows):
        for row in rows:
            Case.objects.filter(reference=row["reference"]).update(
                status=CaseStatus.CLOSED, closed_on=timezone.localdate(), closure_reason="other"
            )
            yield Outcome.UPDATED


_CLOSING = _ClosingImport(slug="closing-test", title="Closing", columns=(Column("reference", required=True),))


def _import_closing(world, reference, *, dry_run=False):
    return run_import(
        _CLOSING,
        io.BytesIO(f"reference\n{reference}\n".encode()),
        partnership=world.partnership,
        filename="closing.csv",
        user=world.manager,
        dry_run=dry_run,
    )


def test_a_case_closed_by_an_import_settles_its_pending_request(world):
    closure = ClosureRequestFactory(case=world.case, requested_by=world.owner)
    other = ClosureRequestFactory(case=CaseFactory(case_type=world.case_type, owning_team=world.owner_team))

    assert _import_closing(world, world.case.reference).status == ImportStatus.SUCCEEDED

    closure.refresh_from_db()
    assert closure.status == ClosureRequestStatus.OVERTAKEN and closure.get_status_display() == "Closed another way"
    assert closure.decided_at is not None
    assert _audits(world.case, "overtaken").count() == 1
    # Only the closed case's request: the other still waits for its manager.
    assert ClosureRequest.objects.get(pk=other.pk).status == ClosureRequestStatus.PENDING
    assert list(policy.closures_awaiting_approval(world.manager)) == [ClosureRequest.objects.get(pk=other.pk)]


def test_a_dry_run_settles_nothing(world):
    closure = ClosureRequestFactory(case=world.case, requested_by=world.owner)
    _import_closing(world, world.case.reference, dry_run=True)
    assert ClosureRequest.objects.get(pk=closure.pk).status == ClosureRequestStatus.PENDING
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.OPEN


def test_a_case_closed_by_another_action_settles_its_request_and_reopening_does_not_revive_it(client, world):
    closure = ClosureRequestFactory(case=world.case, requested_by=world.owner)
    # As a hearing outcome or an RJ closure does: the case's own status change.
    case = actions.change_status(
        world.manager, world.case, CaseStatus.CLOSED, expected_version=world.case.version, closure_reason="other"
    )
    closure.refresh_from_db()
    assert (closure.status, closure.decided_by) == (ClosureRequestStatus.OVERTAKEN, world.manager)

    client.force_login(world.owner)
    timeline = client.get(_url("cases:detail", case)).content.decode()
    assert "Closure request settled: the case was closed another way" in timeline
    assert "Closure returned" not in timeline

    case = actions.change_status(world.manager, case, CaseStatus.OPEN, expected_version=case.version)
    assert actions.pending_closure(case) is None
    # The caseworker may ask again.
    actions.request_closure(world.owner, case, expected_version=case.version, closure_reason="support_complete")
    assert actions.pending_closure(case).requested_by == world.owner


def test_approving_is_not_counted_as_closed_another_way(world):
    ClosureRequestFactory(case=world.case, requested_by=world.owner)
    actions.approve_closure(world.manager, world.case, expected_version=world.case.version)
    assert ClosureRequest.objects.get(case=world.case).status == ClosureRequestStatus.APPROVED
    assert not _audits(world.case, "overtaken").exists()
