"""Detached outreach sessions: recorded by the missing and exploitation team from the intelligence pages,
kept as outreach activities of the register (counted by the activities return), with their place of concern
and the concerns passed on seen by the team only.

The matrix: the coordinators and their manager (the team holding `missing`), a same-agency colleague in
another team, another agency (the police, a CEAM member), a provider's worker, the Early Help Hub the child's
case is shared with, an analyst, a partnership administrator, another partnership's coordinator and
anonymous.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.governance.models import Activity, ActivityKind
from saferhub.missing import actions
from saferhub.missing.config import OUTREACH_PROGRAMME
from saferhub.missing.models import IntelLink, LinkSource, Theme, Visibility
from saferhub.missing.tests.world import build_world, with_intelligence
from saferhub.places.tests.factories import WardFactory

pytestmark = pytest.mark.django_db

WHO = (
    "coordinator",
    "manager",
    "colleague",
    "other_agency",
    "worker",
    "shared",
    "analyst",
    "admin",
    "outsider",
    "anonymous",
)
DAY = datetime.date(2024, 6, 14)
CONCERNS = "Older youths seen handing packages to two pupils; passed to the police exploitation desk."


@pytest.fixture
def world():
    w = with_intelligence(build_world())
    w.ward = WardFactory.create(partnership=w.partnership, name="Testing Riverside")
    w.session = actions.record_outreach_session(
        w.coordinator,
        held_on=DAY,
        ward=w.ward,
        place=w.place_ceam,
        participants=9,
        concerns_passed_on=CONCERNS,
        person=w.child_person,
        theme=Theme.COUNTY_LINES,
    )
    return w


def client_for(world, who):
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def status(world, who, url):
    response = client_for(world, who).get(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response.url
        return "sign-in"
    return response.status_code


def table(*codes):
    return list(zip(WHO, (*codes, "sign-in"), strict=True))


def form_data(world, **changes):
    data = {
        "held_on-day": "3",
        "held_on-month": "7",
        "held_on-year": "2024",
        "ward": str(world.ward.pk),
        "place": str(world.place_team.pk),
        "participants": "12",
        "concerns_passed_on": "A young person said a flat is used for dealing; passed to children's social care.",
        "person": str(world.child_person.pk),
        "theme": Theme.CRIMINAL_EXPLOITATION,
        "visibility": Visibility.TEAM,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# The other partnership's coordinator records sessions in their own partnership; everyone else outside the
# team gets 404, as for a record they may not know of.
@pytest.mark.parametrize(("who", "expected"), table(200, 200, 404, 404, 404, 404, 404, 404, 200))
@pytest.mark.parametrize("method", ["get", "post"])
def test_recording_a_session_is_for_the_missing_team(world, who, expected, method):
    client = client_for(world, who)
    url = reverse("missing:outreach-new")
    before = Activity.objects.count()
    response = client.get(url) if method == "get" else client.post(url, form_data(world, place="", person=""))
    code = "sign-in" if who == "anonymous" and response.status_code == 302 else response.status_code
    if method == "post" and expected == 200:
        # The other partnership's coordinator cannot choose this partnership's ward: the form says so.
        expected = 302 if who in ("coordinator", "manager") else 200
    assert code == expected
    assert Activity.objects.count() == before + (1 if code == 302 and who != "anonymous" else 0)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator", True),
        ("manager", True),
        ("other_agency", False),  # a CEAM member: sees the shared place, not the team's sessions
        ("colleague", False),
        ("analyst", False),
        ("outsider", False),
    ],
)
@pytest.mark.parametrize("page", ["intelligence", "place"])
def test_the_session_is_listed_for_the_team_only(world, who, sees, page):
    url = (
        reverse("missing:intelligence")
        if page == "intelligence"
        else reverse("missing:place", args=[world.place_ceam.pk])
    )
    response = client_for(world, who).get(url)
    text = response.content.decode() if response.status_code == 200 else ""
    assert ("Older youths seen handing packages" in text) is sees
    assert ("14 June 2024" in text) is sees
    # The other partnership's coordinator records sessions of their own from their (empty) overview.
    may_record = sees or (who == "outsider" and page == "intelligence")
    assert (reverse("missing:outreach-new") in text) is may_record


# A concern passed on from a session is linked by the coordinators; a session of another partnership is 404.
@pytest.mark.parametrize(("who", "expected"), table(200, 200, 403, 403, 403, 403, 403, 403, 404))
def test_linking_a_concern_to_a_session(world, who, expected):
    url = reverse("missing:link-new") + f"?session={world.session.pk}"
    assert status(world, who, url) == expected


def test_a_coordinator_records_a_session_at_a_place_with_a_concern(world):
    client = client_for(world, "coordinator")
    url = reverse("missing:outreach-new")
    page = client.get(url + f"?place={world.place_team.pk}")
    assert page.context["form"].initial["place"] == world.place_team.pk
    response = client.post(url, form_data(world))
    assert response.status_code == 302
    assert response.url == reverse("missing:place", args=[world.place_team.pk])
    session = Activity.objects.get(place=world.place_team)
    assert (session.kind, session.programme, session.held_on) == (
        ActivityKind.OUTREACH,
        OUTREACH_PROGRAMME,
        datetime.date(2024, 7, 3),
    )
    assert (session.ward, session.place, session.participants) == (world.ward, world.place_team, 12)
    assert session.concerns_passed_on.startswith("A young person said a flat")
    # The register's title names the ward, never the place of concern.
    assert session.title == "Detached outreach in Testing Riverside"
    link = IntelLink.objects.get(outreach_session=session)
    assert (link.person, link.place, link.theme, link.source, link.recorded_on) == (
        world.child_person,
        world.place_team,
        Theme.CRIMINAL_EXPLOITATION,
        LinkSource.OUTREACH,
        datetime.date(2024, 7, 3),
    )
    created = AuditEvent.objects.filter(user=world.coordinator, action=AuditAction.CREATE)
    assert created.filter(object_type="governance.activity", object_id=str(session.pk)).exists()
    assert created.filter(object_type="missing.intellink", object_id=str(link.pk)).exists()

    place = client.get(response.url).content.decode()
    assert "3 July 2024" in place and "A young person said a flat" in place
    assert "Young person linked: Tia Testchild (Child criminal exploitation)" in place
    overview = client.get(reverse("missing:intelligence")).content.decode()
    assert "3 July 2024" in overview and "14 June 2024" in overview

    # A second young person, linked from the session: its source and date are the session's.
    other = world.place_ceam
    response = client.post(
        reverse("missing:link-new") + f"?session={session.pk}",
        {"person": world.child_person.pk, "place": other.pk, "visibility": Visibility.TEAM, "notes": ""},
    )
    assert response.status_code == 302
    second = IntelLink.objects.filter(outreach_session=session).exclude(pk=link.pk).get()
    assert (second.place, second.source, second.recorded_on) == (other, LinkSource.OUTREACH, session.held_on)


def test_errors_name_the_field_and_nothing_is_written(world):
    client = client_for(world, "coordinator")
    before = (Activity.objects.count(), IntelLink.objects.count())
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)  # noqa: DTZ011 - the form's own "today"
    cases = [
        ({"place": "", "theme": ""}, "Choose the place of concern or a theme to link the young person to"),
        ({"participants": ""}, "Enter how many young people were engaged"),
        ({"participants": "-1"}, "Young people engaged must be 0 or more"),
        ({"ward": ""}, "Select the ward of the session"),
        (
            {
                "held_on-day": str(tomorrow.day),
                "held_on-month": str(tomorrow.month),
                "held_on-year": str(tomorrow.year),
            },
            "must be today or in the past",
        ),
    ]
    for changes, message in cases:
        response = client.post(reverse("missing:outreach-new"), form_data(world, **changes))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert (Activity.objects.count(), IntelLink.objects.count()) == before


def test_another_partnerships_place_cannot_be_chosen(world):
    outsider = world.outsider
    own_ward = WardFactory.create(partnership=outsider.partnership, name="Elsewhere Ward")
    client = client_for(world, "outsider")
    response = client.post(
        reverse("missing:outreach-new"), form_data(world, ward=str(own_ward.pk), person="", theme="")
    )
    assert response.status_code == 200
    assert "Select a place from the list" in response.content.decode()
    assert not Activity.objects.filter(partnership=outsider.partnership).exists()


def test_analysts_see_the_session_in_the_register_without_its_place_or_concerns(world):
    client = client_for(world, "analyst")
    page = client.get(reverse("governance:activities") + "?kind=outreach").content.decode()
    assert "Detached outreach in Testing Riverside" in page and "14 June 2024" in page
    assert "Testing skate park" not in page and "Older youths" not in page
    # The analyst changes the register's figures; the team's place and concerns stay.
    response = client.post(
        reverse("governance:activity-edit", args=[world.session.pk]),
        {
            "held_on-day": "14",
            "held_on-month": "6",
            "held_on-year": "2024",
            "kind": ActivityKind.OUTREACH,
            "title": world.session.title,
            "programme": "Detached outreach",
            "ward": world.ward.pk,
            "participants": "10",
            "version": world.session.version,
        },
    )
    assert response.status_code == 302
    world.session.refresh_from_db()
    assert (world.session.participants, world.session.programme) == (10, OUTREACH_PROGRAMME)
    assert (world.session.place, world.session.concerns_passed_on) == (world.place_ceam, CONCERNS)


def test_the_activities_return_counts_the_sessions(world, capsys):
    actions.record_outreach_session(world.manager, held_on=datetime.date(2024, 7, 1), ward=world.ward, participants=5)
    call_command(
        "report", "activities", "--from", "2024-04-01", "--to", "2024-09-30", "--partnership", world.partnership.slug
    )
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == {"sessions": 2, "participants": 14}
    kinds = {row["kind"]: (row["sessions"], row["participants"]) for row in result["by_kind"]}
    assert kinds["outreach"] == (2, 14)
    assert result["quarters"] == [
        {"quarter": "2024/25 Q1", "sessions": 1, "participants": 9},
        {"quarter": "2024/25 Q2", "sessions": 1, "participants": 5},
    ]
    assert result["by_programme"] == [
        {
            "programme": OUTREACH_PROGRAMME,
            "audience": None,
            "sessions": 2,
            "participants": 14,
            "cumulative_participants": 14,
        }
    ]
    # Cumulative figures reach back to the programme's first session.
    call_command(
        "report", "activities", "--from", "2024-07-01", "--to", "2024-09-30", "--partnership", world.partnership.slug
    )
    (row,) = json.loads(capsys.readouterr().out)["by_programme"]
    assert (row["sessions"], row["participants"], row["cumulative_participants"]) == (1, 5, 14)


def test_the_place_page_reads_a_bounded_number_of_rows(world, django_assert_max_num_queries):
    for day in range(1, 6):
        actions.record_outreach_session(
            world.coordinator,
            held_on=datetime.date(2024, 7, day),
            ward=world.ward,
            place=world.place_ceam,
            participants=day,
            person=world.child_person,
            theme=Theme.KNIFE_CARRYING,
        )
    client = client_for(world, "coordinator")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("missing:place", args=[world.place_ceam.pk])).status_code == 200
    with django_assert_max_num_queries(50):
        assert client.get(reverse("missing:intelligence")).status_code == 200
