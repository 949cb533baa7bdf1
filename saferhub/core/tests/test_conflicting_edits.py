"""Every edit form of a shared record refuses a save made over someone else's: two people open the form,
the first saves, the second gets the conflict page (409) naming what was not saved, and the first save stands."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
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
from saferhub.boards.models import AgendaItem, Board, BoardAction, BoardMember, ForwardItem
from saferhub.boards.models import Attendance as BoardAttendance
from saferhub.boards.models import Meeting as BoardMeeting
from saferhub.cases.models import Case
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.directory import actions as directory_actions
from saferhub.directory.models import Area, Category, Service
from saferhub.governance.models import CommissionedService, Indicator, Priority, ProviderReturn, ServiceKpi, Strategy
from saferhub.governance.tests import strategy_world
from saferhub.iom import actions as iom_actions
from saferhub.iom.models import CohortStay, CostOfCrime, PlanItem, YjKpiValue
from saferhub.iom.tests import world as iom
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


def board_pack_cover() -> Scenario:
    from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory
    from saferhub.boardpack import actions as pack_actions
    from saferhub.boardpack.models import BoardPack

    partnership = PartnershipFactory()
    team = TeamFactory(agency=AgencyFactory(partnership=partnership))
    analyst, admin = (
        UserFactory(team=team, roles=[Role.ANALYST]),
        UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
    )
    pack = pack_actions.start_pack(
        analyst,
        partnership,
        period_label="2024/25 Q1",
        date_from=datetime.date(2024, 4, 1),
        date_to=datetime.date(2024, 6, 30),
    )
    return Scenario(
        reverse("boardpack:pack-cover", args=[pack.pk]),
        analyst,
        admin,
        "summary",
        ("Testfirst summary", "Testsecond summary"),
        lambda: BoardPack.objects.get(pk=pack.pk).summary,
    )


def _boards() -> Any:
    from saferhub.boards.tests.world import build_world as build_boards_world

    return build_boards_world()


def board_details() -> Scenario:
    world = _boards()
    return Scenario(
        reverse("boards:board-edit", args=[world.board.pk]),
        world.users["admin"],
        world.users["secretariat"],
        "purpose",
        ("Oversees the strategy", "Oversees the plan"),
        lambda: Board.objects.get(pk=world.board.pk).purpose,
    )


def board_member() -> Scenario:
    world = _boards()
    seat = world.seats["member"]
    return Scenario(
        reverse("boards:member-edit", args=[seat.pk]),
        world.users["admin"],
        world.users["secretariat"],
        "name",
        ("Invented Chair One", "Invented Chair Two"),
        lambda: BoardMember.objects.get(pk=seat.pk).name,
    )


def board_meeting() -> Scenario:
    world = _boards()
    return Scenario(
        reverse("boards:meeting-edit", args=[world.planned.pk]),
        world.users["admin"],
        world.users["secretariat"],
        "place",
        ("Invented Hall", "Invented Library"),
        lambda: BoardMeeting.objects.get(pk=world.planned.pk).place,
    )


def board_attendance() -> Scenario:
    world = _boards()
    seat = world.seats["member"]
    return Scenario(
        reverse("boards:attendance", args=[world.second.pk]),
        world.users["admin"],
        world.users["secretariat"],
        f"status_{seat.pk}",
        ("present", "apologies"),
        lambda: BoardAttendance.objects.get(meeting=world.second, member=seat).status,
    )


def agenda_item() -> Scenario:
    world = _boards()
    return Scenario(
        reverse("boards:item-edit", args=[world.open_item.pk]),
        world.users["admin"],
        world.users["secretariat"],
        "title",
        ("Invented report A", "Invented report B"),
        lambda: AgendaItem.objects.get(pk=world.open_item.pk).title,
    )


def item_minutes() -> Scenario:
    world = _boards()
    return Scenario(
        reverse("boards:item-minutes", args=[world.open_item.pk]),
        world.users["admin"],
        world.users["secretariat"],
        "minutes",
        ("The board noted it.", "The board agreed it."),
        lambda: AgendaItem.objects.get(pk=world.open_item.pk).minutes,
    )


def board_action() -> Scenario:
    world = _boards()
    return Scenario(
        reverse("boards:action-edit", args=[world.carried.pk]),
        world.users["admin"],
        world.users["secretariat"],
        "owner",
        ("Invented Owner A", "Invented Owner B"),
        lambda: BoardAction.objects.get(pk=world.carried.pk).owner,
    )


def forward_item() -> Scenario:
    world = _boards()
    item = ForwardItem.objects.create(partnership=world.partnership, board=world.board, title="Invented topic")
    return Scenario(
        reverse("boards:forward-edit", args=[item.pk]),
        world.users["admin"],
        world.users["secretariat"],
        "title",
        ("Invented topic A", "Invented topic B"),
        lambda: ForwardItem.objects.get(pk=item.pk).title,
    )


def iom_selection() -> Scenario:
    world = iom.build_world()
    stay = iom.adopt(world)
    other = UserFactory(team=world.iom, roles=[Role.CASEWORKER])
    return Scenario(
        reverse("iom:edit-details", args=[stay.pk]),
        world.owner,
        other,
        "selection_reason",
        ("Prolific burglary", "Violence in the night-time economy"),
        lambda: CohortStay.objects.get(pk=stay.pk).selection_reason,
    )


def iom_plan_item() -> Scenario:
    world = iom.build_world()
    stay = iom.adopt(world)
    item = iom_actions.add_plan_item(world.owner, stay, pathway="accommodation", action="Find a hostel place")
    other = UserFactory(team=world.iom, roles=[Role.CASEWORKER])
    return Scenario(
        reverse("iom:plan-update", args=[stay.pk, item.pk]),
        world.owner,
        other,
        "action",
        ("Find a supported tenancy", "Keep the hostel place"),
        lambda: PlanItem.objects.get(pk=item.pk).action,
    )


def cost_of_crime_rate() -> Scenario:
    world = iom.build_world()
    rate = CostOfCrime.objects.get(partnership=world.partnership, offence_group="robbery")
    other = UserFactory(team=None, agency=world.council, partnership=world.partnership, roles=[Role.ANALYST])
    return Scenario(
        reverse("iom:cost-edit", args=[rate.pk]),
        world.analyst,
        other,
        "source",
        ("Local study, 2024", "Home Office update, 2025"),
        lambda: CostOfCrime.objects.get(pk=rate.pk).source,
    )


def youth_justice_kpi() -> Scenario:
    world = iom.build_world()
    value = iom_actions.set_kpi_value(
        world.analyst, world.partnership, kpi="custody", year=2023, quarter=1, value=Decimal("3.00")
    )
    other = UserFactory(team=None, agency=world.council, partnership=world.partnership, roles=[Role.ANALYST])
    return Scenario(
        reverse("iom:kpi-edit", args=[value.pk]),
        world.analyst,
        other,
        "value",
        ("12.50", "13.25"),
        lambda: str(YjKpiValue.objects.get(pk=value.pk).value),
    )


def _missing_world() -> Any:
    from saferhub.missing.tests.world import build_world as build_missing_world

    return build_missing_world()


def missing_episode() -> Scenario:
    from saferhub.missing.models import Episode

    world = _missing_world()
    pk = world.episode.pk
    return Scenario(
        reverse("missing:episode-edit", args=[pk]),
        world.coordinator,
        world.manager,
        "police_reference",
        ("CAD 111", "CAD 222"),
        lambda: Episode.objects.get(pk=pk).police_reference,
    )


def missing_return() -> Scenario:
    from saferhub.missing.models import Episode

    world = _missing_world()
    pk = world.episode.pk
    return Scenario(
        reverse("missing:episode-return", args=[pk]),
        world.coordinator,
        world.manager,
        "where_found",
        ("At a friend's flat", "At the bus station"),
        lambda: Episode.objects.get(pk=pk).where_found,
    )


def missing_interview() -> Scenario:
    from saferhub.missing.models import Episode

    world = _missing_world()
    pk = world.episode.pk
    return Scenario(
        reverse("missing:interview", args=[pk]),
        world.worker,
        world.coordinator,
        "push_factors",
        ("Arguments at home", "Trouble at school"),
        lambda: Episode.objects.get(pk=pk).push_factors,
        also={"rhi_declined": "no"},
    )


def missing_interview_provider() -> Scenario:
    from saferhub.missing.models import Episode

    world = _missing_world()
    pk = world.episode.pk
    hub_team = world.hub_worker.team
    return Scenario(
        reverse("missing:interview-assign", args=[pk]),
        world.coordinator,
        world.manager,
        "team",
        (str(hub_team.pk), str(world.rhi_team.pk)),
        lambda: str(Episode.objects.get(pk=pk).rhi_team_id),
    )


def missing_place() -> Scenario:
    from saferhub.missing import actions as missing_actions
    from saferhub.missing.models import PlaceKind, PlaceOfConcern

    world = _missing_world()
    place = missing_actions.create_place(
        world.coordinator, world.partnership, name="Test park", kind=PlaceKind.PARK, identified_on=timezone.localdate()
    )
    return Scenario(
        reverse("missing:place-edit", args=[place.pk]),
        world.coordinator,
        world.manager,
        "name",
        ("Test park north", "Test park south"),
        lambda: PlaceOfConcern.objects.get(pk=place.pk).name,
    )


def missing_group() -> Scenario:
    from saferhub.missing import actions as missing_actions
    from saferhub.missing.models import Group

    world = _missing_world()
    group = missing_actions.create_group(
        world.coordinator, world.partnership, name="Test group", identified_on=timezone.localdate()
    )
    return Scenario(
        reverse("missing:group-edit", args=[group.pk]),
        world.coordinator,
        world.manager,
        "name",
        ("Test group north", "Test group south"),
        lambda: Group.objects.get(pk=group.pk).name,
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


def strategy_edit() -> Scenario:
    world = strategy_world.build()
    return Scenario(
        reverse("governance:strategy-edit", args=[world.strategy.pk]),
        world.users["analyst"],
        world.users["admin"],
        "runs",
        ("2024 to 2028", "2025 to 2028"),
        lambda: Strategy.objects.get(pk=world.strategy.pk).runs,
    )


def priority_edit() -> Scenario:
    world = strategy_world.build()
    return Scenario(
        reverse("governance:priority-edit", args=[world.priority.pk]),
        world.users["analyst"],
        world.users["admin"],
        "title",
        ("Supporting victims and witnesses", "Supporting victims of crime"),
        lambda: Priority.objects.get(pk=world.priority.pk).title,
    )


def commissioned_service_edit() -> Scenario:
    world = strategy_world.build()
    return Scenario(
        reverse("governance:service-edit", args=[world.service.pk]),
        world.users["analyst"],
        world.users["admin"],
        "name",
        ("Invented outreach and advocacy", "Invented outreach for victims"),
        lambda: CommissionedService.objects.get(pk=world.service.pk).name,
    )


def service_kpi_edit() -> Scenario:
    world = strategy_world.build()
    return Scenario(
        reverse("governance:kpi-edit", args=[world.clients.pk]),
        world.users["analyst"],
        world.users["admin"],
        "name",
        ("Clients supported in the quarter", "Clients given support"),
        lambda: ServiceKpi.objects.get(pk=world.clients.pk).name,
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


def letter_template() -> Scenario:
    from saferhub.letters.models import LetterTemplate

    world = asb.build_world()
    second_admin = UserFactory(
        team=None, agency=world.admin.agency, partnership=world.partnership, roles=[Role.PARTNERSHIP_ADMIN]
    )
    template = LetterTemplate.objects.get(partnership=world.partnership, kind="cpw")
    return Scenario(
        reverse("letters:template-edit", args=["cpw"]),
        world.admin,
        second_admin,
        "subject",
        ("Community Protection Warning", "Written warning: {{ case.reference }}"),
        lambda: LetterTemplate.objects.get(pk=template.pk).subject,
    )


def public_details() -> Scenario:
    from saferhub.letters.models import PartnershipBranding

    world = asb.build_world()
    second_admin = UserFactory(
        team=None, agency=world.admin.agency, partnership=world.partnership, roles=[Role.PARTNERSHIP_ADMIN]
    )
    PartnershipBranding.objects.create(partnership=world.partnership, phone="020 7946 0001")
    return Scenario(
        reverse("letters:public-details"),
        world.admin,
        second_admin,
        "phone",
        ("020 7946 0002", "020 7946 0003"),
        lambda: PartnershipBranding.objects.get(partnership=world.partnership).phone,
    )


def rj_member() -> Scenario:
    from saferhub.rj import actions as rj_actions
    from saferhub.rj.models import Member
    from saferhub.rj.tests import world as rj

    world = rj.build_world()
    member = rj_actions.add_member(
        world.owner, world.partnership, kind="volunteer", name="Vic Volunteer", training_level="awareness"
    )
    return Scenario(
        reverse("rj:member-edit", args=[member.pk]),
        world.owner,
        world.manager,
        "availability",
        ("Weekday evenings", "Saturdays only"),
        lambda: Member.objects.get(pk=member.pk).availability,
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
    "board pack cover sheet": board_pack_cover,
    "board": board_details,
    "board member": board_member,
    "board meeting": board_meeting,
    "board meeting attendance": board_attendance,
    "agenda item": agenda_item,
    "minutes of an agenda item": item_minutes,
    "board action": board_action,
    "forward work programme item": forward_item,
    "IOM selection details": iom_selection,
    "IOM plan item": iom_plan_item,
    "cost of crime rate": cost_of_crime_rate,
    "Youth Justice KPI value": youth_justice_kpi,
    "missing episode details": missing_episode,
    "missing episode return": missing_return,
    "return home interview": missing_interview,
    "return home interview provider": missing_interview_provider,
    "place of concern": missing_place,
    "group of concern": missing_group,
    "strategy indicator": indicator_edit,
    "strategy": strategy_edit,
    "strategy's priority": priority_edit,
    "commissioned service": commissioned_service_edit,
    "commissioned service's KPI": service_kpi_edit,
    "commissioned service's return": provider_return,
    "letter template": letter_template,
    "partnership's public details": public_details,
    "RJ register member": rj_member,
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
    data = {
        **posted(opened),
        "closure_reason": opened.fields["closure_reason"].choices[0][0],
        "satisfaction_end": "8",
        "close_anyway_reason": "Rights explained by the police",
    }
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
    retried = {**posted(retry), "closure_reason": data["closure_reason"], "close_anyway_reason": "Rights explained"}
    assert closer.post(close_url, retried).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_the_asb_desk_conflict_names_who_chose_the_team():
    scenario = asb_desk()
    first, second = signed_in(scenario.first), signed_in(scenario.second)
    opened = [posted(client.get(scenario.url).context["form"]) for client in (first, second)]
    assert first.post(scenario.url, {**opened[0], scenario.field: scenario.values[0]}).status_code == 302
    conflict = second.post(scenario.url, {**opened[1], scenario.field: scenario.values[1]})
    message = " ".join(str(error) for error in conflict.context["form"].non_field_errors())
    assert f"changed by {scenario.first.full_name} after you opened it" in message


def test_merging_two_people_one_changed_since_the_page_opened_gets_the_conflict_page_and_merges_nothing():
    from saferhub.people.models import PersonMerge
    from saferhub.people.tests.duplicates_world import build_duplicates_world

    world = build_duplicates_world()
    known, twin = world.people.known, world.people.twin
    merger, editor = signed_in(world.manager), signed_in(world.owner)
    merge_url = reverse("people:duplicate", args=[world.visible_pair.pk])
    opened = {**posted(merger.get(merge_url).context["form"]), "keep": "a"}
    edit_url = reverse("people:edit", args=[twin.pk])
    edit = posted(editor.get(edit_url).context["form"])
    assert editor.post(edit_url, {**edit, "first_language": "Testish"}).status_code == 302
    response = merger.post(merge_url, opened)
    assert response.status_code == 409
    message = " ".join(str(error) for error in response.context["form"].non_field_errors())
    assert "changed by someone else since you opened this page" in message
    assert not PersonMerge.objects.exists()
    assert not Person.objects.get(pk=twin.pk).is_archived
    assert Person.objects.get(pk=twin.pk).first_language == "Testish"
    assert Person.objects.get(pk=known.pk).version == known.version
    # Merging again from the refreshed page works.
    retry = {**posted(response.context["form"]), "keep": "a"}
    assert merger.post(merge_url, retry).status_code == 302
    assert PersonMerge.objects.get().merged_id == twin.pk


def test_two_people_reassigning_the_same_cases_at_once_the_second_is_refused_and_changes_nothing():
    from saferhub.cases.tests.factories import CaseFactory
    from saferhub.cases.tests.test_case_world import build_world

    world = build_world()
    other = CaseFactory(owning_team=world.owner_team, case_type=world.case_type, reference="WLD-2024-00009")
    chosen = [f"{c.pk}:{c.version}" for c in (world.case, other)]  # both opened the list at once
    first = signed_in(world.owner).post("/cases/bulk/reassign/", {"item": chosen, "assigned_to": world.teammate.pk})
    assert first.status_code == 302
    second = signed_in(world.teammate).post("/cases/bulk/reassign/", {"item": chosen, "assigned_to": world.owner.pk})
    assert second.status_code == 409
    assert "Case WLD-2024-00001 was changed by someone else after you chose it" in second.content.decode()
    assert set(Case.objects.filter(pk__in=[world.case.pk, other.pk]).values_list("assigned_to", flat=True)) == {
        world.teammate.pk
    }
