"""Cohort review meetings through the panels app: the `iom_review` panel type, listing a stay from its
cohort record, what the meeting page shows, decisions and actions back on the record, and who may do it.

World (saferhub/iom/tests/world.py) plus two panel coordinators: one in the IOM team, one in the
council's community safety team (another agency). The stay is managed by a probation officer and
shared with Housing.
"""

import datetime

import pytest
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.partnerships import setup_partnership
from saferhub.accounts.tests.factories import TeamFactory, UserFactory
from saferhub.audit.models import AuditEvent
from saferhub.cases.actions import name_user_on_case
from saferhub.cases.models import Case, CaseStatus
from saferhub.iom import actions as iom_actions
from saferhub.iom import reviews
from saferhub.iom.models import CohortStay
from saferhub.iom.tests.world import adopt, build_world, client_for, shared_stay
from saferhub.panels import actions as panel_actions
from saferhub.panels.models import Hearing, PanelCase, PanelType
from saferhub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DECISION = "Move to daily contact; joint visit with the probation officer."
ACTION = "Check the tenancy with the housing officer"


@pytest.fixture
def world():
    world = build_world()
    world.users["iom_coordinator"] = UserFactory(
        team=world.iom, full_name="Ira Reviewer", roles=[Role.CASEWORKER, Role.PANEL_COORDINATOR]
    )
    cst = TeamFactory(agency=world.council, name="Community Safety Team")
    world.users["panel_coordinator"] = UserFactory(
        team=cst, full_name="Pat Panelcoordinator", roles=[Role.PANEL_COORDINATOR]
    )
    world.coordinator = world.users["iom_coordinator"]
    reviews.install_review_panel(world.partnership)
    world.review = PanelType.objects.get(partnership=world.partnership, code=reviews.REVIEW_CODE)
    world.stay = shared_stay(world)
    world.meeting = panel_actions.schedule_meeting(
        world.coordinator, world.review, date=TODAY + datetime.timedelta(days=7)
    )
    return world


def _status(world, who, url, method="get"):
    response = getattr(client_for(world, who), method)(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response.url
        return "sign-in"
    return response.status_code


def test_every_partnership_gets_a_cohort_review_panel_coordinated_by_the_iom_team(world):
    assert world.review.case_type.code == "iom"
    assert world.review.coordinating_team == world.iom
    assert world.review.name == "IOM cohort review" and world.review.get_cadence_display() == "Monthly"
    world.review.name = "Monthly IOM panel"
    world.review.save()
    setup_partnership(world.partnership)
    setup_partnership(world.partnership)
    assert list(PanelType.objects.filter(partnership=world.partnership, case_type__code="iom").values_list("name")) == [
        ("Monthly IOM panel",)
    ]


def test_giving_the_iom_duty_later_also_gives_the_review_panel_to_that_team(world):
    world.review.coordinating_team = None
    world.review.save()
    new_team = TeamFactory(agency=world.police, name="Offender Management Unit")
    iom_actions.set_iom_team(world.admin, world.partnership, new_team)
    world.review.refresh_from_db()
    assert world.review.coordinating_team == new_team
    other = TeamFactory(agency=world.police, name="Another team")
    iom_actions.set_iom_team(world.admin, world.partnership, other)
    world.review.refresh_from_db()
    assert world.review.coordinating_team == new_team  # a coordinating team already set stays


def test_listing_a_stay_uses_its_own_case_and_the_panel_records_come_back_to_the_cohort_record(world):
    client = client_for(world, "iom_coordinator")
    page = client.get(f"/iom/stays/{world.stay.pk}/")
    assert "Add to a cohort review meeting" in page.content.decode()
    response = client.post(f"/iom/stays/{world.stay.pk}/review/", {"meeting": str(world.meeting.pk)})
    assert response.status_code == 302 and response.url == f"/iom/stays/{world.stay.pk}/"
    hearing = Hearing.objects.get(meeting=world.meeting)
    assert hearing.panel_case.case == world.stay.case  # no second case is opened
    assert hearing.get_reason_display() == "New referral" and hearing.is_new
    assert Case.objects.filter(case_type__code="iom").count() == 1
    assert AuditEvent.objects.filter(detail__agenda_listed=world.stay.case.reference).exists()

    # The meeting page shows the person's RAG status and next contact due (adopted Red, no contact yet).
    meeting_page = client.get(f"/panels/meetings/{world.meeting.pk}/").content.decode()
    assert world.stay.case.reference in meeting_page
    assert "RAG status: Red" in meeting_page
    assert "Next contact due: 11 January 2023 (overdue)" in meeting_page

    panel_actions.agree_action(
        world.coordinator,
        hearing,
        title=ACTION,
        owner=world.shared,
        owner_agency=world.housing,
        due_on=TODAY + datetime.timedelta(days=14),
    )
    panel_actions.record_outcome(world.coordinator, hearing, outcome="review", decisions=DECISION)
    record = client.get(f"/iom/stays/{world.stay.pk}/").content.decode()
    assert DECISION in record and ACTION in record and "Review again" in record
    # The panels pages of the hearing and the panel summary work for a cohort record.
    assert DECISION in client.get(f"/panels/hearings/{hearing.pk}/").content.decode()
    summary = client.get(f"/panels/cases/{world.stay.case.reference}/summary/")
    assert summary.status_code == 200 and ACTION in summary.content.decode()
    case_page = client.get(f"/cases/{world.stay.case.reference}/").content.decode()
    assert "Panel summary and hearings" in case_page and "IOM cohort record" in case_page


def test_a_stay_already_on_a_meeting_not_yet_held_is_not_listed_twice(world):
    reviews.put_on_review(world.coordinator, world.stay, world.meeting)
    later = panel_actions.schedule_meeting(world.coordinator, world.review, date=TODAY + datetime.timedelta(days=35))
    response = client_for(world, "iom_coordinator").post(f"/iom/stays/{world.stay.pk}/review/", {"meeting": later.pk})
    assert response.status_code == 200
    day = world.meeting.date
    assert f"already on the agenda of the meeting of {day.day} {day:%B %Y}" in response.content.decode()
    assert Hearing.objects.count() == 1


def test_closing_at_a_review_ends_the_reviews_but_not_the_cohort_record(world):
    hearing = reviews.put_on_review(world.coordinator, world.stay, world.meeting)
    panel_actions.record_outcome(world.coordinator, hearing, outcome="closed", decisions="Stepped down.")
    world.stay.case.refresh_from_db()
    assert world.stay.case.status != CaseStatus.CLOSED
    assert PanelCase.objects.get(case=world.stay.case).review_due_on is None


def test_a_referral_to_the_review_joins_the_current_stay_and_refuses_someone_outside_the_cohort(world):
    referral = panel_actions.create_referral(
        world.coordinator,
        world.review,
        person=world.stay.person,
        referral_date=TODAY,
        referring_agency=world.police,
    )
    assert referral.panel_case.case == world.stay.case
    outsider = PersonFactory(partnership=world.partnership, first_name="Nolan", last_name="Notincohort")
    with pytest.raises(panel_actions.PanelError, match="has no cohort record you can see"):
        panel_actions.create_referral(
            world.coordinator, world.review, person=outsider, referral_date=TODAY, referring_agency=world.police
        )
    assert Case.objects.filter(case_type__code="iom").count() == 1


def test_a_coordinator_who_may_not_see_the_stay_learns_nothing_of_the_cohort_from_a_referral(world):
    # The council's coordinator may not see this cohort record: the refusal is the one for someone not in
    # the cohort, word for word, so it does not tell them who is in it.
    outsider = PersonFactory(partnership=world.partnership, first_name="Nolan", last_name="Notincohort")
    refusals = []
    for person in (world.stay.person, outsider):
        with pytest.raises(panel_actions.PanelError) as refused:
            panel_actions.create_referral(
                world.users["panel_coordinator"],
                world.review,
                person=person,
                referral_date=TODAY,
                referring_agency=world.police,
            )
        refusals.append(str(refused.value).replace(person.display_name, "NAME"))
    assert refusals[0] == refusals[1]
    assert not PanelCase.objects.filter(case=world.stay.case).exists()


def test_a_stay_that_left_the_cohort_cannot_be_listed(world):
    stay = adopt(world, person=PersonFactory(partnership=world.partnership, first_name="Leif", last_name="Leftcohort"))
    iom_actions.deselect(world.owner, stay, expected_version=stay.version, left_on=TODAY, reason="reduced_risk")
    stay = CohortStay.objects.get(pk=stay.pk)
    with pytest.raises(panel_actions.PanelError, match="left the cohort"):
        reviews.put_on_review(world.coordinator, stay, world.meeting)
    assert _status(world, "iom_coordinator", f"/iom/stays/{stay.pk}/review/") == 403


# Roles x agencies: the IOM team's panel coordinator (IOM team, police), an IOM caseworker without the
# coordinator role, a colleague of another police team, the offender manager (probation), another
# probation caseworker, Housing (the case is shared with it), a panel coordinator of the council,
# the analyst, the administrator and anonymous.
WHO = [
    "iom_coordinator",
    "owner",
    "colleague",
    "manager",
    "other_agency",
    "shared",
    "panel_coordinator",
    "analyst",
    "admin",
    "anonymous",
]


def _table(**codes):
    return [(who, codes.get(who, codes.get("default"))) for who in WHO]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("who", "expected"), _table(iom_coordinator=200, owner=403, anonymous="sign-in", default=404))
def test_who_may_put_a_stay_on_a_review_meeting(world, who, expected, method):
    # A POST without a meeting re-shows the form (200) and lists nothing.
    assert _status(world, who, f"/iom/stays/{world.stay.pk}/review/", method) == expected
    assert not Hearing.objects.exists()


def test_an_outsider_gets_404_for_a_stay_of_another_partnership(world):
    other = build_world()
    outsider = UserFactory(team=other.iom, full_name="Olga Outsider", roles=[Role.CASEWORKER, Role.PANEL_COORDINATOR])
    world.users["outsider"] = outsider
    assert _status(world, "outsider", f"/iom/stays/{world.stay.pk}/review/") == 404
    assert _status(world, "outsider", f"/iom/stays/{world.stay.pk}/review/", "post") == 404


def test_a_restricted_stay_is_listed_only_by_a_coordinator_named_on_it(world):
    world.stay.case.restricted = True
    world.stay.case.save()
    assert _status(world, "iom_coordinator", f"/iom/stays/{world.stay.pk}/review/") == 404
    name_user_on_case(world.owner, world.stay.case, world.coordinator)
    assert _status(world, "iom_coordinator", f"/iom/stays/{world.stay.pk}/review/") == 200


@pytest.mark.parametrize(
    ("who", "sees"),
    _table(iom_coordinator=True, owner=True, shared=True, panel_coordinator=False, default=False),
)
def test_review_decisions_on_the_cohort_record_follow_the_panel_summary_rule(world, who, sees):
    hearing = reviews.put_on_review(world.coordinator, world.stay, world.meeting)
    panel_actions.record_outcome(world.coordinator, hearing, outcome="review", decisions=DECISION)
    response = client_for(world, who).get(f"/iom/stays/{world.stay.pk}/")
    if response.status_code != 200:
        assert not sees  # no cohort record, no decisions
        return
    assert (DECISION in response.content.decode()) is sees
