"""Governance pages: who may open them, what they change, version checks, audit, queries."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.governance.models import Activity, Commitment, CommitmentStatus, CommitmentUpdate
from saferhub.governance.tests.factories import ActionPlanFactory, ActivityFactory, CommitmentFactory
from saferhub.places.tests.factories import WardFactory


@pytest.fixture
def world(db):
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Northbrook Council")
    team = TeamFactory(agency=council)
    other = PartnershipFactory(name="Southmere Safer Communities Partnership")
    plan = ActionPlanFactory(partnership=partnership, name="Invented Strategy action plan")
    return SimpleNamespace(
        partnership=partnership,
        council=council,
        plan=plan,
        commitment=CommitmentFactory(plan=plan, status=CommitmentStatus.IN_PROGRESS),
        activity=ActivityFactory(partnership=partnership, title="RJ for officers"),
        ward=WardFactory(partnership=partnership, name="Mill & Meadow"),
        users={
            "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
            "analyst": UserFactory(team=team, roles=[Role.ANALYST]),
            "team_manager": UserFactory(team=team, roles=[Role.TEAM_MANAGER]),
            "board_member": UserFactory(team=team, roles=[Role.BOARD_MEMBER]),
            "caseworker": UserFactory(team=team, roles=[Role.CASEWORKER]),
            "auditor": UserFactory(team=team, roles=[Role.AUDITOR]),
            "other_analyst": UserFactory(
                team=TeamFactory(agency=AgencyFactory(partnership=other)), roles=[Role.ANALYST]
            ),
            "anonymous": None,
        },
    )


def sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


NOBODY = {"caseworker": 403, "auditor": 403, "anonymous": 302}
READ = {"admin": 200, "analyst": 200, "team_manager": 200, "board_member": 200, "other_analyst": 200, **NOBODY}
MANAGE = {**READ, "team_manager": 403, "board_member": 403}
READ_LIST = ["governance:plans", "governance:activities"]
MANAGE_LIST = ["governance:activity-add"]
READ_OBJECT = [("governance:plan", "plan")]
MANAGE_OBJECT = [
    ("governance:commitment-add", "plan"),
    ("governance:commitment-status", "commitment"),
    ("governance:activity-edit", "activity"),
]


@pytest.mark.parametrize("who", READ)
@pytest.mark.parametrize("name", READ_LIST + MANAGE_LIST)
def test_list_pages(client, world, who, name):
    sign_in(client, world, who)
    assert client.get(reverse(name)).status_code == (READ if name in READ_LIST else MANAGE)[who]


@pytest.mark.parametrize("who", READ)
@pytest.mark.parametrize(("name", "obj"), READ_OBJECT + MANAGE_OBJECT)
def test_object_pages_are_404_to_other_partnerships(client, world, who, name, obj):
    sign_in(client, world, who)
    expected = {**(READ if (name, obj) in READ_OBJECT else MANAGE), "other_analyst": 404}[who]
    assert client.get(reverse(name, args=[getattr(world, obj).pk])).status_code == expected


@pytest.mark.parametrize("who", ["team_manager", "board_member", "caseworker"])
def test_readers_cannot_post_changes(client, world, who):
    sign_in(client, world, who)
    url = reverse("governance:commitment-status", args=[world.commitment.pk])
    response = client.post(url, {"status": "completed", "updated_on": "2024-05-01", "version": 1})
    assert response.status_code == 403
    assert CommitmentUpdate.objects.filter(commitment=world.commitment).count() == 1


@pytest.mark.parametrize("who", ["admin", "analyst", "team_manager", "board_member"])
def test_navigation_link_for_governance_roles(client, world, who):
    sign_in(client, world, who)
    assert reverse("governance:plans") in client.get(reverse("governance:activities")).content.decode()


def test_navigation_link_hidden_from_caseworkers(client, world):
    sign_in(client, world, "caseworker")
    assert reverse("governance:plans") not in client.get(reverse("core:home")).content.decode()


def test_plan_page_shows_latest_status_and_rag_chart_beside_table(client, world):
    CommitmentFactory(plan=world.plan, priority="Reducing reoffending", status=CommitmentStatus.OFF_TRACK)
    sign_in(client, world, "board_member")
    page = client.get(reverse("governance:plan", args=[world.plan.pk])).content.decode()
    assert page.count("<h1") == 1
    assert "In progress since 1 April 2024" in page
    assert "<svg" in page
    assert "Reducing reoffending: red 1, amber 0, green 0, not rated 0" in page
    assert "Protecting victims: red 0, amber 1, green 0, not rated 0" in page
    assert "Update status" not in page  # readers see no change links


def test_update_status_adds_history_and_is_audited(client, world):
    user = sign_in(client, world, "analyst")
    url = reverse("governance:commitment-status", args=[world.commitment.pk])
    response = client.post(
        url, {"status": "completed", "rag": "", "updated_on": "2024-06-30", "note": "Delivered", "version": 1}
    )
    assert response.status_code == 302
    history = list(world.commitment.updates.order_by("updated_on").values_list("updated_on", "status", "rag", "text"))
    assert history == [
        (datetime.date(2024, 4, 1), "in_progress", "amber", ""),
        (datetime.date(2024, 6, 30), "completed", "green", "Delivered"),
    ]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, user=user)
    assert event.detail["status"] == "completed"
    world.commitment.refresh_from_db()
    assert world.commitment.version == 2


def test_stale_status_update_is_refused_with_409(client, world):
    sign_in(client, world, "analyst")
    url = reverse("governance:commitment-status", args=[world.commitment.pk])
    first = {"status": "at_risk", "rag": "", "updated_on": "2024-06-30", "note": "", "version": 1}
    assert client.post(url, first).status_code == 302
    stale = {**first, "status": "completed", "updated_on": "2024-07-01"}
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "changed by" in response.content.decode()
    assert not CommitmentUpdate.objects.filter(status="completed").exists()


def test_status_form_errors_name_the_field(client, world):
    sign_in(client, world, "admin")
    url = reverse("governance:commitment-status", args=[world.commitment.pk])
    response = client.post(url, {"status": "", "updated_on": "2999-01-01", "version": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select the commitment&#x27;s status" in page
    assert "govuk-error-summary" in page


def test_add_commitment(client, world):
    user = sign_in(client, world, "admin")
    url = reverse("governance:commitment-add", args=[world.plan.pk])
    data = {
        "text": "Publish a training offer",
        "priority": "Protecting victims",
        "owner": world.council.pk,
        "phase": "Year 1",
        "due_on": "2025-03-31",
        "status": "not_started",
        "rag": "",
        "updated_on": "2024-05-01",
        "note": "",
    }
    assert client.post(url, data).status_code == 302
    commitment = Commitment.objects.get(text="Publish a training offer")
    assert (commitment.owner, commitment.plan, commitment.external_ref) == (world.council, world.plan, "")
    assert commitment.updates.get().rag == ""
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, user=user).exists()


ACTIVITY = {
    "title": "Healthy relationships workshop",
    "held_on": "2024-05-20",
    "kind": "training",
    "programme": "vawg",
    "audience": "school",
    "organisation": "Larchfield Academy",
    "participants": "28",
    "feedback_responses": "20",
    "feedback_positive": "18",
}


def test_record_and_edit_activity(client, world):
    sign_in(client, world, "analyst")
    assert client.post(reverse("governance:activity-add"), {**ACTIVITY, "ward": world.ward.pk}).status_code == 302
    activity = Activity.objects.get(title=ACTIVITY["title"])
    assert (activity.ward, activity.participants, activity.feedback_positive) == (world.ward, 28, 18)
    url = reverse("governance:activity-edit", args=[activity.pk])
    assert client.post(url, {**ACTIVITY, "participants": "30", "ward": "", "version": 1}).status_code == 302
    activity.refresh_from_db()
    assert (activity.participants, activity.ward, activity.version) == (30, None, 2)
    # A second save from the form opened before that one is refused.
    response = client.post(url, {**ACTIVITY, "participants": "31", "version": 1})
    assert response.status_code == 409
    activity.refresh_from_db()
    assert activity.participants == 30


def test_activity_positive_above_responses_is_an_error_on_that_field(client, world):
    sign_in(client, world, "analyst")
    response = client.post(reverse("governance:activity-add"), {**ACTIVITY, "feedback_positive": "21"})
    assert response.status_code == 200
    assert "Positive responses cannot be more than the 20 responses" in response.content.decode()
    assert not Activity.objects.filter(title=ACTIVITY["title"]).exists()


def test_activity_list_filters(client, world):
    ActivityFactory(
        partnership=world.partnership,
        title="Evening patrol",
        kind="ward_walk",
        programme="",
        held_on=datetime.date(2024, 8, 1),
    )
    sign_in(client, world, "team_manager")
    url = reverse("governance:activities")
    assert "Evening patrol" in client.get(url).content.decode()
    page = client.get(url, {"quarter": "2024/25 Q1"}).content.decode()
    assert "RJ for officers" in page and "Evening patrol" not in page
    page = client.get(url, {"kind": "ward_walk"}).content.decode()
    assert "RJ for officers" not in page and "Evening patrol" in page
    page = client.get(url, {"programme": "restorative_justice"}).content.decode()
    assert "RJ for officers" in page and "Evening patrol" not in page
    assert "Restorative justice</span>" in page  # the programme's label, not its code


def test_page_query_counts_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    for index in range(30):
        CommitmentFactory(plan=world.plan, priority=f"Priority {index % 4}")
        ActivityFactory(partnership=world.partnership, ward=world.ward)
    sign_in(client, world, "analyst")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("governance:plan", args=[world.plan.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("governance:activities")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("governance:plans")).status_code == 200


def test_status_on_the_same_day_replaces_that_entry(client, world):
    sign_in(client, world, "admin")
    url = reverse("governance:commitment-status", args=[world.commitment.pk])
    data = {"status": "off_track", "rag": "amber", "updated_on": "2024-04-01", "note": "Corrected", "version": 1}
    assert client.post(url, data).status_code == 302
    assert list(world.commitment.updates.values_list("updated_on", "status", "rag", "text")) == [
        (datetime.date(2024, 4, 1), "off_track", "amber", "Corrected")
    ]
