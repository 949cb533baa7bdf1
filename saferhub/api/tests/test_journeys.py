"""The issue's "done" journeys through the API, end to end on the real actions.

- A council's system, with a token of a system account of its agency, refers someone to the
  Victim Care Hub and later reads the hub's decision.
- An analyst pulls the quarterly return as JSON: the same JSON as `manage.py report`.
- A write with a stale `version` is refused with 409 and the current version; nothing saved.
"""

import io
import json

import pytest
from django.core.management import call_command

from saferhub.api.tests.world import api_world, client_as
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case, Referral, ReferralDecision
from saferhub.victims import actions as hub_actions
from saferhub.victims.models import HubReferral
from saferhub.victims.tests.world import accepted_referral

pytestmark = pytest.mark.django_db

HUB_REFERRAL = {
    "referrer_name": "Sam Synthetic",
    "referrer_contact": "sam.synthetic@example.org",
    "consent_given": "yes",
    "referral_kind": "victim",
    "victim_type": "direct",
    "crime_type": "burglary",
    "incident_in_area": "yes",
    "reason": "Synthetic: a burglary reported to the council's housing desk; the tenant asks for support.",
    "first_name": "Tess",
    "last_name": "Testperson",
}


def test_a_council_system_refers_to_the_hub_and_reads_the_decision():
    world = api_world()
    council = client_as(world, "system", scope="write")

    made = council.post("hub-referrals/", HUB_REFERRAL)
    assert made.status_code == 201, made.content
    body = made.json()
    hub = HubReferral.objects.get(pk=body["id"])
    referral_id = body["referral"]["id"]
    assert body["referral"]["decision"] == "pending"
    assert body["referral"]["to_team"] == "Victim Care Hub"
    assert hub.referral.from_team == world.system.team  # sent as the system account's team
    assert hub.referral.person.last_name == "Testperson"
    assert AuditEvent.objects.filter(
        user=world.system, action=AuditAction.CREATE, object_type="victims.hubreferral"
    ).exists()

    # It lands in the hub's queue, where the hub team accepts it on the page's own action.
    hub_actions.accept_hub_referral(world.owner, hub, assigned_to=world.owner)

    read = council.get(f"referrals/{referral_id}/")
    assert read.status_code == 200
    assert read.json()["decision"] == "accepted"
    assert read.json()["decision_label"] == "Accepted"
    # The council may not open the hub's case, so its reference is not disclosed.
    assert read.json()["case"] is None
    assert council.get(f"cases/{hub.referral.case.reference if hub.referral.case else 'x'}/").status_code == 404


def test_a_referral_that_fails_the_forms_checks_is_refused_field_by_field():
    world = api_world()
    council = client_as(world, "system", scope="write")
    response = council.post("hub-referrals/", {**HUB_REFERRAL, "victim_type": "", "referrer_name": ""})
    assert response.status_code == 400
    errors = response.json()
    assert errors["victim_type"] == ["Choose whether the person is a direct or an indirect victim"]
    assert "referrer_name" in errors
    assert not HubReferral.objects.exists()


def test_a_read_token_cannot_refer():
    world = api_world()
    response = client_as(world, "system", scope="read").post("hub-referrals/", HUB_REFERRAL)
    assert response.status_code == 403
    assert not HubReferral.objects.exists()


def test_an_analyst_pulls_the_quarterly_return_as_the_command_prints_it():
    world = api_world()
    accepted_referral(world)
    analyst = client_as(world, "analyst", scope="read")
    response = analyst.get("returns/victim-hub/", period="2026/27 Q3")
    assert response.status_code == 200, response.content
    out = io.StringIO()
    call_command(
        "report", "victim-hub", "--from", "2026-10-01", "--to", "2026-12-31",
        "--partnership", world.partnership.slug, stdout=out,
    )  # fmt: skip
    assert response.json() == json.loads(out.getvalue())
    assert AuditEvent.objects.filter(user=world.analyst, action=AuditAction.EXPORT).exists()
    listing = analyst.get("returns/")
    assert "victim-hub" in {kind["slug"] for kind in listing.json()}


def test_returns_are_for_reporting_roles_only():
    world = api_world()
    assert client_as(world, "owner").get("returns/victim-hub/", period="2026/27 Q3").status_code == 403
    bad = client_as(world, "analyst").get("returns/victim-hub/", period="2026 Q3")
    assert bad.status_code == 400
    assert bad.json() == {"period": ["Enter a financial quarter such as 2026/27 Q1"]}


def test_a_stale_version_is_a_conflict_and_saves_nothing():
    world = api_world()
    hub = accepted_referral(world)
    case = Case.objects.get(pk=hub.referral.case_id)
    owner = client_as(world, "owner")
    seen = owner.get(f"cases/{case.reference}/").json()["version"]
    # Someone saves on the page first.
    case_actions.update_case(world.owner, case, expected_version=seen, changes={"title": "Changed on the page"})
    response = owner.patch(f"cases/{case.reference}/", {"version": seen, "title": "Changed by the API"})
    assert response.status_code == 409
    assert response.json()["current_version"] == seen + 1
    case.refresh_from_db()
    assert case.title == "Changed on the page"
    ok = owner.patch(f"cases/{case.reference}/", {"version": seen + 1, "title": "Changed by the API"})
    assert ok.status_code == 200 and ok.json()["title"] == "Changed by the API"


def test_notes_and_actions_are_added_with_the_pages_rules():
    world = api_world()
    hub = accepted_referral(world)
    reference = hub.referral.case.reference
    shared = client_as(world, "shared")  # Housing may contribute, not edit
    note = shared.post(f"cases/{reference}/notes/", {"text": "Synthetic: visited; locks fitted."})
    assert note.status_code == 201 and note.json()["agency"] == "Testshire Homes"
    assert shared.post(f"cases/{reference}/notes/", {"text": "  "}).status_code == 400
    action = shared.post(f"cases/{reference}/actions/", {"title": "Check in by phone", "due_on": "2026-12-07"})
    assert action.status_code == 201 and action.json()["owner"] == world.shared.full_name
    assert shared.patch(f"cases/{reference}/", {"version": 1, "title": "Nope"}).status_code == 403
    assert [n["text"] for n in shared.get(f"cases/{reference}/notes/").json()] == ["Synthetic: visited; locks fitted."]


def test_a_referral_to_any_team_through_the_referral_form():
    world = api_world()
    council = client_as(world, "system")
    case_type = world.partnership.case_types.filter(active=True).first()
    response = council.post(
        "referrals/",
        {"to_team": world.cst.pk, "case_type": case_type.pk, "reason": "Synthetic: noise nuisance next door."},
    )
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.decision == ReferralDecision.PENDING and referral.to_team == world.cst
    assert referral.from_agency == world.council
    wrong = council.post("referrals/", {"to_team": 999999, "case_type": case_type.pk, "reason": "x"})
    assert wrong.status_code == 400 and "to_team" in wrong.json()
