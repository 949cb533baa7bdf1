"""Panel pages run a bounded number of queries whatever the number of rows."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.cases.models import LawfulBasis
from saferhub.panels import actions
from saferhub.panels.tests.world import build_world, person, refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    world = build_world()
    referrals = [
        refer(world, person(world, f"P{n}", "Listperson"), TODAY - datetime.timedelta(days=5 + n)) for n in range(8)
    ]
    world.meeting = actions.schedule_meeting(world.coordinator, world.da, date=TODAY + datetime.timedelta(days=2))
    hearings = actions.build_agenda(world.coordinator, world.meeting)
    for hearing in hearings:
        actions.share_information(
            world.coordinator, hearing, agency=world.police, information="Call-outs.", lawful_basis=LawfulBasis.CDA_S115
        )
        actions.agree_action(
            world.coordinator,
            hearing,
            title="Visit",
            owner=world.users["police"],
            owner_agency=world.police,
            due_on=TODAY - datetime.timedelta(days=1),
        )
    world.hearing = hearings[0]
    world.case = referrals[0].panel_case.case
    return world


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("coordinator", "/panels/"),
        ("police", "/panels/"),
        ("coordinator", "/panels/types/da_marac/"),
        ("coordinator", "/panels/actions/overdue/"),
        ("coordinator", "meeting"),
        ("coordinator", "hearing"),
        ("police", "summary"),
    ],
)
def test_bounded_queries(world, who, url, django_assert_max_num_queries):
    url = {
        "meeting": f"/panels/meetings/{world.meeting.pk}/",
        "hearing": f"/panels/hearings/{world.hearing.pk}/",
        "summary": f"/panels/cases/{world.case.reference}/summary/",
    }.get(url, url)
    client = Client()
    client.force_login(world.users[who])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200


def _count(url, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_rows(world):
    urls = {
        "coordinator": [
            "/panels/",
            f"/panels/meetings/{world.meeting.pk}/",
            "/panels/types/da_marac/",
            "/panels/actions/overdue/",
            f"/panels/meetings/{world.meeting.pk}/minutes.docx",
        ],
        "police": ["/panels/"],
    }
    before = {(who, url): _count(url, world.users[who]) for who, list_ in urls.items() for url in list_}
    more = [refer(world, person(world, f"Q{n}", "Moreperson"), TODAY - datetime.timedelta(days=3)) for n in range(6)]
    extra = actions.schedule_meeting(world.coordinator, world.da, date=TODAY + datetime.timedelta(days=1))
    for hearing in actions.build_agenda(world.coordinator, extra):
        actions.agree_action(
            world.coordinator,
            hearing,
            title="Call",
            owner=world.users["police"],
            owner_agency=world.police,
            due_on=TODAY - datetime.timedelta(days=2),
        )
    assert len(more) == 6
    after = {(who, url): _count(url, world.users[who]) for who, list_ in urls.items() for url in list_}
    assert after == before
    # A meeting with 6 cases costs what one with 8 does.
    meeting_url = f"/panels/meetings/{world.meeting.pk}/"
    assert _count(f"/panels/meetings/{extra.pk}/", world.coordinator) == before[("coordinator", meeting_url)]
