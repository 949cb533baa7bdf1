"""Every edit form of a shared record refuses a save made over someone else's: two people open the form,
the first saves, the second gets the conflict page (409) naming what was not saved, and the first save stands."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Agency, Role, Team, User
from saferhub.accounts.tests.factories import UserFactory
from saferhub.asb.models import AsbDesk
from saferhub.asb.tests import world as asb
from saferhub.cases.models import Case
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.directory import actions as directory_actions
from saferhub.directory.models import Area, Category, Service
from saferhub.governance.models import Indicator, ProviderReturn
from saferhub.governance.tests import strategy_world
from saferhub.panels import actions as panel_actions
from saferhub.panels.models import Hearing, MeetingAgency, PanelReferral, PanelType
from saferhub.panels.tests import world as panels
from saferhub.people.models import Person
from saferhub.people.tests.people_world import build_people_world
from saferhub.retention.models import RetentionRule
from saferhub.victims import actions as hub_actions
from saferhub.victims.models import CarePlanItem, HubReferral, OnwardReferral
from saferhub.victims.tests import world as victims

pytestmark = pytest.mark.django_db


@dataclass
class Scenario:
    url: str
    first: Any  # the two users editing at once (they may be the same person in two browsers)
    second: Any
    field: str  # the form field both change
    values: tuple[str, str]
    read: Callable[[], Any]  # the stored value of that field
    also: dict[str, Any] | None = None  # other entries needed for a valid save


def person_edit() -> Scenario:
    world = build_people_world()
    person = world.people.known
    colleague = UserFactory(team=world.vch, roles=[Role.CASEWORKER])
    return Scenario(
        reverse("people:edit", args=[person.pk]),
        world.owner,
        colleague,
        "first_name",
        ("Testfirst", "Testsecond"),
        lambda: Person.objects.get(pk=person.pk).first_name,
    )


def hub_details() -> Scenario:
    world = victims.build_world()
    hub = victims.new_referral(world)
    other = UserFactory(team=world.hub, roles=[Role.CASEWORKER])
    return Scenario(
        reverse("victims:edit-details", args=[hub.pk]),
        world.owner,
        other,
        "police_reference",
        ("CRIS-111", "CRIS-222"),
        lambda: HubReferral.objects.get(pk=hub.pk).police_reference,
    )


def care_plan_item() -> Scenario:
    world = victims.build_world()
    hub = victims.accepted_referral(world)
    item = hub_actions.add_care_plan_item(
        world.owner,
        hub,
        category=CarePlanItem._meta.get_field("category").choices[0][0],  # type: ignore[index]
        description="Fit a door chain",
        owner=world.owner,
        due_on=timezone.localdate(),
    )
    other = UserFactory(team=world.hub, roles=[Role.CASEWORKER])
    return Scenario(
        reverse("victims:care-plan-update", args=[hub.pk, item.pk]),
        world.owner,
        other,
        "outcome",
        ("Chain fitted", "Chain refused"),
        lambda: CarePlanItem.objects.get(pk=item.pk).outcome,
        also={"status": "done"},
    )


def onward_outcome() -> Scenario:
    world = victims.build_world()
    hub = victims.accepted_referral(world)
    service = directory_actions.create_service(
        world.admin,
        partnership=world.partnership,
        categories=[Category.RESTORATIVE_JUSTICE],
        name="Calm Test Mediation",
        area=Area.LOCAL,
        how_to_refer="Phone the duty line",
    )
    onward = hub_actions.make_onward_referral(world.owner, hub, service=service, referred_on=timezone.localdate())
    other = UserFactory(team=world.hub, roles=[Role.CASEWORKER])
    return Scenario(
        reverse("victims:onward-outcome", args=[hub.pk, onward.pk]),
        world.owner,
        other,
        "outcome",
        ("accepted", "declined_by_service"),
        lambda: OnwardReferral.objects.get(pk=onward.pk).outcome,
    )


def _panel_world() -> Any:
    world = panels.build_world()
    world.partnership.slug = "testshire"
    world.partnership.save()
    return world


def hearing_outcome() -> Scenario:
    world = _panel_world()
    victim = panels.person(world)
    panels.refer(world, victim, timezone.localdate() - datetime.timedelta(days=10))
    meeting = panels.meeting(world, timezone.localdate())
    panel_actions.build_agenda(world.coordinator, meeting)
    hearing = Hearing.objects.get(meeting=meeting)
    return Scenario(
        reverse("panels:outcome", args=[hearing.pk]),
        world.coordinator,
        panels.user(world.marac_team, "Cal Secondcoordinator", Role.PANEL_COORDINATOR),
        "decisions",
        ("Refer to housing", "Refer to health"),
        lambda: Hearing.objects.get(pk=hearing.pk).decisions,
        also={"outcome": "review"},
    )


def panel_type_settings() -> Scenario:
    world = _panel_world()
    return Scenario(
        reverse("panels:type-settings", args=["da_marac"]),
        world.coordinator,
        world.coordinator,
        "referral_criteria",
        ("First criteria", "Second criteria"),
        lambda: PanelType.objects.get(pk=world.da.pk).referral_criteria,
    )


def panel_referral() -> Scenario:
    world = _panel_world()
    referral = panels.refer(world, panels.person(world), timezone.localdate() - datetime.timedelta(days=3))
    return Scenario(
        reverse("panels:edit-referral", args=[referral.pk]),
        world.coordinator,
        world.coordinator,
        "reason",
        ("First reason", "Second reason"),
        lambda: PanelReferral.objects.get(pk=referral.pk).reason,
    )


def directory_service() -> Scenario:
    world = victims.build_world()
    service = directory_actions.create_service(
        world.admin,
        partnership=world.partnership,
        categories=[Category.RESTORATIVE_JUSTICE],
        name="Calm Test Mediation",
        area=Area.LOCAL,
        how_to_refer="Phone the duty line",
    )
    manager = UserFactory(team=world.hub, roles=[Role.TEAM_MANAGER])
    return Scenario(
        reverse("directory:edit", args=[service.pk]),
        world.admin,
        manager,
        "description",
        ("Evening sessions", "Weekend sessions"),
        lambda: Service.objects.get(pk=service.pk).description,
    )


def _admin_world() -> Any:
    world = victims.build_world()
    world.second_admin = UserFactory(
        team=None, agency=world.council, partnership=world.partnership, roles=[Role.PARTNERSHIP_ADMIN]
    )
    return world


def admin_user() -> Scenario:
    world = _admin_world()
    subject = world.owner
    return Scenario(
        reverse("accounts:admin-user-edit", args=[subject.pk]),
        world.admin,
        world.second_admin,
        "job_title",
        ("Senior hub worker", "Hub coordinator"),
        lambda: User.objects.get(pk=subject.pk).job_title,
    )


def admin_agency() -> Scenario:
    world = _admin_world()
    return Scenario(
        reverse("accounts:admin-agency-edit", args=[world.housing.pk]),
        world.admin,
        world.second_admin,
        "external_ref",
        ("HOUSING-1", "HOUSING-2"),
        lambda: Agency.objects.get(pk=world.housing.pk).external_ref,
    )


def admin_team() -> Scenario:
    world = _admin_world()
    return Scenario(
        reverse("accounts:admin-team-edit", args=[world.cst.pk]),
        world.admin,
        world.second_admin,
        "email",
        ("cst@example.org", "safety@example.org"),
        lambda: Team.objects.get(pk=world.cst.pk).email,
    )


def admin_reference_code() -> Scenario:
    world = _admin_world()
    code = ReferenceCode.objects.filter(
        partnership=world.partnership, code_list=ReferenceList.VICTIM_HUB_CRIME_TYPE
    ).first()
    assert code is not None
    return Scenario(
        reverse("accounts:admin-reference-edit", args=[code.code_list, code.pk]),
        world.admin,
        world.second_admin,
        "notes",
        ("First note", "Second note"),
        lambda: ReferenceCode.objects.get(pk=code.pk).notes,
    )


def retention_period() -> Scenario:
    world = _admin_world()
    case_type = Case.objects.model._meta.get_field("case_type").related_model.objects.filter(  # type: ignore[union-attr]
        partnership=world.partnership
    )[0]
    return Scenario(
        reverse("retention:rule-edit", args=[case_type.pk]),
        world.admin,
        world.second_admin,
        "basis",
        ("ISA 2024 s.9", "ISA 2025 s.3"),
        lambda: RetentionRule.objects.get(case_type=case_type).basis,
    )


def case_details() -> Scenario:
    world = victims.build_world()
    hub = victims.accepted_referral(world)
    case = hub.referral.case
    assert case is not None
    other = UserFactory(team=world.hub, roles=[Role.CASEWORKER])
    return Scenario(
        reverse("cases:edit", args=[case.reference]),
        world.owner,
        other,
        "summary",
        ("First summary", "Second summary"),
        lambda: Case.objects.get(pk=case.pk).summary,
    )


def start_scores() -> Scenario:
    world = victims.build_world()
    hub = victims.accepted_referral(world)
    other = UserFactory(team=world.hub, roles=[Role.CASEWORKER])
    return Scenario(
        reverse("victims:start-scores", args=[hub.pk]),
        world.owner,
        other,
        "satisfaction",
        ("3", "7"),
        lambda: str(HubReferral.objects.get(pk=hub.pk).satisfaction_start),
        also={"safety": "5"},
    )


def meeting_attendance() -> Scenario:
    world = _panel_world()
    meeting = panels.meeting(world, timezone.localdate())
    row = MeetingAgency.objects.filter(meeting=meeting).order_by("pk")[0]
    return Scenario(
        reverse("panels:attendance", args=[meeting.pk]),
        world.coordinator,
        panels.user(world.marac_team, "Cal Secondcoordinator", Role.PANEL_COORDINATOR),
        f"representative_{row.pk}",
        ("Ann Testrep", "Bob Testrep"),
        lambda: MeetingAgency.objects.get(pk=row.pk).representative,
    )


def asb_desk() -> Scenario:
    world = asb.build_world()
    second_admin = UserFactory(
        team=None, agency=world.admin.agency, partnership=world.partnership, roles=[Role.PARTNERSHIP_ADMIN]
    )
    return Scenario(
        reverse("asb:desk"),
        world.admin,
        second_admin,
        "team",
        (str(world.colleague.team_id), str(world.other_agency.team_id)),
        lambda: str(AsbDesk.objects.get(partnership=world.partnership).team_id),
    )


def indicator_edit() -> Scenario:
    world = strategy_world.build()
    return Scenario(
        reverse("governance:indicator-edit", args=[world.entered.pk]),
        world.users["analyst"],
        world.users["admin"],
        "name",
        ("Residents feeling safe at night", "Residents feeling safe by day"),
        lambda: Indicator.objects.get(pk=world.entered.pk).name,
    )


def provider_return() -> Scenario:
    world = strategy_world.build()
    colleague = UserFactory(team=world.users["provider"].team, roles=[Role.PROVIDER])
    return Scenario(
        reverse("governance:return-edit", args=[world.provider_return.pk]),
        world.users["provider"],
        colleague,
        "narrative",
        ("Referrals rose in May", "Referrals fell in June"),
        lambda: ProviderReturn.objects.get(pk=world.provider_return.pk).narrative,
    )


SCENARIOS = {
    "person": person_edit,
    "hub details": hub_details,
    "care plan item": care_plan_item,
    "onward referral outcome": onward_outcome,
    "hearing outcome": hearing_outcome,
    "panel type settings": panel_type_settings,
    "panel referral": panel_referral,
    "directory service": directory_service,
    "administrator's user edit": admin_user,
    "agency": admin_agency,
    "team": admin_team,
    "reference code": admin_reference_code,
    "retention period": retention_period,
    "case details": case_details,
    "hub start scores": start_scores,
    "panel meeting attendance": meeting_attendance,
    "ASB team (desk)": asb_desk,
    "strategy indicator": indicator_edit,
    "commissioned service's return": provider_return,
}


def posted(form: forms.BaseForm) -> dict[str, Any]:
    """What the browser would send back for the form as shown."""
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if isinstance(field.field.widget, forms.CheckboxInput):
            if value:
                data[field.html_name] = "on"
            continue
        if value is None:
            data[field.html_name] = ""
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(getattr(value, "pk", value))
    return data


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_second_save_gets_the_conflict_page_and_overwrites_nothing(name):
    scenario = SCENARIOS[name]()
    first, second = signed_in(scenario.first), signed_in(scenario.second)
    # Both open the form before either saves.
    opened = [posted(client.get(scenario.url).context["form"]) for client in (first, second)]
    saves = []
    for client, data, value in zip((first, second), opened, scenario.values, strict=True):
        saves.append(client.post(scenario.url, {**data, **(scenario.also or {}), scenario.field: value}))
    assert saves[0].status_code == 302, saves[0].context["form"].errors if saves[0].context else saves[0]
    conflict = saves[1]
    assert conflict.status_code == 409
    message = " ".join(str(error) for error in conflict.context["form"].non_field_errors())
    assert "after you opened it" in message and "Nothing you entered has been saved" in message
    label = str(conflict.context["form"].fields[scenario.field].label)
    assert label in message  # names the entry that was not saved
    # The form now shows the saved record, ready to be changed again.
    shown = conflict.context["form"][scenario.field].value()
    assert str(shown) == scenario.values[0]
    assert scenario.read() == scenario.values[0]
    # Saving again from the refreshed form works.
    retry = posted(conflict.context["form"])
    assert second.post(scenario.url, {**retry, scenario.field: scenario.values[1]}).status_code == 302
    assert scenario.read() == scenario.values[1]


def test_closing_a_hub_case_changed_since_the_form_opened_gets_the_conflict_page_and_closes_nothing():
    # Two people cannot both close the same case (the second finds it closed), so the closure form
    # is checked against another change to the case made while it was open.
    world = victims.build_world()
    hub = victims.accepted_referral(world)
    case = hub.referral.case
    assert case is not None
    closer, editor = signed_in(world.owner), signed_in(UserFactory(team=world.hub, roles=[Role.CASEWORKER]))
    close_url = reverse("victims:close", args=[hub.pk])
    opened = closer.get(close_url).context["form"]
    data = {**posted(opened), "closure_reason": opened.fields["closure_reason"].choices[0][0], "satisfaction_end": "8"}
    edit_url = reverse("cases:edit", args=[case.reference])
    edit = posted(editor.get(edit_url).context["form"])
    assert editor.post(edit_url, {**edit, "summary": "Changed meanwhile"}).status_code == 302
    response = closer.post(close_url, data)
    assert response.status_code == 409
    message = " ".join(str(error) for error in response.context["form"].non_field_errors())
    assert "after you opened it" in message and "Satisfaction at the end" in message
    case.refresh_from_db()
    assert case.status != "closed" and case.summary == "Changed meanwhile"
    assert HubReferral.objects.get(pk=hub.pk).satisfaction_end is None
    # Closing again from the refreshed form works.
    retry = response.context["form"]
    assert closer.post(close_url, {**posted(retry), "closure_reason": data["closure_reason"]}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
