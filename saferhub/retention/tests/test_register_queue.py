"""Register members (RJ Champions, Restorative Practice Leads, volunteers) in the retention queue: listed when
past the register's period, only to those who review retention and may erase them, counted, and erased from
the queue with the same `erase` audit row as the member's own erasure page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.retention.plan import ERASED
from saferhub.rj import actions
from saferhub.rj.models import Member
from saferhub.rj.tests.world import WHO, build_world, client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = datetime.date(TODAY.year - 7, 6, 30)  # past the end of that year plus 6
LATELY = datetime.date(TODAY.year - 6, 1, 1)  # kept until 31 December this year


def left_on(world, name: str, day: datetime.date) -> Member:
    member = actions.add_member(
        world.owner, world.partnership, kind="volunteer", name=name, training_level="awareness", active=False
    )
    Member.objects.filter(pk=member.pk).update(left_on=day)
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def world():
    world = build_world()
    world.gone = left_on(world, "Gwen Gonelong", LONG_AGO)
    world.lately = left_on(world, "Lenny Leftlately", LATELY)
    world.active = actions.add_member(
        world.owner, world.partnership, kind="champion", name="Ari Active", training_level="practitioner"
    )
    elsewhere = PartnershipFactory(name="Elsewhere Safer Communities Partnership")
    world.users["outside_admin"] = UserFactory(
        team=TeamFactory(agency=AgencyFactory(partnership=elsewhere)),
        full_name="Ezra Elsewhere",
        roles=[Role.PARTNERSHIP_ADMIN],
    )
    return world


def queue(world, who: str):
    return client_for(world, who).get(reverse("retention:queue"))


def listed(response) -> list[Member]:
    return [member for member, _ in response.context["member_rows"]]


def test_a_member_past_the_period_is_listed_and_one_not_yet_due_is_not(world):
    response = queue(world, "admin")
    assert listed(response) == [world.gone]
    page = response.content.decode()
    assert "Gwen Gonelong" in page and "Lenny Leftlately" not in page and "Ari Active" not in page
    assert f"{LONG_AGO:%-d %B %Y}" in page  # left the register
    assert f"31 December {LONG_AGO.year + 6}" in page  # kept until
    assert f"{reverse('rj:member-erase', args=[world.gone.pk])}?from=retention" in page
    # An erased member is no longer due.
    Member.objects.filter(pk=world.lately.pk).update(left_on=LONG_AGO, erased_at=timezone.now())
    assert listed(queue(world, "admin")) == [world.gone]


@pytest.mark.parametrize(
    ("who", "status", "sees_members"),
    [
        ("admin", 200, True),
        # Reviews their team's cases, but the register is not their team's and they may not erase members.
        ("manager", 200, False),
        ("outside_admin", 200, False),
        *[(who, 403, False) for who in WHO if who != "anonymous"],
        ("anonymous", 302, False),
    ],
)
def test_only_who_reviews_retention_and_may_erase_members_sees_them(world, who, status, sees_members):
    response = queue(world, who)
    assert response.status_code == status
    if status == 200:
        assert (listed(response) == [world.gone]) is sees_members
        assert ("Gwen Gonelong" in response.content.decode()) is sees_members
    if status == 302:
        assert "/sign-in/" in response.url


def test_members_due_are_counted_in_the_queue(world):
    also = left_on(world, "Alfie Alsogone", LONG_AGO - datetime.timedelta(days=400))
    response = queue(world, "admin")
    assert listed(response) == [also, world.gone]  # longest gone first
    cases = response.context["page_obj"].paginator.count
    assert response.context["total_due"] == cases + 2
    page = response.content.decode()
    assert "2 register members due" in page
    assert f"{cases + 2} records due" in page and "and 2 register members" in page
    # The manager's count holds their cases only.
    manager = queue(world, "manager")
    assert manager.context["total_due"] == manager.context["page_obj"].paginator.count


def test_the_queue_query_count_does_not_grow_with_members(world):
    client = client_for(world, "admin")
    client.get(reverse("retention:queue"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("retention:queue"))
    for number in range(15):
        left_on(world, f"Volunteer {number}", LONG_AGO)
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client.get(reverse("retention:queue")))) == 16
    assert len(many) == len(few)


def test_erasing_from_the_queue_removes_the_member_with_the_erase_audit_row(world):
    admin = client_for(world, "admin")
    url = f"{reverse('rj:member-erase', args=[world.gone.pk])}?from=retention"
    page = admin.get(url).content.decode()
    assert f"left the register on {LONG_AGO:%-d %B %Y}" in page
    assert reverse("retention:queue") in page  # the way back is the queue
    response = admin.post(url, {"reason": "Quarterly retention review"})
    assert response.status_code == 302 and response.url == reverse("retention:queue")
    member = Member.objects.get(pk=world.gone.pk)
    assert (member.name, member.erased_at is not None) == (ERASED, True)
    assert listed(queue(world, "admin")) == []
    event = AuditEvent.objects.get(action=AuditAction.ERASE, object_id=str(member.pk))
    assert event.user == world.admin and event.reason == "Quarterly retention review"
    assert event.detail["basis"] == "retention schedule" and event.detail["retention_years"] == 6
    assert event.detail["fields_cleared"] == ["availability", "dbs_checked_on", "name", "organisation", "school"]
    assert event.detail["left_on"] == LONG_AGO.isoformat()
    assert "Gwen" not in str(event.detail) and "Gwen" not in event.object_repr


def test_erasing_from_the_queue_refuses_a_member_not_yet_due(world):
    url = f"{reverse('rj:member-erase', args=[world.lately.pk])}?from=retention"
    response = client_for(world, "admin").post(url, {"reason": "Quarterly retention review"})
    assert response.status_code == 200
    assert "not past the retention period" in " ".join(response.context["form"].errors["reason"])
    assert Member.objects.get(pk=world.lately.pk).name == "Lenny Leftlately"
    assert not AuditEvent.objects.filter(action=AuditAction.ERASE).exists()


def test_the_queue_link_is_the_administrators_only(world):
    url = f"{reverse('rj:member-erase', args=[world.gone.pk])}?from=retention"
    for who in ("manager", "owner"):
        assert client_for(world, who).post(url, {"reason": "Quarterly retention review"}).status_code == 403
    assert Member.objects.get(pk=world.gone.pk).name == "Gwen Gonelong"
