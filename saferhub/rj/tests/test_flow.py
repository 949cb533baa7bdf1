"""The RJ process through the pages: the hub's Right 3 referral into the coordinator's queue,
screening backed by the risk assessment, consent, the conference, the outcome agreement and
the follow-up; the rules for domestic abuse and sexual harm; onward referral and the provider's
outcome."""

import pytest
from django.utils import timezone

from saferhub.cases.models import CaseStatus
from saferhub.rj import actions
from saferhub.rj.models import Consent, PartyRole, RjCase, Source, Stage
from saferhub.rj.tests.world import DAY, assess, build_world, client_for, new_case, suitable_case
from saferhub.victims.tests.world import accepted_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_the_hubs_right_3_referral_reaches_the_queue_and_is_worked_to_the_end(world):
    today = timezone.localdate().isoformat()
    hub = accepted_referral(world, shared=False)
    assert hub.rj_informed_on is None
    hub_client = client_for(world, "colleague")
    post(hub_client, f"/rj/refer/from-hub/{hub.pk}/", {"harm_kind": "crime", "specialist_harm": "none"})
    rj = RjCase.objects.get(hub_referral=hub)
    hub.refresh_from_db()
    assert rj.source == Source.VICTIM_HUB and rj.stage == Stage.REFERRED
    assert hub.rj_informed_on is not None  # Right 3 recorded
    assert rj.parties.get(role=PartyRole.HARMED).person_id == hub.referral.person_id

    coordinator = client_for(world, "owner")
    assert rj.case.reference in coordinator.get("/rj/").content.decode()
    # Screening as suitable needs the risk assessment first.
    response = coordinator.post(
        f"/rj/cases/{rj.pk}/screen/", {"version": rj.version, "suitability": "suitable", "screened_on": today}
    )
    assert "Record the risk assessment on the case before screening it as suitable" in response.content.decode()
    assess(world, rj)
    rj.refresh_from_db()
    post(coordinator, f"/rj/cases/{rj.pk}/screen/", {"version": rj.version, "suitability": "suitable",
                                                    "screened_on": today})  # fmt: skip
    harmed = rj.parties.get(role=PartyRole.HARMED)
    responsible = rj.parties.get(role=PartyRole.RESPONSIBLE)
    # No conference before both parties consent.
    rj.refresh_from_db()
    data = {"version": rj.version, "intervention_kind": "direct_conference", "intervention_on": today,
            "outcome": "agreement", "outcome_notes": "Apology and repair"}  # fmt: skip
    assert "Both parties must consent" in coordinator.post(f"/rj/cases/{rj.pk}/intervention/", data).content.decode()
    for party in (harmed, responsible):
        post(coordinator, f"/rj/cases/{rj.pk}/parties/{party.pk}/consent/",
             {"version": party.version, "consent": "given", "consent_on": today})  # fmt: skip
        post(coordinator, f"/rj/cases/{rj.pk}/preparation/", {"party": party.pk, "held_on": today})
    rj.refresh_from_db()
    data["version"] = rj.version
    post(coordinator, f"/rj/cases/{rj.pk}/intervention/", data)
    post(coordinator, f"/rj/cases/{rj.pk}/agreement/", {"text": "Repair the fence", "by_role": "responsible"})
    rj.refresh_from_db()
    post(coordinator, f"/rj/cases/{rj.pk}/follow-up/", {
        "version": rj.version, "followed_up_on": today,
        "harmed_satisfaction": "very_satisfied", "harmed_safety": "safer",
        "responsible_satisfaction": "satisfied", "responsible_safety": "same",
    })  # fmt: skip
    rj.refresh_from_db()
    assert rj.stage == Stage.CLOSED and rj.closed_on == timezone.localdate()
    assert rj.case.status == CaseStatus.CLOSED
    assert rj.parties.get(role=PartyRole.HARMED).satisfaction == "very_satisfied"
    page = coordinator.get(f"/rj/cases/{rj.pk}/").content.decode()
    assert "Direct conference" in page and "very satisfied" in page and "Repair the fence" in page


def test_domestic_abuse_needs_the_enhanced_assessment_and_a_managers_approval_before_contact(world):
    rj = new_case(world, specialist_harm="domestic_abuse")
    assess(world, rj)  # the standard one is not enough
    with pytest.raises(actions.RjError, match="enhanced risk assessment"):
        actions.screen(world.owner, rj, expected_version=rj.version, suitability="suitable", screened_on=DAY)
    assess(world, rj, enhanced=True)
    rj.refresh_from_db()
    actions.screen(world.owner, rj, expected_version=rj.version, suitability="suitable", screened_on=DAY)
    party = rj.parties.get(role=PartyRole.HARMED)
    with pytest.raises(actions.RjError, match="manager must approve"):
        actions.record_consent(world.owner, rj, party, expected_version=party.version, consent="given", consent_on=DAY)
    # A caseworker cannot approve; the team manager can.
    assert client_for(world, "owner").get(f"/rj/cases/{rj.pk}/approve-contact/").status_code == 403
    manager = client_for(world, "manager")
    post(manager, f"/rj/cases/{rj.pk}/approve-contact/", {"version": rj.version, "approved_on": "2026-10-06"})
    rj.refresh_from_db()
    assert rj.contact_approved_by == world.manager
    actions.record_consent(world.owner, rj, party, expected_version=party.version, consent="given", consent_on=DAY)
    assert rj.parties.get(role=PartyRole.HARMED).consent == Consent.GIVEN


def test_not_suitable_closes_the_case(world):
    rj = new_case(world)
    assess(world, rj)  # changes the case's risk level after `rj.case` was read
    actions.screen(world.owner, rj, expected_version=rj.version, suitability="not_suitable", screened_on=DAY)
    rj.refresh_from_db()
    assert rj.stage == Stage.CLOSED and rj.outcome == "not_proceeded" and rj.case.status == CaseStatus.CLOSED


def test_onward_referral_and_the_providers_outcome(world):
    rj = suitable_case(world)
    client = client_for(world, "owner")
    post(client, f"/rj/cases/{rj.pk}/provider/",
         {"version": rj.version, "provider": world.provider.pk, "referred_on": "2026-10-06"})  # fmt: skip
    rj.refresh_from_db()
    assert rj.provider == world.provider and rj.provider_outcome == "awaiting"
    response = client.post(f"/rj/cases/{rj.pk}/provider/outcome/",
                           {"version": rj.version, "provider_outcome": "completed", "provider_outcome_on": "2026-10-01"})  # fmt: skip
    assert "on or after the referral to the provider" in response.content.decode()
    post(client, f"/rj/cases/{rj.pk}/provider/outcome/",
         {"version": rj.version, "provider_outcome": "completed", "provider_outcome_on": "2026-11-01"})  # fmt: skip
    rj.refresh_from_db()
    assert rj.provider_outcome == "completed"


def test_a_stale_screening_is_refused_and_nothing_is_written(world):
    rj = new_case(world)
    assess(world, rj)
    rj.refresh_from_db()
    stale = rj.version
    client = client_for(world, "owner")
    post(client, f"/rj/cases/{rj.pk}/provider/",
         {"version": stale, "provider": world.provider.pk, "referred_on": "2026-10-06"})  # fmt: skip
    response = client.post(f"/rj/cases/{rj.pk}/screen/",
                           {"version": stale, "suitability": "suitable", "screened_on": "2026-10-06"})  # fmt: skip
    assert response.status_code == 409
    rj.refresh_from_db()
    assert rj.stage == Stage.REFERRED


def test_new_referral_form_names_the_field_on_bad_input(world):
    client = client_for(world, "owner")
    response = client.post("/rj/refer/", {"source": "police", "referred_on": "2026-10-01", "harm_kind": "crime",
                                          "specialist_harm": "none", "harmed_first_name": "Anna"})  # fmt: skip
    assert "Enter both names of the person harmed, or neither" in response.content.decode()
    assert not RjCase.objects.exists()
    post(client, "/rj/refer/", {"source": "school", "referred_on": "2026-10-01", "harm_kind": "conflict",
                                "specialist_harm": "none", "harmed_first_name": "Anna", "harmed_last_name": "Pupil"})  # fmt: skip
    rj = RjCase.objects.get()
    assert rj.source == "school" and rj.case.owning_team == world.rj_team


def test_the_register_and_training_from_the_activities_register(world):
    from saferhub.governance.models import Activity

    activity = Activity.objects.create(
        partnership=world.partnership, held_on=DAY, kind="training", programme="restorative_justice",
        title="Restorative conversations", audience="school", organisation="Testshire Primary", participants=12,
    )  # fmt: skip
    other = Activity.objects.create(
        partnership=world.partnership, held_on=DAY, kind="training", programme="vawg", title="Not RJ", participants=3
    )
    client = client_for(world, "owner")
    response = client.post("/rj/register/new/", {"kind": "practice_lead", "name": "Pat Lead", "school": "Testshire "
                           "Primary", "training_level": "practitioner", "dbs_checked_on": "2099-01-01", "active": "on"})  # fmt: skip
    assert "The date of the DBS check must be today or in the past" in response.content.decode()
    post(client, "/rj/register/new/", {"kind": "practice_lead", "name": "Pat Lead", "school": "Testshire Primary",
                                       "training_level": "practitioner", "dbs_checked_on": "2025-09-01", "active": "on",
                                       "rj_council": "none"})  # fmt: skip
    from saferhub.rj.models import Member

    member = Member.objects.get()
    page = client.get(f"/rj/register/{member.pk}/training/").content.decode()
    assert "Restorative conversations" in page and "Not RJ" not in page  # only the RJ programme's sessions
    post(client, f"/rj/register/{member.pk}/training/", {"activity": activity.pk})
    assert client.post(f"/rj/register/{member.pk}/training/", {"activity": other.pk}).status_code == 200
    assert member.training.get().activity == activity
    assert "Restorative conversations" in client.get(f"/rj/register/{member.pk}/").content.decode()
