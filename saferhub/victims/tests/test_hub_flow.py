"""A hub coordinator takes a referral from the form to closure through the pages; the return counts it."""

import datetime

import pytest
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.cases.models import Case, CaseStatus, Participant, ParticipantRole
from saferhub.core.models import ReferenceList
from saferhub.directory.models import Category, Service, ServiceCategory
from saferhub.victims.models import HubReferral, OnwardOutcome, SupportDelivered
from saferhub.victims.report import build
from saferhub.victims.tests.world import build_world, client_for, code

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def referral_post(world, **overrides):
    data = {
        "from_agency": world.housing.pk,
        "referrer_name": "Tam Referrer",
        "referrer_contact": "tam.referrer@example.org",
        "consent_given": "yes",
        "referral_kind": "victim",
        "victim_type": "indirect",
        "crime_type": code(world, ReferenceList.VICTIM_HUB_CRIME_TYPE, "robbery").pk,
        "incident_date": "2024-01-05",
        "incident_in_area": "yes",
        "lives_in_area": "no",
        "reported_to_police": "yes",
        "police_reference": "CRN-12345",
        "assisting_investigation": "yes",
        "reason": "Synthetic: a teenager's parent was robbed on the way home; the teenager saw it.",
        "first_name": "Robin",
        "last_name": "Examplefield",
        "age": "15",
        "gender": "female",
        "ethnicity": "mixed_other",
        "disability": "no",
    }
    return data | overrides


def test_from_referral_form_to_closure(world):
    today = timezone.localdate()
    referrer = client_for(world, "shared")
    response = referrer.post("/victims/referrals/new/", referral_post(world))
    hub = HubReferral.objects.get()
    assert response.status_code == 302 and response.url == f"/victims/referrals/{hub.pk}/"
    assert hub.victim_type == "indirect" and hub.age_at_referral == 15 and hub.received_on == today
    assert hub.referral.to_team == world.hub and hub.referral.case_type.code == "vch"
    assert hub.first_contact_due_on > today

    owner = client_for(world, "owner")
    assert hub.pk in [h.pk for h in owner.get("/victims/triage/").context["page_obj"]]
    response = owner.post(f"/victims/referrals/{hub.pk}/accept/", {"assigned_to": world.owner.pk})
    assert response.status_code == 302
    hub.refresh_from_db()
    case = hub.referral.case
    assert case.reference.startswith("VCH-") and case.owning_team == world.hub
    assert Participant.objects.get(case=case).role == ParticipantRole.INDIRECT_VICTIM

    steps = [
        ("contact", {"made_on": today.isoformat(), "method": "phone", "successful": "no", "notes": "No answer"}),
        ("contact", {"made_on": today.isoformat(), "method": "phone", "successful": "yes"}),
        ("scores", {"satisfaction": "4", "safety": "3", "version": str(hub.version)}),
        (
            "care-plan",
            {
                "category": "trauma_therapy",
                "description": "Refer for counselling",
                "owner": world.owner.pk,
                "due_on": "2030-01-01",
            },
        ),
        (
            "support",
            {
                "support_type": code(world, ReferenceList.VICTIM_SUPPORT_TYPE, "personal_safety").pk,
                "delivered_on": today.isoformat(),
            },
        ),
        ("safety-items", {"kind": "personal_alarm", "quantity": "2", "issued_on": today.isoformat()}),
        ("rights", {"right": code(world, ReferenceList.VCOP_RIGHT, "4").pk, "informed_on": today.isoformat()}),
        ("rj-informed", {"informed_on": today.isoformat()}),
    ]
    for path, data in steps:
        response = owner.post(f"/victims/referrals/{hub.pk}/{path}/", data)
        assert response.status_code == 302, (path, response.context and response.context["form"].errors)

    rj = Service.objects.create(
        partnership=world.partnership, name="Calm Talk Mediation", how_to_refer="E-mail the form"
    )
    ServiceCategory.objects.create(service=rj, category=Category.RESTORATIVE_JUSTICE)
    assert (
        owner.post(
            f"/victims/referrals/{hub.pk}/rj-referral/", {"service": rj.pk, "referred_on": today.isoformat()}
        ).status_code
        == 302
    )
    onward = hub.onward_referrals.get()
    response = owner.post(
        f"/victims/referrals/{hub.pk}/onward/{onward.pk}/",
        {"outcome": "accepted", "outcome_on": today.isoformat(), "version": onward.version},
    )
    assert response.status_code == 302
    item = hub.care_plan_items.get()
    # Saving the item unchanged says so, and writes nothing.
    audit_rows = AuditEvent.objects.count()
    response = owner.post(
        f"/victims/referrals/{hub.pk}/care-plan/{item.pk}/", {"status": item.status, "outcome": "", "version": 1}
    )
    assert response.status_code == 200 and "Nothing has changed" in response.content.decode()
    assert AuditEvent.objects.count() == audit_rows
    owner.post(
        f"/victims/referrals/{hub.pk}/care-plan/{item.pk}/", {"status": "done", "outcome": "Six sessions", "version": 1}
    )

    case.refresh_from_db()
    response = owner.post(
        f"/victims/referrals/{hub.pk}/close/",
        {
            "closure_reason": "support_complete",
            "closed_on": today.isoformat(),
            "satisfaction_end": "8",
            "safety_end": "7",
            "version": case.version,
            # Rights other than those recorded above are still open: the page asks why it closes now.
            "close_anyway_reason": "Support complete; the other rights were explained in one conversation",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    hub.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "support_complete"
    assert hub.first_contact_on == today and hub.vcop_informed_on == today and hub.rj_informed_on == today
    assert onward.__class__.objects.get().outcome == OnwardOutcome.ACCEPTED
    assert set(SupportDelivered.objects.values_list("support_type__code", flat=True)) == {
        "personal_safety",
        "vcop_rights",
        "onward_referral",
    }
    assert hub.contact_attempts.count() == 2
    assert AuditEvent.objects.filter(case_id=case.pk).count() >= 10

    result = build(world.partnership, today, today)
    assert result["referrals"]["total"] == 1
    assert result["victim_type"] == {"direct": 0, "indirect": 1, "crime_prevention": 0}
    assert result["vcop_informed"] == {"count": 1, "percent_of_victims": 100.0}
    assert result["police"]["assisting"] == 1
    assert result["outcomes"]["satisfaction"] == {
        "scored": 1,
        "improved": 1,
        "percent_improved": 100.0,
        "average_start": 4.0,
        "average_end": 8.0,
    }
    assert result["first_contact"] == {"contacted": 1, "within_target": 1, "percent_within_target": 100.0}
    detail = owner.get(f"/victims/referrals/{hub.pk}/")
    assert detail.status_code == 200 and b"Calm Talk Mediation" in detail.content


def test_crime_prevention_referral_needs_no_victim_type_and_anonymous_is_fine(world):
    data = referral_post(
        world,
        referral_kind="crime_prevention",
        victim_type="",
        crime_type=code(world, ReferenceList.VICTIM_HUB_CRIME_TYPE, "crime_prevention").pk,
        first_name="",
        last_name="",
        age="",
        gender="",
        ethnicity="",
        disability="unknown",
        police_reference="",
        reported_to_police="unknown",
    )
    response = client_for(world, "shared").post("/victims/referrals/new/", data)
    assert response.status_code == 302
    hub = HubReferral.objects.get()
    assert hub.referral.person is None and hub.victim_type == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"victim_type": ""}, "victim_type", "Choose whether the person is a direct or an indirect victim"),
        (
            {"incident_in_area": "no", "lives_in_area": "no"},
            "lives_in_area",
            "only when the incident happened in the area",
        ),
        ({"reported_to_police": "no"}, "police_reference", "Remove the crime reference"),
        ({"incident_date": "2099-01-01"}, "incident_date", "must be today or in the past"),
        ({"crime_type": ""}, "crime_type", "Choose a crime type"),
    ],
)
def test_a_bad_referral_writes_nothing_and_says_what_is_wrong(world, overrides, field, message):
    response = client_for(world, "shared").post("/victims/referrals/new/", referral_post(world, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not HubReferral.objects.exists() and not Case.objects.exists()


def test_first_contact_deadline_skips_weekends_and_bank_holidays(world):
    from saferhub.victims.actions import first_contact_due

    # Thursday 21 December 2023: Friday 22nd, then Christmas and Boxing Day, so Wednesday 27th.
    assert first_contact_due(world.partnership, datetime.date(2023, 12, 21)) == datetime.date(2023, 12, 27)
    assert first_contact_due(world.partnership, datetime.date(2024, 3, 1)) == datetime.date(2024, 3, 5)
