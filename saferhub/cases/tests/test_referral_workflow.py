"""A referral from first contact to a case: create, inbox, accept, decline, redirect, and deciding twice."""

import re

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Case, Participant, Referral, ReferralDecision, ReferralSource
from saferhub.cases.tests.factories import CaseFactory
from saferhub.cases.tests.referral_world import build_world, client_for, referral_to_vch
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.people.models import Person


@pytest.fixture
def world(db):
    return build_world()


def _refer(world, **overrides):
    data = {
        "to_team": world.vch.pk,
        "case_type": world.case_type.pk,
        "source": ReferralSource.AGENCY,
        "from_agency": world.housing.pk,
        "reason": "Repeated damage to the front door; asks for target hardening.",
        "consent_given": "yes",
        "first_name": "Testina",
        "last_name": "Example",
        "gender": "female",
    }
    data.update(overrides)
    return client_for(world, "shared").post(reverse("cases:referral-create"), data)


def test_whole_workflow_create_inbox_accept(world):
    response = _refer(world)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:referral-detail", args=[referral.pk])
    assert referral.from_team == world.housing_team
    assert referral.from_agency == world.housing
    assert referral.person.display_name == "Testina Example"
    assert referral.consent_given == "yes"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="cases.referral").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, person_id=referral.person_id).count() == 1

    owner = client_for(world, "owner")
    inbox = owner.get(reverse("cases:referral-inbox")).content.decode()
    assert "Testina Example" in inbox
    assert "Tenancy Sustainment" in inbox  # source_display
    assert "today" in inbox

    response = owner.post(
        reverse("cases:referral-accept", args=[referral.pk]),
        {"into": "new", "title": "Target hardening for Testina", "assigned_to": world.manager.pk},
    )
    referral.refresh_from_db()
    case = referral.case
    assert referral.decision == ReferralDecision.ACCEPTED
    assert re.fullmatch(r"VCH-\d{4}-\d{5}", case.reference)
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    assert case.owning_team == world.vch
    assert case.assigned_to == world.manager
    assert Participant.objects.filter(case=case, person=referral.person).exists()

    detail = owner.get(reverse("cases:referral-detail", args=[referral.pk])).content.decode()
    assert case.reference in detail
    assert reverse("cases:detail", args=[case.reference]) in detail
    assert "Testina Example" not in owner.get(reverse("cases:referral-inbox")).content.decode()
    assert "Testina Example" in owner.get(reverse("cases:referral-decided")).content.decode()
    # The sending team sees the outcome without a link to a case it cannot open.
    sender_view = client_for(world, "shared").get(reverse("cases:referral-detail", args=[referral.pk])).content.decode()
    assert case.reference in sender_view
    assert reverse("cases:detail", args=[case.reference]) not in sender_view


def test_accept_into_an_existing_case_of_my_team(world):
    referral = referral_to_vch(world, person=None)
    existing = CaseFactory(owning_team=world.vch, case_type=world.case_type)
    response = client_for(world, "owner").post(
        reverse("cases:referral-accept", args=[referral.pk]), {"into": "existing", "existing_case": existing.reference}
    )
    assert response["Location"] == reverse("cases:detail", args=[existing.reference])
    referral.refresh_from_db()
    assert referral.case == existing
    assert Case.objects.count() == 1


def test_accept_into_another_teams_case_is_refused(world):
    referral = referral_to_vch(world)
    theirs = CaseFactory(owning_team=world.cst, case_type=world.case_type)
    response = client_for(world, "owner").post(
        reverse("cases:referral-accept", args=[referral.pk]), {"into": "existing", "existing_case": theirs.reference}
    )
    assert response.status_code == 200
    assert f"Your team has no case with the reference {theirs.reference}" in response.content.decode()
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.PENDING


def test_accept_needs_a_title_for_a_new_case(world):
    referral = referral_to_vch(world)
    response = client_for(world, "owner").post(
        reverse("cases:referral-accept", args=[referral.pk]), {"into": "new", "title": " "}
    )
    assert "Enter a title for the new case." in response.content.decode()
    assert Case.objects.count() == 0


def test_decline_needs_a_reason(world):
    referral = referral_to_vch(world)
    client = client_for(world, "owner")
    response = client.post(reverse("cases:referral-decline", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "Enter the reason for declining the referral." in response.content.decode()
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.PENDING

    client.post(reverse("cases:referral-decline", args=[referral.pk]), {"reason": "Lives outside the borough"})
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.DECLINED
    assert referral.decision_reason == "Lives outside the borough"


def test_decline_reasons_come_from_the_partnerships_codes(world):
    ReferenceCode.objects.create(
        partnership=world.partnership,
        code_list=ReferenceList.REFERRAL_DECLINE_REASON,
        code="out_of_area",
        label="Out of area",
    )
    ReferenceCode.objects.create(
        partnership=world.partnership,
        code_list=ReferenceList.REFERRAL_DECLINE_REASON,
        code="retired",
        label="Retired reason",
        active=False,
    )
    referral = referral_to_vch(world)
    client = client_for(world, "owner")
    page = client.get(reverse("cases:referral-decline", args=[referral.pk])).content.decode()
    assert "Out of area" in page
    assert "Retired reason" not in page
    response = client.post(reverse("cases:referral-decline", args=[referral.pk]), {"reason": "made_up"})
    assert response.status_code == 200
    client.post(
        reverse("cases:referral-decline", args=[referral.pk]),
        {"reason": "out_of_area", "explanation": "Signposted to the neighbouring hub."},
    )
    referral.refresh_from_db()
    assert referral.decision_reason == "Out of area: Signposted to the neighbouring hub."


def test_redirect_puts_a_pending_referral_in_the_other_teams_inbox(world):
    referral = referral_to_vch(world)
    response = client_for(world, "owner").post(
        reverse("cases:referral-redirect", args=[referral.pk]),
        {"to_team": world.police_team.pk, "reason": "Needs a police response first"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.REDIRECTED
    onward = Referral.objects.exclude(pk=referral.pk).get()
    assert onward.to_team == world.police_team
    assert onward.decision == ReferralDecision.PENDING
    police_inbox = client_for(world, "other_agency").get(reverse("cases:referral-inbox"))
    assert [r.pk for r in police_inbox.context["page_obj"]] == [onward.pk]


def test_redirect_cannot_go_to_the_same_team_or_a_team_that_takes_no_referrals(world):
    referral = referral_to_vch(world)
    client = client_for(world, "owner")
    for team in (world.vch, world.closed_team):
        response = client.post(
            reverse("cases:referral-redirect", args=[referral.pk]), {"to_team": team.pk, "reason": "x"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["to_team"]
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cases:referral-accept", {"into": "new", "title": "Second attempt"}),
        ("cases:referral-decline", {"reason": "Changed my mind"}),
        ("cases:referral-redirect", {"reason": "Changed my mind"}),
    ],
)
def test_deciding_twice_gives_a_clear_message(world, name, data):
    referral = referral_to_vch(world)
    owner = client_for(world, "owner")
    owner.post(reverse("cases:referral-decline", args=[referral.pk]), {"reason": "Duplicate of an open case"})
    if name == "cases:referral-redirect":
        data = {**data, "to_team": world.cst.pk}
    # A second tab, opened before the first decision, submits too.
    response = owner.post(reverse(name, args=[referral.pk]), data, follow=True)
    assert response.status_code == 200
    assert "This referral was already declined. Nothing was changed." in response.content.decode()
    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.DECLINED
    assert referral.decision_reason == "Duplicate of an open case"
    assert Case.objects.count() == 0
    assert Referral.objects.count() == 1


def test_decision_race_is_caught(world, monkeypatch):
    """If another user decides between the page check and the action, the action's refusal is shown."""
    from saferhub.cases import referral_views

    referral = referral_to_vch(world)
    original = referral_views._decidable

    def decided_meanwhile(request, pk):
        result = original(request, pk)
        Referral.objects.filter(pk=pk).update(decision=ReferralDecision.ACCEPTED)
        return result

    monkeypatch.setattr(referral_views, "_decidable", decided_meanwhile)
    response = client_for(world, "owner").post(
        reverse("cases:referral-decline", args=[referral.pk]), {"reason": "Too late"}, follow=True
    )
    assert "This referral was already accepted. Nothing was changed." in response.content.decode()


def test_anonymous_referral_without_a_person(world):
    response = _refer(world, source=ReferralSource.ANONYMOUS, first_name="", last_name="", gender="")
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.person is None
    assert referral.from_agency is None
    assert Person.objects.count() == 0
    inbox = client_for(world, "owner").get(reverse("cases:referral-inbox")).content.decode()
    assert "Anonymous" in inbox
