"""The register of RJ Champions, Restorative Practice Leads and volunteers: Restorative Justice Council
membership (recorded, shown, filtered, counted, edited under the version check) and retention (erasure
on a member's request and by the retention schedule, each with its audit row; found by subject access)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.retention import actions as retention
from saferhub.retention.plan import ERASED
from saferhub.rj import actions
from saferhub.rj.models import CouncilMembership, Member, TrainingRecord
from saferhub.rj.tests.world import WHO, build_world, client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    world = build_world()
    world.member = actions.add_member(
        world.owner,
        world.partnership,
        kind="champion",
        name="Chris Champion",
        organisation="Northside Academy Trust",
        school="Northside Primary",
        training_level="practitioner",
        dbs_checked_on=datetime.date(2025, 3, 1),
        availability="Weekday evenings",
        rj_council=CouncilMembership.REGISTERED_PRACTITIONER,
        rj_council_confirmed_on=datetime.date(2026, 2, 3),
    )
    world.volunteer = actions.add_member(
        world.owner, world.partnership, kind="volunteer", name="Val Volunteer", training_level="awareness"
    )
    return world


def edit_data(member, **changes):
    data = {
        "kind": member.kind,
        "name": member.name,
        "organisation": member.organisation,
        "school": member.school,
        "training_level": member.training_level,
        "availability": member.availability,
        "active": "on" if member.active else "",
        "rj_council": member.rj_council,
        "version": member.version,
    }
    for name in ("dbs_checked_on", "rj_council_confirmed_on"):
        value = getattr(member, name)
        data[name] = value.isoformat() if value else ""
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def status(world, who, url):
    response = client_for(world, who).get(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response.url
        return "sign-in"
    return response.status_code


# Restorative Justice Council membership -----------------------------------------------------------


def test_membership_is_shown_on_the_register_and_the_members_page(world):
    page = client_for(world, "owner").get("/rj/register/").content.decode()
    assert "Registered practitioner, confirmed 3 February 2026" in page
    assert "Not a member" in page
    member_page = client_for(world, "owner").get(f"/rj/register/{world.member.pk}/").content.decode()
    assert "Registered practitioner" in member_page and "3 February 2026" in member_page
    assert "registered_practitioner" not in member_page.replace('value="registered_practitioner"', "")


def test_the_register_counts_active_members_by_membership_every_type_named(world):
    actions.add_member(
        world.owner,
        world.partnership,
        kind="practice_lead",
        name="Pat Lead",
        training_level="facilitator",
        rj_council=CouncilMembership.REGISTERED_PRACTITIONER,
        rj_council_confirmed_on=datetime.date(2026, 1, 5),
    )
    actions.add_member(  # not active: not counted
        world.owner,
        world.partnership,
        kind="volunteer",
        name="Former Volunteer",
        training_level="awareness",
        rj_council=CouncilMembership.INDIVIDUAL,
        rj_council_confirmed_on=datetime.date(2025, 1, 5),
        active=False,
    )
    response = client_for(world, "owner").get("/rj/register/")
    assert [(label, count) for label, count, _ in response.context["counts"]] == [
        ("Not a member", 1),
        ("Individual member", 0),
        ("Registered practitioner", 2),
        ("Accredited organisation (Restorative Service Quality Mark)", 0),
    ]


def test_the_register_is_filtered_by_membership(world):
    client = client_for(world, "owner")
    page = client.get("/rj/register/", {"council": "registered_practitioner"}).content.decode()
    assert "Chris Champion" in page and "Val Volunteer" not in page
    assert "Showing members whose membership is: Registered practitioner." in page
    page = client.get("/rj/register/", {"council": "quality_mark"}).content.decode()
    assert "No one on the register has this membership." in page and "Chris Champion" not in page


def test_a_bad_filter_names_its_field_and_filters_nothing(world):
    response = client_for(world, "owner").get("/rj/register/", {"council": "platinum"})
    assert response.status_code == 200
    assert "council" in response.context["filters"].errors
    page = response.content.decode()
    assert "Choose a Restorative Justice Council membership from the list" in page
    assert "Chris Champion" in page and "Val Volunteer" in page


def test_membership_is_edited_through_the_edit_form(world):
    member = world.volunteer
    response = client_for(world, "owner").post(
        f"/rj/register/{member.pk}/edit/",
        edit_data(
            member,
            rj_council="quality_mark",
            rj_council_confirmed_on="2025-12-04",
        ),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.rj_council == CouncilMembership.QUALITY_MARK
    assert member.rj_council_confirmed_on == datetime.date(2025, 12, 4)
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(member.pk)).latest("pk")
    assert "rj_council" in event.detail["fields"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rj_council": "gold"}, "rj_council", "Choose the Restorative Justice Council membership from the list"),
        (
            {"rj_council": "individual"},
            "rj_council_confirmed_on",
            "Enter the date the Restorative Justice Council membership was confirmed",
        ),
        (
            {
                "rj_council": "individual",
                "rj_council_confirmed_on": f"{TODAY.year + 1}-01-01",
            },
            "rj_council_confirmed_on",
            "must be today or in the past",
        ),
    ],
)
def test_bad_membership_input_names_its_field_and_writes_nothing(world, changes, field, message):
    member = world.volunteer
    before = Member.objects.filter(pk=member.pk).values().get()
    response = client_for(world, "owner").post(f"/rj/register/{member.pk}/edit/", edit_data(member, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Member.objects.filter(pk=member.pk).values().get() == before


def test_a_stale_membership_edit_is_refused_not_lost(world):
    member = world.volunteer
    old = edit_data(member)
    first = client_for(world, "owner").post(
        f"/rj/register/{member.pk}/edit/",
        edit_data(
            member,
            rj_council="individual",
            rj_council_confirmed_on="2026-02-02",
        ),
    )
    assert first.status_code == 302
    second = client_for(world, "manager").post(
        f"/rj/register/{member.pk}/edit/",
        {
            **old,
            "rj_council": "quality_mark",
            "rj_council_confirmed_on": "2026-03-03",
        },
    )
    assert second.status_code == 409
    member.refresh_from_db()
    assert member.rj_council == CouncilMembership.INDIVIDUAL


def test_the_register_page_reads_a_bounded_number_of_rows(world, django_assert_max_num_queries):
    for number in range(12):
        actions.add_member(
            world.owner,
            world.partnership,
            kind="volunteer",
            name=f"Volunteer {number}",
            training_level="awareness",
            rj_council=CouncilMembership.INDIVIDUAL,
            rj_council_confirmed_on=datetime.date(2026, 1, 1),
        )
    client = client_for(world, "owner")
    with django_assert_max_num_queries(20):
        assert client.get("/rj/register/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/rj/register/", {"council": "individual"}).status_code == 200


# Retention ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), [(who, "sign-in" if who == "anonymous" else 403) for who in WHO])
def test_the_erasure_page_is_the_administrators(world, who, expected):
    assert status(world, who, f"/rj/register/{world.member.pk}/erase/") == expected


def test_the_administrator_sees_the_register_and_the_erasure_page(world):
    for url in ("/rj/register/", f"/rj/register/{world.member.pk}/", f"/rj/register/{world.member.pk}/erase/"):
        assert status(world, "admin", url) == 200
    assert "Erase this member" in client_for(world, "admin").get(f"/rj/register/{world.member.pk}/").content.decode()
    assert (
        "Erase this member" not in client_for(world, "owner").get(f"/rj/register/{world.member.pk}/").content.decode()
    )


def test_an_erasure_request_clears_the_details_and_keeps_the_figures_with_its_audit_row(world):
    member = world.member
    response = client_for(world, "admin").post(
        f"/rj/register/{member.pk}/erase/", {"reason": "Erasure request received 1 November 2026"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.organisation, member.school, member.availability) == (ERASED, "", "", "")
    assert member.dbs_checked_on is None and member.erased_at is not None
    assert member.active is False and member.left_on == TODAY
    # What the figures count stays.
    assert (member.kind, member.training_level, member.rj_council) == (
        "champion",
        "practitioner",
        "registered_practitioner",
    )
    event = AuditEvent.objects.get(action=AuditAction.ERASE, object_id=str(member.pk))
    assert event.user == world.admin
    assert event.reason == "Erasure request received 1 November 2026"
    assert event.detail["basis"] == "erasure request"
    assert event.detail["fields_cleared"] == ["availability", "dbs_checked_on", "name", "organisation", "school"]
    assert "Chris" not in str(event.detail) and "Chris" not in event.object_repr
    page = client_for(world, "admin").get(f"/rj/register/{member.pk}/").content.decode()
    assert "were erased on" in page and "Chris Champion" not in page


def test_an_erasure_without_a_reason_names_the_field_and_writes_nothing(world):
    response = client_for(world, "admin").post(f"/rj/register/{world.member.pk}/erase/", {"reason": "asked"})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    world.member.refresh_from_db()
    assert world.member.name == "Chris Champion" and world.member.erased_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.ERASE).exists()


def test_an_erased_member_is_erased_once_and_no_longer_edited(world):
    retention.erase_register_member(world.admin, world.member, reason="Erasure request by e-mail", on_request=True)
    response = client_for(world, "admin").post(
        f"/rj/register/{world.member.pk}/erase/", {"reason": "Erasure request by e-mail"}
    )
    assert "already been erased" in " ".join(response.context["form"].errors["reason"])
    member = Member.objects.get(pk=world.member.pk)
    response = client_for(world, "owner").post(f"/rj/register/{member.pk}/edit/", edit_data(member, name="Back Again"))
    assert response.status_code == 200
    assert Member.objects.get(pk=member.pk).name == ERASED
    assert AuditEvent.objects.filter(action=AuditAction.ERASE).count() == 1


def test_leaving_the_register_starts_the_retention_period(world):
    member = actions.update_member(
        world.owner, world.member, expected_version=world.member.version, changes={"active": False}
    )
    assert member.left_on == TODAY
    member = actions.update_member(world.owner, member, expected_version=member.version, changes={"active": True})
    assert member.left_on is None


def test_the_retention_schedule_erases_members_who_left_before_the_period(world):
    years_ago = datetime.date(TODAY.year - 7, 6, 30)  # left 7 years ago: past the end of that year plus 6
    inside = datetime.date(TODAY.year - 6, 1, 1)  # kept until 31 December this year
    gone = actions.add_member(
        world.owner, world.partnership, kind="volunteer", name="Gone Long", training_level="awareness", active=False
    )
    kept = actions.add_member(
        world.owner, world.partnership, kind="volunteer", name="Left Lately", training_level="awareness", active=False
    )
    Member.objects.filter(pk=gone.pk).update(left_on=years_ago)
    Member.objects.filter(pk=kept.pk).update(left_on=inside)
    call_command("erase_register_members", "--dry-run", stdout=(out := __import__("io").StringIO()))
    assert "1 register member(s) due" in out.getvalue()
    assert Member.objects.get(pk=gone.pk).name == "Gone Long"

    call_command("erase_register_members", stdout=(out := __import__("io").StringIO()))
    assert "Erased the details of 1 register member(s)" in out.getvalue()
    assert Member.objects.get(pk=gone.pk).name == ERASED
    assert Member.objects.get(pk=kept.pk).name == "Left Lately"
    assert Member.objects.get(pk=world.member.pk).name == "Chris Champion"  # still on the register
    event = AuditEvent.objects.get(action=AuditAction.ERASE, object_id=str(gone.pk))
    assert event.user is None and event.partnership_id == world.partnership.pk
    assert event.detail["basis"] == "retention schedule" and event.detail["retention_years"] == 6
    assert f"left the register on {years_ago:%-d %B %Y}" in event.reason
    # Run again: nothing more is due.
    call_command("erase_register_members", stdout=(out := __import__("io").StringIO()))
    assert "Erased the details of 0 register member(s)" in out.getvalue()


def test_the_schedule_refuses_a_member_not_yet_due(world):
    with pytest.raises(retention.ErasureRefused, match="not past the retention period"):
        retention.erase_register_member(
            world.admin, world.member, reason="Quarterly retention review", on_request=False
        )
    assert not AuditEvent.objects.filter(action=AuditAction.ERASE).exists()


def test_training_attended_stays_with_the_erased_member(world):
    from saferhub.governance.models import Activity

    fields = {f.name for f in Activity._meta.concrete_fields}
    assert "held_on" in fields
    count = TrainingRecord.objects.filter(member=world.member).count()
    retention.erase_register_member(world.admin, world.member, reason="Erasure request by letter", on_request=True)
    assert TrainingRecord.objects.filter(member=world.member).count() == count


def test_subject_access_search_lists_register_members(world):
    page = client_for(world, "admin").get("/retention/subject-access/", {"q": "chris champion"}).content.decode()
    assert "On the register of RJ Champions" in page and "Chris Champion" in page
    assert f"/rj/register/{world.member.pk}/" in page
    retention.erase_register_member(world.admin, world.member, reason="Erasure request by letter", on_request=True)
    page = client_for(world, "admin").get("/retention/subject-access/", {"q": "chris"}).content.decode()
    assert "On the register of RJ Champions" not in page
