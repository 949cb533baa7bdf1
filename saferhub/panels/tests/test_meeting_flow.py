"""A coordinator runs a DA MARAC from referrals to minutes through the pages."""

import datetime
import io

import docx
import pytest
from django.test import Client
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Action, CaseStatus, LawfulBasis
from saferhub.panels.models import AgendaReason, Hearing, HearingOutcome, Meeting, PanelReferral
from saferhub.panels.tests.world import build_world, person, refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def coordinator(world):
    client = Client()
    client.force_login(world.coordinator)
    return client


def _text(response):
    return "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs) + "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    )


def test_referral_page_flags_a_repeat_before_and_after_saving(world, coordinator):
    ivy = person(world)
    refer(world, ivy, days(-60))
    page = coordinator.get(f"/panels/types/da_marac/refer/details/?person={ivy.pk}")
    assert "Repeat referral" in page.content.decode()
    response = coordinator.post(
        f"/panels/types/da_marac/refer/details/?person={ivy.pk}",
        {
            "referral_date": days(-1).isoformat(),
            "referring_agency": world.health.pk,
            "basis": "visible_high_risk",
            "dash_score": "16",
            "children_in_household": "2",
            "relationship": "ex_partner",
            "perpetrator_gender": "male",
            "mental_health_need": "yes",
        },
    )
    referral = PanelReferral.objects.latest("pk")
    assert response.status_code == 302 and response.url == f"/panels/referrals/{referral.pk}/"
    assert referral.is_repeat and referral.children_in_household == 2 and referral.victim_gender == "female"
    assert "Repeat referral" in coordinator.get(response.url).content.decode()


def test_new_person_referral_and_professional_judgement_needs_a_reason(world, coordinator):
    data = {
        "person_first_name": "Wren",
        "person_last_name": "Oakmantle",
        "person_gender": "female",
        "referral_date": days(-1).isoformat(),
        "referring_agency": world.police.pk,
        "basis": "professional_judgement",
        "mental_health_need": "unknown",
    }
    response = coordinator.post("/panels/types/da_marac/refer/details/", data)
    assert response.status_code == 200
    assert "Enter the reason for referring on professional judgement" in response.content.decode()
    assert not PanelReferral.objects.exists()
    data["professional_judgement_reason"] = "Escalating stalking; victim too frightened to answer the checklist."
    assert coordinator.post("/panels/types/da_marac/refer/details/", data).status_code == 302
    referral = PanelReferral.objects.get()
    assert referral.person.last_name == "Oakmantle" and referral.panel_case.case.reference.startswith("MAR-")


def test_sirm_referral_records_incident_and_role(world, coordinator):
    response = coordinator.post(
        "/panels/types/sirm/refer/details/",
        {
            "person_first_name": "Jory",
            "person_last_name": "Flintwick",
            "referral_date": days(-1).isoformat(),
            "referring_agency": world.police.pk,
            "incident_type": "knife",
            "incident_in_area": "no",
            "follow_up_route": "cp_strategy",
            "role_in_incident": "both",
        },
    )
    assert response.status_code == 302
    referral = PanelReferral.objects.get()
    assert (referral.incident_type, referral.incident_in_area, referral.follow_up_route) == (
        "knife",
        "no",
        "cp_strategy",
    )
    assert referral.people_involved.get().role == "both"


def test_adults_at_risk_referral_records_its_criteria(world, coordinator):
    response = coordinator.post(
        "/panels/types/adults_at_risk/refer/details/",
        {
            "person_first_name": "Tamsin",
            "person_last_name": "Rookhallow",
            "referral_date": days(-1).isoformat(),
            "referring_agency": world.police.pk,
            "criminal_exploitation": "on",
            "cuckooing": "on",
            "care_experienced": "on",
            "mental_health_need": "no",
        },
    )
    assert response.status_code == 302
    referral = PanelReferral.objects.get()
    assert referral.cuckooing and referral.care_experienced and not referral.weapons


def test_whole_meeting(world, coordinator):
    new = refer(world, person(world, "Ada", "Fernwhistle"), days(-10))
    repeat_person = person(world, "Bea", "Millcombe")
    refer(world, repeat_person, days(-100))
    response = coordinator.post(
        "/panels/types/da_marac/meetings/new/", {"date": days(3).isoformat(), "location": "Room 2", "chair": "DI Vale"}
    )
    meeting = Meeting.objects.get()
    assert response.url == f"/panels/meetings/{meeting.pk}/"
    assert set(meeting.attendance.values_list("agency__name", flat=True)) == {
        "Testshire Council",
        "Testshire Police",
        "Testshire Health",
    }
    # The repeat person was heard before and came back.
    first = Hearing.objects.create(
        meeting=Meeting.objects.create(
            partnership=world.partnership, panel_type=world.da, date=days(-90), status="held"
        ),
        panel_case=PanelReferral.objects.get(person=repeat_person).panel_case,
        reason="new",
        is_new=True,
        outcome=HearingOutcome.REVIEW,
    )
    refer(world, repeat_person, days(-5))
    coordinator.post(f"/panels/meetings/{meeting.pk}/build-agenda/")
    hearings = {h.panel_case_id: h for h in meeting.hearings.all()}
    assert hearings[new.panel_case_id].reason == AgendaReason.NEW and hearings[new.panel_case_id].is_new
    assert hearings[first.panel_case_id].reason == AgendaReason.REPEAT and not hearings[first.panel_case_id].is_new
    agenda = coordinator.get(f"/panels/meetings/{meeting.pk}/agenda.docx")
    assert agenda["Content-Type"].startswith("application/vnd.openxmlformats")
    assert new.panel_case.case.reference in _text(agenda)

    rows = list(meeting.attendance.order_by("agency__name"))
    data = {f"attendance_{row.pk}": "attended" for row in rows} | {f"representative_{row.pk}": "" for row in rows}
    data[f"attendance_{rows[0].pk}"] = "apologies"
    meeting.refresh_from_db()  # the attendance form is opened after the agenda was built
    data["version"] = meeting.version
    assert coordinator.post(f"/panels/meetings/{meeting.pk}/attendance/", data).status_code == 302

    hearing = hearings[new.panel_case_id]
    coordinator.post(
        f"/panels/hearings/{hearing.pk}/information/",
        {
            "agency": world.police.pk,
            "information": "Two call-outs last month; bail conditions breached.",
            "lawful_basis": LawfulBasis.CDA_S115,
        },
    )
    owner = world.users["police"]
    coordinator.post(
        f"/panels/hearings/{hearing.pk}/actions/new/",
        {"title": "Flag the address for urgent response", "owner": owner.pk, "due_on": days(-1).isoformat()},
    )
    coordinator.post(
        f"/panels/hearings/{hearing.pk}/outcome/",
        {
            "risks": "Escalating threats.",
            "decisions": "IDVA to offer support.",
            "outcome": "closed",
            "version": hearing.version,
        },
    )
    hearing.refresh_from_db()
    assert hearing.outcome == HearingOutcome.CLOSED
    new.panel_case.case.refresh_from_db()
    assert new.panel_case.case.status == CaseStatus.CLOSED
    action = Action.objects.get()
    assert action.owner == owner and action.panel_action.owner_agency == world.police

    # The overdue action is shown to the coordinator, and on the owner's panel page until done.
    assert "Flag the address" in coordinator.get("/panels/actions/overdue/").content.decode()
    police = Client()
    police.force_login(owner)
    assert "Flag the address" in police.get("/panels/").content.decode()
    police.post(f"/panels/actions/{action.panel_action.pk}/done/", {"next": "/panels/"})
    police.get("/panels/")  # shows the "marked done" message once
    assert "Flag the address" not in police.get("/panels/").content.decode()
    action.refresh_from_db()
    assert action.status == "done"

    minutes = _text(coordinator.get(f"/panels/meetings/{meeting.pk}/minutes.docx"))
    assert "IDVA to offer support." in minutes and "Flag the address" in minutes
    assert "bail conditions" not in minutes
    full = _text(coordinator.get(f"/panels/meetings/{meeting.pk}/minutes.docx?include_shared=on"))
    assert "bail conditions breached" in full
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT).values_list("detail", flat=True)
    assert {"document": "minutes", "include_shared": True} in list(exports)


def test_case_due_review_comes_back_and_closed_case_does_not(world):
    from saferhub.panels import actions

    kept = refer(world, person(world, "Cal", "Ashbury"), days(-40))
    closed = refer(world, person(world, "Dot", "Pennyfold"), days(-40))
    first = actions.schedule_meeting(world.coordinator, world.da, date=days(-30))
    actions.build_agenda(world.coordinator, first)
    for hearing in first.hearings.all():
        outcome = "review" if hearing.panel_case_id == kept.panel_case_id else "closed"
        actions.record_outcome(world.coordinator, hearing, outcome=outcome, review_due_on=days(-2))
    actions.mark_held(world.coordinator, first)
    second = actions.schedule_meeting(world.coordinator, world.da, date=days(1))
    actions.build_agenda(world.coordinator, second)
    assert [(h.panel_case_id, h.reason, h.is_new) for h in second.hearings.all()] == [
        (kept.panel_case_id, AgendaReason.REVIEW, False)
    ]
    assert closed.panel_case_id not in second.hearings.values_list("panel_case_id", flat=True)


@pytest.mark.parametrize("who", ["colleague", "police", "analyst"])
def test_only_coordinators_manage_panels(world, who):
    client = Client()
    client.force_login(world.users[who])
    assert client.get("/panels/types/da_marac/").status_code == 403
    assert client.get("/panels/types/da_marac/refer/").status_code == 403
    assert client.post("/panels/types/da_marac/meetings/new/", {"date": days(3).isoformat()}).status_code == 403
    assert not Meeting.objects.exists()


def test_anonymous_is_sent_to_sign_in(world):
    response = Client().get("/panels/")
    assert response.status_code == 302 and "sign-in" in response.url


def test_other_partnership_meeting_is_not_found(world, coordinator):
    from saferhub.panels import actions

    other = build_world()
    meeting = actions.schedule_meeting(other.coordinator, other.da, date=days(3))
    assert coordinator.get(f"/panels/meetings/{meeting.pk}/").status_code == 404


@pytest.mark.parametrize("change", ["build agenda", "move a case", "remove a case", "invite an agency", "mark held"])
def test_every_change_to_a_meeting_makes_an_open_attendance_form_stale(world, change):
    from saferhub.core.versioning import StaleEdit
    from saferhub.panels import actions

    refer(world, person(world, "Ivy", "Quillmarsh"), days(-20))
    refer(world, person(world, "Opal", "Brightwater"), days(-19))
    meeting = actions.schedule_meeting(world.coordinator, world.da, date=days(3))
    if change != "build agenda":
        actions.build_agenda(world.coordinator, meeting)
    meeting.refresh_from_db()
    opened_at = meeting.version
    first = meeting.hearings.order_by("position").first()
    if change == "build agenda":
        assert actions.build_agenda(world.coordinator, meeting)
    elif change == "move a case":
        actions.move_hearing(world.coordinator, first, +1)
    elif change == "remove a case":
        actions.remove_from_agenda(world.coordinator, first)
    elif change == "invite an agency":
        actions.add_meeting_agency(world.coordinator, meeting, world.housing)
    else:
        actions.mark_held(world.coordinator, meeting)
    meeting.refresh_from_db()
    assert meeting.version == opened_at + 1
    row = meeting.attendance.first()
    with pytest.raises(StaleEdit):
        actions.record_attendance(
            world.coordinator, meeting, {row.pk: ("present", "Someone")}, expected_version=opened_at
        )
