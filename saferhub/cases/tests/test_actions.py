"""State changes: references, stage log, optimistic locking, referral decisions, audit rows."""

import pytest

from saferhub.accounts.tests.factories import TeamFactory, UserFactory
from saferhub.audit.models import AuditEvent
from saferhub.cases import actions
from saferhub.cases.models import CaseStatus, ReferralDecision, StageLog
from saferhub.cases.tests.factories import CaseTypeFactory, ReferralFactory
from saferhub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def case_type(user):
    return CaseTypeFactory(partnership=user.partnership, code="vch", name="Victim Care Hub", prefix="VCH")


def make_case(user, case_type, **kwargs):
    return actions.create_case(user, case_type=case_type, owning_team=user.team, title="Synthetic case", **kwargs)


def test_references_count_up_per_prefix_and_year(user, case_type):
    import datetime

    first = make_case(user, case_type, opened_on=datetime.date(2024, 3, 1))
    second = make_case(user, case_type, opened_on=datetime.date(2024, 5, 1))
    next_year = make_case(user, case_type, opened_on=datetime.date(2025, 1, 2))
    assert [first.reference, second.reference, next_year.reference] == [
        "VCH-2024-00001",
        "VCH-2024-00002",
        "VCH-2025-00001",
    ]


def test_create_case_writes_stage_log_and_audit(user, case_type):
    case = make_case(user, case_type)
    assert list(case.stage_log.values_list("from_status", "to_status")) == [("", CaseStatus.OPEN)]
    assert AuditEvent.objects.filter(case_id=case.pk, action="create", user=user).count() == 1


def test_stale_edit_is_refused_and_nothing_overwritten(user, case_type):
    case = make_case(user, case_type)
    opened_version = case.version
    actions.update_case(user, case, expected_version=opened_version, changes={"title": "First save"})
    with pytest.raises(actions.StaleEdit):
        actions.update_case(user, case, expected_version=opened_version, changes={"title": "Second save"})
    case.refresh_from_db()
    assert case.title == "First save"
    assert case.version == opened_version + 1


def test_close_needs_reason_and_logs_stage(user, case_type):
    case = make_case(user, case_type)
    with pytest.raises(actions.InvalidTransition, match="reason"):
        actions.change_status(user, case, CaseStatus.CLOSED, expected_version=case.version)
    case = actions.change_status(
        user, case, CaseStatus.CLOSED, expected_version=case.version, closure_reason="support_complete"
    )
    assert case.status == CaseStatus.CLOSED and case.closed_on is not None
    assert StageLog.objects.filter(case=case, to_status=CaseStatus.CLOSED, by=user).exists()
    with pytest.raises(actions.InvalidTransition):
        actions.change_status(user, case, CaseStatus.ON_HOLD, expected_version=case.version)
    case = actions.change_status(user, case, CaseStatus.OPEN, expected_version=case.version, reason="New incident")
    assert case.closed_on is None and case.closure_reason == ""


def test_accept_referral_creates_case_with_person(user, case_type):
    person = PersonFactory(partnership=user.partnership)
    referral = ReferralFactory(to_team=user.team, case_type=case_type, person=person)
    case = actions.accept_referral(user, referral, title="Support after burglary")
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.ACCEPTED and referral.case == case
    assert case.owning_team == user.team and case.reference.startswith("VCH-")
    assert case.participants.get().person == person
    with pytest.raises(actions.InvalidTransition, match="already accepted"):
        actions.decline_referral(user, referral, "Duplicate")


def test_redirect_referral_sends_a_new_pending_referral(user, case_type):
    referral = ReferralFactory(to_team=user.team, case_type=case_type)
    other_team = TeamFactory(partnership=user.partnership, agency=user.agency)
    with pytest.raises(actions.InvalidTransition, match="reason"):
        actions.redirect_referral(user, referral, other_team, " ")
    onward = actions.redirect_referral(user, referral, other_team, "Housing issue, not a crime")
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.REDIRECTED and referral.redirected_to == other_team
    assert onward.pk != referral.pk and onward.to_team == other_team
    assert onward.decision == ReferralDecision.PENDING and onward.reason == referral.reason


def test_decline_needs_reason(user, case_type):
    referral = ReferralFactory(to_team=user.team, case_type=case_type)
    with pytest.raises(actions.InvalidTransition):
        actions.decline_referral(user, referral, "")
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.PENDING


def test_cases_are_never_shared_outside_their_partnership(user, case_type):
    from saferhub.accounts.tests.factories import AgencyFactory

    case = make_case(user, case_type)
    with pytest.raises(actions.InvalidTransition, match="own partnership"):
        actions.share_case(user, case, purpose="Safety planning", lawful_basis="public_task", agency=AgencyFactory())
    assert not case.shares.exists()
