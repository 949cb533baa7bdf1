"""An activity's page and the issues raised on it (a ward walk's), each turned into an action of an action
plan: who may see and change what, the journey from a ward walk to the plan's page, audit, version checks,
and the `activities` return unchanged by issues (INTERCHANGE.md)."""

import datetime
import json
from types import SimpleNamespace

import factory
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.governance.models import (
    ActionPlan,
    Activity,
    ActivityIssue,
    ActivityKind,
    Commitment,
)
from saferhub.governance.tests.factories import ActionPlanFactory, ActivityFactory, CommitmentFactory
from saferhub.places.tests.factories import WardFactory
from saferhub.reporting.registry import get_report
from saferhub.reporting.service import run_report


class ActivityIssueFactory(factory.django.DjangoModelFactory[ActivityIssue]):
    class Meta:
        model = ActivityIssue

    activity = factory.SubFactory(ActivityFactory, kind=ActivityKind.WARD_WALK)
    partnership = factory.SelfAttribute("activity.partnership")
    text = factory.Sequence(lambda n: f"Invented issue {n}")
    raised_by = "Invented Residents' Association"


@pytest.fixture
def world(db):
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Northbrook Council")
    team = TeamFactory(agency=council)
    other = PartnershipFactory(name="Southmere Safer Communities Partnership")
    plan = ActionPlanFactory(partnership=partnership, name="Invented Safer Streets action plan")
    walk = ActivityFactory(
        partnership=partnership, kind=ActivityKind.WARD_WALK, programme="", title="Mill & Meadow ward walk"
    )
    users = {
        "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
        "analyst": UserFactory(team=team, roles=[Role.ANALYST], full_name="Invented Analyst"),
        "team_manager": UserFactory(team=team, roles=[Role.TEAM_MANAGER], full_name="Invented Officer"),
        "board_member": UserFactory(team=team, roles=[Role.BOARD_MEMBER]),
        "caseworker": UserFactory(team=team, roles=[Role.CASEWORKER]),
        "auditor": UserFactory(team=team, roles=[Role.AUDITOR]),
        "other_analyst": UserFactory(team=TeamFactory(agency=AgencyFactory(partnership=other)), roles=[Role.ANALYST]),
        "anonymous": None,
    }
    return SimpleNamespace(
        partnership=partnership,
        other=other,
        council=council,
        plan=plan,
        walk=walk,
        issue=ActivityIssueFactory(activity=walk, text="Graffiti on the underpass"),
        ward=WardFactory(partnership=partnership, name="Mill & Meadow"),
        users=users,
    )


def sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


def action_data(world, **changes):
    data = {
        "plan": world.plan.pk,
        "new_plan": "",
        "text": "Clean the underpass and ask for CCTV",
        "priority": "Safer streets",
        "owner": world.council.pk,
        "owner_user": world.users["team_manager"].pk,
        "due_on": "2027-01-31",
        "status": "in_progress",
        "version": 1,
    }
    return {**data, **changes}


# Who may do what --------------------------------------------------------------------------------------

NOBODY = {"caseworker": 403, "auditor": 403, "anonymous": 302}
READ = {"admin": 200, "analyst": 200, "team_manager": 200, "board_member": 200, "other_analyst": 404, **NOBODY}
MANAGE = {**READ, "team_manager": 403, "board_member": 403}
PAGES = [
    ("governance:activity", "walk", READ),
    ("governance:issue-add", "walk", MANAGE),
    ("governance:issue-edit", "issue", MANAGE),
    ("governance:issue-action", "issue", MANAGE),
]


@pytest.mark.parametrize("who", READ)
@pytest.mark.parametrize(("name", "obj", "expected"), PAGES)
def test_permission_matrix(client, world, who, name, obj, expected):
    sign_in(client, world, who)
    assert client.get(reverse(name, args=[getattr(world, obj).pk])).status_code == expected[who]


@pytest.mark.parametrize("who", ["team_manager", "board_member", "caseworker", "auditor", "other_analyst"])
def test_only_managers_of_the_partnership_change_issues(client, world, who):
    sign_in(client, world, who)
    issue_url = reverse("governance:issue-add", args=[world.walk.pk])
    assert client.post(issue_url, {"text": "Broken lights", "raised_by": "Ward panel"}).status_code in (403, 404)
    edit_url = reverse("governance:issue-edit", args=[world.issue.pk])
    assert client.post(edit_url, {"text": "Changed", "raised_by": "Ward panel", "version": 1}).status_code in (
        403,
        404,
    )
    action_url = reverse("governance:issue-action", args=[world.issue.pk])
    assert client.post(action_url, action_data(world)).status_code in (403, 404)
    world.issue.refresh_from_db()
    assert (world.issue.text, world.issue.commitment, world.issue.version) == ("Graffiti on the underpass", None, 1)
    assert list(ActivityIssue.objects.values_list("text", flat=True)) == ["Graffiti on the underpass"]
    assert not Commitment.objects.exists()


def test_readers_see_the_issues_but_no_change_links(client, world):
    sign_in(client, world, "board_member")
    page = client.get(reverse("governance:activity", args=[world.walk.pk])).content.decode()
    assert "Graffiti on the underpass" in page and "Invented Residents&#x27; Association" in page
    assert "No action yet" in page
    assert reverse("governance:issue-action", args=[world.issue.pk]) not in page
    assert reverse("governance:issue-add", args=[world.walk.pk]) not in page


def test_another_partnerships_issues_are_not_listed(client, world):
    theirs = ActivityIssueFactory(
        activity=ActivityFactory(partnership=world.other, kind=ActivityKind.WARD_WALK), text="Their invented issue"
    )
    sign_in(client, world, "other_analyst")
    assert client.get(reverse("governance:activity", args=[theirs.activity_id])).status_code == 200
    assert client.get(reverse("governance:issue-edit", args=[world.issue.pk])).status_code == 404
    sign_in(client, world, "analyst")
    assert client.get(reverse("governance:issue-edit", args=[theirs.pk])).status_code == 404


# The journey ------------------------------------------------------------------------------------------


def test_ward_walk_issues_turned_into_an_action_on_the_plan(client, world):
    user = sign_in(client, world, "analyst")
    walk = {
        "title": "Station ward walk",
        "held_on": "2026-10-14",
        "kind": "ward_walk",
        "programme": "",
        "audience": "residents",
        "organisation": "",
        "ward": world.ward.pk,
        "participants": "14",
    }
    assert client.post(reverse("governance:activity-add"), walk).status_code == 302
    activity = Activity.objects.get(title="Station ward walk")
    listing = client.get(reverse("governance:activities")).content.decode()
    assert reverse("governance:activity", args=[activity.pk]) in listing
    page = client.get(reverse("governance:activity", args=[activity.pk])).content.decode()
    assert "Ward walk, 14 October 2026" in page and "No issues have been recorded" in page

    add = reverse("governance:issue-add", args=[activity.pk])
    first = {"text": "Overgrown bushes hide the footpath", "ward": world.ward.pk, "location": "Mill Lane", "raised_by": "Mill Lane Residents' Association"}  # fmt: skip
    second = {"text": "Street lights out by the station", "ward": "", "location": "", "raised_by": "Ward panel"}
    for issue in (first, second):
        assert client.post(add, issue).status_code == 302
    bushes, lights = activity.issues.order_by("pk")
    assert (bushes.ward, bushes.location, bushes.raised_by) == (world.ward, "Mill Lane", first["raised_by"])
    assert (lights.ward, lights.location) == (None, "")

    action_url = reverse("governance:issue-action", args=[bushes.pk])
    form = client.get(action_url)
    assert form.context["form"]["text"].value() == "Overgrown bushes hide the footpath"
    response = client.post(action_url, action_data(world, text="Cut back the bushes on Mill Lane"))
    assert response.status_code == 302

    bushes.refresh_from_db()
    commitment = bushes.commitment
    assert commitment is not None
    assert (commitment.plan, commitment.owner, commitment.owner_user, commitment.due_on) == (
        world.plan,
        world.council,
        world.users["team_manager"],
        datetime.date(2027, 1, 31),
    )
    status = commitment.updates.get()
    assert (status.status, status.rag, status.updated_on) == ("in_progress", "amber", timezone.localdate())
    assert commitment.activity_issue == bushes  # the action links back to its issue
    lights.refresh_from_db()
    assert lights.commitment is None

    page = client.get(reverse("governance:activity", args=[activity.pk])).content.decode()
    plan_link = reverse("governance:plan", args=[world.plan.pk]) + f"#commitment-{commitment.pk}"
    assert plan_link in page and "Cut back the bushes on Mill Lane" in page
    assert reverse("governance:issue-action", args=[lights.pk]) in page  # the other is still to be turned
    assert reverse("governance:issue-action", args=[bushes.pk]) not in page

    # On the plan's page: the action with its owners, due date and status, linking back to the ward walk.
    plan_page = client.get(reverse("governance:plan", args=[world.plan.pk])).content.decode()
    assert "Cut back the bushes on Mill Lane" in plan_page
    assert "Northbrook Council: Invented Officer" in plan_page
    assert "31 January 2027" in plan_page and "In progress since" in plan_page
    assert reverse("governance:activity", args=[activity.pk]) + f"#issue-{bushes.pk}" in plan_page
    assert "Station ward walk</a>, 14 October 2026, by Mill Lane Residents" in plan_page

    # The action counts in the plan's return.
    today = timezone.localdate()
    result = run_report(get_report("action-plan"), world.partnership, today, today, fmt="json", options={}).result
    assert result["plans"][0]["commitments"] == 1 and result["plans"][0]["rag"]["amber"] == 1

    # Audited: the issues recorded, the commitment created and the issue's action.
    issues = AuditEvent.objects.filter(object_type="governance.activityissue", user=user)
    assert sorted(issues.filter(action=AuditAction.CREATE).values_list("object_id", flat=True)) == sorted([str(bushes.pk), str(lights.pk)])  # fmt: skip
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, user=user, object_type="governance.commitment", object_id=str(commitment.pk)
    ).exists()
    turned = issues.get(action=AuditAction.UPDATE, object_id=str(bushes.pk))
    assert turned.detail == {"turned_into_action": commitment.pk, "plan": world.plan.name}

    # A second "Turn into an action" for the same issue adds nothing.
    again = client.post(action_url, action_data(world, version=2), follow=True)
    assert "already been turned into an action" in again.content.decode()
    assert Commitment.objects.count() == 1


def test_an_action_may_start_a_new_plan_and_a_known_name_is_that_plan(client, world):
    sign_in(client, world, "admin")
    url = reverse("governance:issue-action", args=[world.issue.pk])
    data = action_data(world, plan="new", new_plan="Ward walks action plan", owner_user="")
    assert client.post(url, data).status_code == 302
    plan = ActionPlan.objects.get(name="Ward walks action plan")
    world.issue.refresh_from_db()
    assert world.issue.commitment.plan == plan and world.issue.commitment.owner_user is None
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="governance.actionplan", object_id=str(plan.pk)
    ).exists()
    other = ActivityIssueFactory(activity=world.walk)
    data = action_data(world, plan="new", new_plan="WARD WALKS ACTION PLAN", owner="")
    assert client.post(reverse("governance:issue-action", args=[other.pk]), data).status_code == 302
    assert ActionPlan.objects.filter(name__iexact="ward walks action plan").count() == 1
    other.refresh_from_db()
    assert other.commitment.plan == plan


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"plan": ""}, "plan", "Choose the action plan the action joins, or a new plan"),
        ({"plan": "new", "new_plan": " "}, "new_plan", "Enter the name of the new action plan"),
        ({"new_plan": "Another plan"}, "new_plan", "Leave the new plan's name empty, or choose A new action plan"),
        ({"owner": "", "owner_user": ""}, "owner", "Choose the organisation or the person who owns the action"),
        ({"due_on": ""}, "due_on", "Enter the date the action is due"),
        ({"text": ""}, "text", "Enter the action to be taken"),
    ],
)
def test_turning_into_an_action_needs_a_plan_an_owner_and_a_due_date(client, world, changes, field, message):
    sign_in(client, world, "analyst")
    response = client.post(reverse("governance:issue-action", args=[world.issue.pk]), action_data(world, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Commitment.objects.exists()
    world.issue.refresh_from_db()
    assert world.issue.version == 1


def test_an_owner_from_another_partnership_is_refused(client, world):
    sign_in(client, world, "analyst")
    stranger = world.users["other_analyst"]
    response = client.post(
        reverse("governance:issue-action", args=[world.issue.pk]), action_data(world, owner="", owner_user=stranger.pk)
    )
    assert response.status_code == 200 and "owner_user" in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_issue_needs_text_and_who_raised_it(client, world):
    sign_in(client, world, "analyst")
    response = client.post(reverse("governance:issue-add", args=[world.walk.pk]), {"text": "", "raised_by": ""})
    errors = response.context["form"].errors
    assert errors["text"] == ["Enter the issue raised"]
    assert errors["raised_by"] == ["Enter the organisation or group that raised the issue"]
    assert ActivityIssue.objects.count() == 1


# Version checks ---------------------------------------------------------------------------------------


def test_a_stale_issue_edit_is_refused_with_409(client, world):
    sign_in(client, world, "analyst")
    url = reverse("governance:issue-edit", args=[world.issue.pk])
    data = {"text": "Graffiti on the underpass walls", "ward": world.ward.pk, "location": "", "raised_by": "Ward panel"}
    assert client.post(url, {**data, "version": 1}).status_code == 302
    world.issue.refresh_from_db()
    assert (world.issue.text, world.issue.ward, world.issue.version) == (data["text"], world.ward, 2)
    event = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="governance.activityissue", object_id=str(world.issue.pk)
    )
    assert event.detail == {"changed": ["raised_by", "text", "ward"]}
    response = client.post(url, {**data, "text": "Someone else's wording", "version": 1})
    assert response.status_code == 409
    assert "changed by Invented Analyst" in response.content.decode()
    world.issue.refresh_from_db()
    assert world.issue.text == data["text"]


def test_turning_an_issue_changed_since_the_form_was_opened_is_refused(client, world):
    sign_in(client, world, "analyst")
    edit = reverse("governance:issue-edit", args=[world.issue.pk])
    assert client.post(edit, {"text": "Reworded", "raised_by": "Ward panel", "version": 1}).status_code == 302
    response = client.post(reverse("governance:issue-action", args=[world.issue.pk]), action_data(world, version=1))
    assert response.status_code == 409
    assert not Commitment.objects.exists()
    assert response.context["form"]["text"].value() == "Reworded"


# The activities return ---------------------------------------------------------------------------------

# The return as INTERCHANGE.md ("Import `activities` and return `activities`") shows it.
SPEC_ACTIVITIES = {
    "report": "activities",
    "period": {"from": "2023-04-01", "to": "2023-12-31"},
    "total": {"sessions": 0, "participants": 0},
    "quarters": [{"quarter": "2023/24 Q1", "sessions": 0, "participants": 0}],
    "by_kind": [{"kind": "training", "sessions": 0, "participants": 0}],
    "by_audience": [{"audience": "school", "sessions": 0, "participants": 0}],
    "by_programme": [
        {
            "programme": "restorative_justice",
            "audience": "police",
            "sessions": 0,
            "participants": 0,
            "cumulative_participants": 0,
        }
    ],
    "organisations_reached": 0,
    "feedback": {"responses": 0, "positive": 0, "positive_percent": 100.0},
}


def _shape(value):
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


def test_report_activities_still_matches_the_spec(world, capsys):
    ActivityFactory(partnership=world.partnership, held_on=datetime.date(2024, 5, 2), audience="police")
    args = [
        "report",
        "activities",
        "--from",
        "2024-04-01",
        "--to",
        "2024-06-30",
        "--partnership",
        world.partnership.slug,
    ]
    call_command(*args)
    before = json.loads(capsys.readouterr().out)
    ActivityIssueFactory.create_batch(3, activity=world.walk)
    world.issue.commitment = CommitmentFactory(plan=world.plan)
    world.issue.save()
    call_command(*args)
    after = json.loads(capsys.readouterr().out)
    assert after == before  # issues and their actions are not activities: the figures do not move
    assert list(after) == list(SPEC_ACTIVITIES)
    assert _shape(after) == _shape(SPEC_ACTIVITIES)
    assert after["total"] == {"sessions": 2, "participants": 24}
    assert {row["kind"] for row in after["by_kind"]} == set(ActivityKind.values)
