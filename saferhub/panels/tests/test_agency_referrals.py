"""Member agencies refer online; the coordinator accepts (onto the panel case) or returns with a reason."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.assessments.definitions import install_templates
from saferhub.assessments.models import Assessment
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.panels import actions
from saferhub.panels.forms import checklist_template
from saferhub.panels.models import PanelReferral, ReferralStatus
from saferhub.panels.reports import build_marac
from saferhub.panels.tests.world import build_world, person, refer, user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def world():
    world = build_world()
    install_templates(world.partnership)
    world.users["police_colleague"] = user(world.police_team, "Poppy Policecolleague")
    return world


def _client(world, who):
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def _checklist(world, yes):
    codes = [q.code for q in checklist_template(world.da).questions.all()]
    return {f"check_{code}": "yes" if n < yes else "no" for n, code in enumerate(codes)}


def _submit(world, who="police", **extra):
    data = {
        "person_first_name": "Juniper",
        "person_last_name": "Ashcombe",
        "person_gender": "female",
        "reason": "Threats to kill after separation",
        "basis": "visible_high_risk",
        "children_in_household": "1",
        "relationship": "ex_partner",
        "perpetrator_gender": "male",
        "mental_health_need": "no",
        **_checklist(world, 15),
        **extra,
    }
    return _client(world, who).post("/panels/types/da_marac/submit/details/", data)


def test_member_agency_submits_a_referral_to_the_coordinators_queue(world):
    response = _submit(world)
    referral = PanelReferral.objects.get()
    assert response.status_code == 302 and response.url == f"/panels/referrals/{referral.pk}/"
    assert referral.status == ReferralStatus.SUBMITTED and referral.submitted_online
    assert referral.panel_case is None and referral.referral_date == TODAY
    assert referral.referring_agency == world.police and referral.referrer_name == "Pat Police"
    assert referral.dash_score == 15 and len(referral.checklist_answers) == 24
    assert not Assessment.objects.exists()  # recorded on the panel case when accepted
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, detail__status="submitted").exists()
    queue = _client(world, "coordinator").get("/panels/referrals/awaiting-review/").content.decode()
    assert "Juniper Ashcombe" in queue and "Testshire Police" in queue
    mine = _client(world, "police").get("/panels/referrals/mine/").content.decode()
    assert "Awaiting review" in mine and "Juniper Ashcombe" in mine


def test_submission_with_errors_writes_nothing(world):
    response = _submit(world, reason="", basis="professional_judgement", **_checklist(world, 3))
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Enter why you are making the referral" in page
    assert "Enter the reason for referring on professional judgement" in page
    assert not PanelReferral.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("police", 200), ("health", 200), ("colleague", 200), ("housing", 403), ("analyst", 403), ("anonymous", 302)],
)
def test_who_may_refer(world, who, status):
    assert _client(world, who).get("/panels/types/da_marac/submit/details/").status_code == status
    assert _client(world, who).get("/panels/types/da_marac/submit/?q=Ashcombe").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("police", 200),  # the referrer
        ("coordinator", 200),
        ("police_colleague", 404),
        ("same_agency", 404),
        ("housing", 404),
        ("analyst", 403),
        ("anonymous", 302),
    ],
)
def test_who_sees_a_submitted_referral(world, who, status):
    _submit(world)
    referral = PanelReferral.objects.get()
    assert _client(world, who).get(f"/panels/referrals/{referral.pk}/").status_code == status


@pytest.mark.parametrize("who", ["police", "police_colleague", "housing"])
def test_only_coordinators_review(world, who):
    _submit(world)
    pk = PanelReferral.objects.get().pk
    client = _client(world, who)
    assert client.get("/panels/referrals/awaiting-review/").status_code == 403
    assert client.post(f"/panels/referrals/{pk}/accept/").status_code == 404
    assert client.post(f"/panels/referrals/{pk}/return/", {"reason": "No"}).status_code == 404
    assert PanelReferral.objects.get().status == ReferralStatus.SUBMITTED


def test_accepting_opens_the_panel_case_records_the_checklist_and_counts_in_the_return(world):
    _submit(world)
    referral = PanelReferral.objects.get()
    assert build_marac(world.partnership, days(-1), days(0), panel_type="da_marac")["total"]["referrals"] == 0
    coordinator = _client(world, "coordinator")
    assert coordinator.get(f"/panels/referrals/{referral.pk}/accept/").status_code == 200
    response = coordinator.post(f"/panels/referrals/{referral.pk}/accept/")
    referral.refresh_from_db()
    assert response.status_code == 302
    assert referral.status == ReferralStatus.ACCEPTED and referral.decided_by == world.coordinator
    assert referral.panel_case.case.owning_team == world.marac_team
    assert referral.assessment.score == 15 and referral.assessment.case_id == referral.panel_case.case_id
    assert build_marac(world.partnership, days(-1), days(0), panel_type="da_marac")["total"]["referrals"] == 1
    assert "Accepted" in _client(world, "police").get("/panels/referrals/mine/").content.decode()
    # Decided once: a second acceptance is refused.
    assert coordinator.post(f"/panels/referrals/{referral.pk}/accept/").status_code == 404


def test_repeat_is_shown_at_review_and_matching_the_known_person_flags_it(world):
    ivy = person(world, "Juniper", "Ashcombe")
    earlier = refer(world, ivy, days(-100))
    _submit(world)  # the police could not see Ivy's record, so a new person was created
    referral = PanelReferral.objects.get(status=ReferralStatus.SUBMITTED)
    assert not referral.is_repeat
    coordinator = _client(world, "coordinator")
    page = coordinator.get(f"/panels/referrals/{referral.pk}/accept/").content.decode()
    assert "already knows 1 person" in page
    coordinator.post(f"/panels/referrals/{referral.pk}/accept/", {"same_person_as": ivy.pk})
    referral.refresh_from_db()
    assert referral.person == ivy and referral.is_repeat and referral.repeat_of == earlier
    assert referral.panel_case == earlier.panel_case


def test_submitted_referral_is_flagged_the_same_way_and_shown_in_the_queue(world):
    ivy = person(world)
    earlier = refer(world, ivy, days(-30))
    submitted = actions.submit_referral(world.users["police"], world.da, person=ivy, reason="Again")
    assert submitted.is_repeat and submitted.repeat_of == earlier
    assert "Repeat" in _client(world, "coordinator").get("/panels/referrals/awaiting-review/").content.decode()
    detail = _client(world, "coordinator").get(f"/panels/referrals/{submitted.pk}/").content.decode()
    assert "Repeat referral" in detail
    # The referrer is not told about earlier referrals.
    assert "Repeat referral" not in _client(world, "police").get(f"/panels/referrals/{submitted.pk}/").content.decode()


def test_a_referral_awaiting_review_or_returned_makes_no_later_one_a_repeat(world):
    ivy = person(world)
    pending = actions.submit_referral(world.users["police"], world.da, person=ivy, reason="First")
    pending.referral_date = days(-20)
    pending.save()
    later = refer(world, ivy, days(-1))
    assert not later.is_repeat
    actions.accept_referral(world.coordinator, pending)
    later.refresh_from_db()
    assert later.is_repeat and later.repeat_of == pending
    other = person(world, "Rook", "Fennimore")
    returned = actions.submit_referral(world.users["police"], world.da, person=other, reason="First")
    refer(world, other, days(-40))
    returned.refresh_from_db()
    assert returned.is_repeat
    actions.return_referral(world.coordinator, returned, reason="Not enough information")
    returned.refresh_from_db()
    assert not returned.is_repeat


def test_returning_needs_a_reason_and_the_referrer_sees_it(world):
    _submit(world)
    referral = PanelReferral.objects.get()
    coordinator = _client(world, "coordinator")
    page = coordinator.post(f"/panels/referrals/{referral.pk}/return/", {"reason": " "}).content.decode()
    assert "Enter the reason for returning the referral" in page and "govuk-error-summary" in page
    assert PanelReferral.objects.get().status == ReferralStatus.SUBMITTED
    response = coordinator.post(
        f"/panels/referrals/{referral.pk}/return/", {"reason": "Please complete the risk checklist with the victim"}
    )
    assert response.status_code == 302 and response.url == "/panels/referrals/awaiting-review/"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RETURNED and referral.panel_case is None
    page = _client(world, "police").get(f"/panels/referrals/{referral.pk}/").content.decode()
    assert "Returned" in page and "Please complete the risk checklist with the victim" in page
    assert build_marac(world.partnership, days(-1), days(0), panel_type="da_marac")["total"]["referrals"] == 0


def test_agency_users_see_where_to_refer_on_the_panels_page(world):
    page = _client(world, "police").get("/panels/").content.decode()
    assert "/panels/types/da_marac/submit/" in page
    assert "/panels/types/da_marac/submit/" not in _client(world, "housing").get("/panels/").content.decode()


def test_review_queue_and_own_referrals_run_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    police = world.users["police"]
    for n in range(6):
        actions.submit_referral(police, world.da, person=person(world, "Test", f"Person{n}"), reason="Risk")
    coordinator, referrer = _client(world, "coordinator"), _client(world, "police")
    with django_assert_max_num_queries(12):
        assert coordinator.get("/panels/referrals/awaiting-review/").status_code == 200
    with django_assert_max_num_queries(12):
        assert referrer.get("/panels/referrals/mine/").status_code == 200
