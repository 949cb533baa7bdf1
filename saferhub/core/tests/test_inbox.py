"""One inbox per team: one number per item, one count everywhere, deadlines, access and paging."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub import policy
from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.asb.actions import submit_case_review
from saferhub.cases.tests.factories import CaseTypeFactory, ReferralFactory
from saferhub.core.workingdays import add_working_days
from saferhub.panels.models import PanelKind, PanelReferral, PanelType, ReferralStatus
from saferhub.people.tests.factories import PersonFactory
from saferhub.victims import actions as hub_actions
from saferhub.victims.tests.world import VIEWERS, accepted_referral, build_world, client_for, new_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return inbox_world()


def inbox_world():
    """The hub's world, with a generic case type, a team manager, a panel coordinator and a DA MARAC."""
    world = build_world()
    world.generic_type = CaseTypeFactory(
        partnership=world.partnership, code="gen", name="Generic support", prefix="GEN"
    )
    world.users["manager"] = world.manager = UserFactory(
        team=world.hub, full_name="Mo Manager", roles=[Role.TEAM_MANAGER]
    )
    world.users["coordinator"] = world.coordinator = UserFactory(
        team=world.cst, full_name="Cleo Coordinator", roles=[Role.PANEL_COORDINATOR]
    )
    world.marac = PanelType.objects.create(
        partnership=world.partnership,
        code="da_marac",
        kind=PanelKind.DA_MARAC,
        name="DA MARAC",
        case_type=CaseTypeFactory(partnership=world.partnership, code="marac", name="MARAC", prefix="MAR"),
    )
    return world


def generic_referral(world, **fields):
    fields.setdefault("from_agency", world.housing)
    fields.setdefault("from_team", world.housing_team)
    return ReferralFactory(to_team=world.hub, case_type=world.generic_type, **fields)


def panel_referral(world, **fields):
    fields.setdefault("status", ReferralStatus.SUBMITTED)
    return PanelReferral.objects.create(
        partnership=world.partnership,
        panel_type=world.marac,
        referral_date=timezone.localdate(),
        referring_agency=world.police,
        submitted_online=True,
        person=PersonFactory(partnership=world.partnership, first_name="Juniper", last_name="Ashcombe"),
        **fields,
    )


def case_review(world, **fields):
    review = submit_case_review(
        None, partnership=world.partnership, applicant_name="A Neighbour", problem="x", **fields
    )
    review.owning_team = world.hub  # the ASB desk's team, were there one
    review.save(update_fields=["owning_team"])
    return review


def fill(world):
    """3 generic referrals, 4 hub referrals (one accepted, never contacted; one contacted, pending),
    2 panel referrals awaiting review, 1 Case Review application; and things not awaiting a decision."""
    generic = [generic_referral(world) for _ in range(3)]
    generic_referral(world, decision="declined", decision_reason="Test")
    hubs = [new_referral(world) for _ in range(3)]
    hubs.append(accepted_referral(world, shared=False))
    contacted = accepted_referral(world, shared=False)
    hub_actions.record_contact_attempt(
        world.owner, contacted, made_on=timezone.localdate(), method="phone", successful=True
    )
    panels = [panel_referral(world) for _ in range(2)]
    panel_referral(world, status=ReferralStatus.ACCEPTED)
    review = case_review(world)
    return generic, hubs, panels, review


def test_one_count_everywhere(world):
    fill(world)
    owner = client_for(world, "owner")
    home = owner.get("/").context
    counts = {queue["kind"]: queue["count"] for queue in home["inbox_queues"]}
    assert counts == {"referral": 3, "hub": 4, "case_review": 1}
    inbox = owner.get(reverse("core:inbox")).context
    assert {q["kind"]: q["count"] for q in inbox["queues"]} == counts
    assert len(inbox["page"].items) == 8
    # The module pages count and list the same items.
    assert owner.get(reverse("victims:triage")).context["awaiting"] == counts["hub"]
    assert len(owner.get(reverse("victims:triage")).context["page_obj"]) == counts["hub"]
    assert owner.get(reverse("victims:index")).context["awaiting"] == counts["hub"]
    assert owner.get(reverse("cases:referral-inbox")).context["count"] == counts["referral"] + counts["hub"]
    reviews = owner.get(reverse("asb:reviews") + "?show=awaiting").context
    assert reviews["awaiting"] == counts["case_review"] == len(reviews["reviews"])
    # The coordinator: panel referrals on the home page, the inbox, the Panels page and its queue.
    coordinator = client_for(world, "coordinator")
    home = coordinator.get("/").context
    panel_count = {q["kind"]: q["count"] for q in home["inbox_queues"]}["panel"]
    assert panel_count == home["panel_referrals_count"] == 2
    assert coordinator.get(reverse("panels:index")).context["awaiting_review"] == panel_count
    assert len(coordinator.get(reverse("panels:review-queue")).context["referrals"]) == panel_count
    assert coordinator.get(reverse("panels:type", args=["da_marac"])).context["awaiting_review"] == panel_count
    page = coordinator.get(reverse("core:inbox") + "?kind=panel").content.decode()
    assert 'data-count="panel">2<' in page


def test_one_number_and_one_url_per_item(world):
    hub = new_referral(world)
    owner = client_for(world, "owner")
    items = owner.get(reverse("core:inbox")).context["page"].items
    assert [(item.kind, item.reference) for item in items] == [("hub", hub.referral.reference)]
    assert items[0].url == reverse("victims:referral", args=[hub.pk])
    # The generic referral's address redirects to the hub's page, which shows the same reference.
    response = owner.get(reverse("cases:referral-detail", args=[hub.referral.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("victims:referral", args=[hub.pk])
    assert hub.referral.reference in owner.get(response["Location"]).content.decode()
    # A generic referral keeps its own page, with the same kind of reference.
    generic = generic_referral(world)
    page = owner.get(reverse("cases:referral-detail", args=[generic.pk]))
    assert page.status_code == 200 and generic.reference in page.content.decode()


def test_deadlines_follow_the_rules(world):
    received = timezone.now() - datetime.timedelta(days=10)
    generic = generic_referral(world, received_at=received)
    hub = new_referral(world, received_at=received)
    review = case_review(world, applied_on=timezone.localdate() - datetime.timedelta(days=30))
    panel_referral(world)
    items = {item.kind: item for item in policy.inbox_page(world.owner).items}
    two_days = add_working_days(timezone.localdate(received), 2)
    assert items["referral"].due_on == two_days and items["referral"].reference == generic.reference
    assert items["hub"].due_on == hub.first_contact_due_on == two_days
    assert items["case_review"].due_on is not None and items["case_review"].due_on < timezone.localdate()
    assert items["case_review"].reference == review.reference
    assert policy.inbox_overdue_counts(world.owner) == {"referral": 1, "hub": 1, "case_review": 1}
    # Received today: not yet overdue.
    generic_referral(world)
    assert policy.inbox_overdue_counts(world.owner, ["referral"]) == {"referral": 1}
    assert {item.kind: item.due_on for item in policy.inbox_page(world.coordinator).items} == {"panel": None}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", {"referral": 1, "hub": 2, "case_review": 1}),
        ("colleague", {"referral": 0, "hub": 0, "case_review": 0}),
        ("other_agency", {"referral": 0, "hub": 0, "case_review": 0}),
        ("shared", {"referral": 0, "hub": 0, "case_review": 0}),
        ("restricted_outsider", {"referral": 1, "hub": 1, "case_review": 1}),
        ("analyst", {"provider_return": 0}),
        ("anonymous", {}),
    ],
)
def test_the_inbox_holds_only_what_the_user_may_see(world, who, expected):
    assert who in VIEWERS
    generic_referral(world)
    new_referral(world)
    restricted = accepted_referral(world, shared=True)
    case = restricted.referral.case
    case.restricted = True
    case.save(update_fields=["restricted"])
    from saferhub.cases.models import RestrictedAccess

    RestrictedAccess.objects.create(case=case, user=world.owner)
    case_review(world)
    client = client_for(world, who)
    response = client.get(reverse("core:inbox"))
    if who == "anonymous":
        assert response.status_code == 302
        return
    assert {q["kind"]: q["count"] for q in response.context["queues"]} == expected
    for item in response.context["page"].items:
        assert client.get(item.url).status_code in (200, 302)


def test_the_inbox_pages_by_keyset_and_is_bounded(world, django_assert_max_num_queries):
    now = timezone.now()
    for n in range(20):
        generic_referral(world, received_at=now - datetime.timedelta(hours=n))
    for n in range(12):
        new_referral(world, received_at=now - datetime.timedelta(hours=n, minutes=30))
    case_review(world)
    client = client_for(world, "owner")
    client.get(reverse("core:inbox"))
    # Sign-in and navigation (6), one count and one page read per kind (6), their settings and the hub's columns.
    with django_assert_max_num_queries(18):
        first = client.get(reverse("core:inbox")).context["page"]
    assert len(first.items) == 25 and first.has_next
    second = client.get(reverse("core:inbox"), {"after": first.next_cursor}).context["page"]
    assert len(second.items) == 8 and not second.has_next
    seen = [(i.kind, i.pk) for i in first.items + second.items]
    assert len(set(seen)) == 33
    received = [i.received_at for i in first.items + second.items]
    assert received == sorted(received)
    assert not first.has_previous and second.has_previous
    # "Previous" from the second page gives the first page back, item for item, with a next page.
    back = client.get(reverse("core:inbox"), {"before": second.previous_cursor})
    assert [(i.kind, i.pk) for i in back.context["page"].items] == [(i.kind, i.pk) for i in first.items]
    assert back.context["page"].has_next and not back.context["page"].has_previous
    assert 'rel="prev"' in client.get(reverse("core:inbox"), {"after": first.next_cursor}).content.decode()
    # Filtered to one kind, and a cursor that does not parse shows the first page.
    hub_only = client.get(reverse("core:inbox"), {"kind": "hub", "after": "nonsense"}).context["page"]
    assert {i.kind for i in hub_only.items} == {"hub"} and len(hub_only.items) == 12


def test_home_and_inbox_page_for_someone_with_no_inbox(world):
    board = UserFactory(team=None, agency=world.council, partnership=world.partnership, roles=[Role.BOARD_MEMBER])
    client = client_for(world, "anonymous")
    client.force_login(board)
    page = client.get(reverse("core:inbox")).content.decode()
    assert "Nothing comes to your inbox" in page
    home = client.get("/").content.decode()
    assert "Awaiting a decision" not in home
