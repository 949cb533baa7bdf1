"""The audit trail viewer: newest first, filters, paging, its own audit row, and the CSV export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.audit.tests.helpers import make_world
from saferhub.cases.tests.factories import CaseFactory
from saferhub.people.tests.factories import PersonFactory


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def auditor_client(client, world):
    client.force_login(world.users["auditor"])
    return client


def _event(world, at, **fields):
    fields.setdefault("user", world.users["caseworker"])
    fields.setdefault("action", AuditAction.VIEW)
    event = AuditEvent(partnership=world.partnership, at=at, **fields)
    event.save()
    return event


def _shown(response):
    return list(response.context["events"])


def _at(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def trail(world):
    person = PersonFactory(partnership=world.partnership)
    other_case = CaseFactory(owning_team=world.team, reference="VCH-2024-00032")
    return {
        "old_view": _event(world, _at(2024, 1, 10), case_id=world.case.pk, object_repr="VCH-2024-00031"),
        "admin_change": _event(world, _at(2024, 2, 1), user=world.users["admin"], action=AuditAction.UPDATE),
        "person_view": _event(world, _at(2024, 2, 15), person_id=person.pk, object_repr="Person"),
        "break_glass": _event(
            world, _at(2024, 3, 1), action=AuditAction.BREAK_GLASS, case_id=world.case.pk, flagged=True
        ),
        "other_case": _event(world, _at(2024, 3, 2), case_id=other_case.pk),
        "person": person,
    }


def test_newest_first_and_only_this_partnership(auditor_client, world, trail):
    foreign = AuditEvent(partnership=world.users["other_admin"].partnership, at=_at(2024, 3, 9), action="view")
    foreign.save()
    shown = _shown(auditor_client.get(reverse("audit:events")))
    assert foreign not in shown
    assert [e.at for e in shown] == sorted((e.at for e in shown), reverse=True)
    assert shown[0] == trail["other_case"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": AuditAction.UPDATE}, ["admin_change"]),
        ({"flagged": "on"}, ["break_glass"]),
        ({"case_reference": "VCH-2024-00031"}, ["break_glass", "old_view"]),
        ({"case_reference": "vch-2024-00031 "}, ["break_glass", "old_view"]),
        ({"date_from": "2024-02-01", "date_to": "2024-02-15"}, ["person_view", "admin_change"]),
        ({"date_from": "2024-03-01"}, ["other_case", "break_glass"]),
        ({"date_to": "2024-01-10"}, ["old_view"]),
        ({"case_reference": "VCH-2024-00031", "flagged": "on"}, ["break_glass"]),
    ],
)
def test_filters(auditor_client, world, trail, params, expected):
    shown = _shown(auditor_client.get(reverse("audit:events"), params))
    assert shown == [trail[name] for name in expected]


def test_filter_by_user(auditor_client, world, trail):
    shown = _shown(auditor_client.get(reverse("audit:events"), {"user": world.users["admin"].pk}))
    assert shown == [trail["admin_change"]]


def test_filter_by_person(auditor_client, world, trail):
    shown = _shown(auditor_client.get(reverse("audit:events"), {"person_id": trail["person"].pk}))
    assert shown == [trail["person_view"]]


def test_dates_are_whole_days_in_the_partnership_time_zone(auditor_client, world):
    # 23:30 on 30 June in London is 22:30 UTC: it belongs to 30 June, not 1 July.
    late = _event(world, timezone.make_aware(datetime.datetime(2024, 6, 30, 23, 30)))
    assert _shown(
        auditor_client.get(reverse("audit:events"), {"date_from": "2024-06-30", "date_to": "2024-06-30"})
    ) == [late]
    assert (
        _shown(auditor_client.get(reverse("audit:events"), {"date_from": "2024-07-01", "date_to": "2024-07-31"})) == []
    )


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"case_reference": "VCH-1999-99999"}, "case_reference", "There is no case with the reference"),
        ({"date_from": "2024-03-01", "date_to": "2024-02-01"}, "date_to", "must be the same as or after"),
        ({"date_from": "yesterday"}, "date_from", "must be a real date"),
        ({"action": "teleport"}, "action", "Choose an action from the list"),
        ({"user": "999999"}, "user", "Choose a user from the list"),
        ({"person_id": "abc"}, "person_id", "as a whole number"),
    ],
)
def test_bad_filters_show_an_error_and_no_events(auditor_client, trail, params, field, message):
    response = auditor_client.get(reverse("audit:events"), params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert _shown(response) == []


def test_a_case_of_another_partnership_cannot_be_searched_for(auditor_client, world, trail):
    CaseFactory(reference="ELS-2024-00001")
    response = auditor_client.get(reverse("audit:events"), {"case_reference": "ELS-2024-00001"})
    assert "case_reference" in response.context["form"].errors


def test_user_choices_are_this_partnerships_users(auditor_client, world):
    choices = auditor_client.get(reverse("audit:events")).context["form"].fields["user"].queryset
    assert world.users["caseworker"] in choices
    assert world.users["other_admin"] not in choices
    response = auditor_client.get(reverse("audit:events"), {"user": world.users["other_admin"].pk})
    assert "user" in response.context["form"].errors


def test_viewing_is_audited_with_the_filters(auditor_client, world, trail):
    params = {"action": AuditAction.VIEW, "case_reference": "VCH-2024-00031", "date_from": "2024-01-01"}
    auditor_client.get(reverse("audit:events"), params)
    search = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert search.user == world.users["auditor"]
    assert search.partnership == world.partnership
    assert search.detail["audit_trail"] == {
        "action": "view",
        "case_reference": "VCH-2024-00031",
        "case_id": world.case.pk,
        "date_from": "2024-01-01",
    }
    assert search.detail["page"] == 1


def test_a_bad_search_is_audited_too(auditor_client):
    auditor_client.get(reverse("audit:events"), {"case_reference": "NOPE-1"})
    search = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert search.detail["audit_trail"] == {"invalid": {"case_reference": "NOPE-1"}}


def test_pages_of_fifty_keep_the_filters(auditor_client, world):
    start = _at(2024, 1, 1)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            partnership=world.partnership,
            user=world.users["caseworker"],
            action=AuditAction.VIEW,
            at=start + datetime.timedelta(minutes=n),
        )
        for n in range(120)
    )
    first = auditor_client.get(reverse("audit:events"), {"action": "view"})
    assert len(_shown(first)) == 50
    assert "action=view&amp;page=2" in first.content.decode()
    third = auditor_client.get(reverse("audit:events"), {"action": "view", "page": 3})
    assert len(_shown(third)) == 20
    assert _shown(third)[-1].at == start


def test_query_count_does_not_grow_with_the_rows(auditor_client, world, django_assert_max_num_queries):
    users = [UserFactory(team=world.team, roles=[Role.CASEWORKER]) for _ in range(8)]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            partnership=world.partnership,
            user=users[n % len(users)],
            action=AuditAction.VIEW,
            at=_at(2024, 1, 1) + datetime.timedelta(minutes=n),
            case_id=world.case.pk,
        )
        for n in range(200)
    )
    # 13: the navigation asks once whether a user without a board role holds a seat on a board.
    with django_assert_max_num_queries(13):
        response = auditor_client.get(reverse("audit:events"), {"case_reference": "VCH-2024-00031"})
    assert len(_shown(response)) == 50


def test_page_has_one_heading(auditor_client, trail):
    page = auditor_client.get(reverse("audit:events")).content.decode()
    assert page.count("<h1") == 1
    assert "Download these events (CSV)" in page


# Export ---------------------------------------------------------------------


def _csv(response):
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_streams_the_filtered_events_and_is_audited(auditor_client, world, trail):
    response = auditor_client.get(reverse("audit:export"), {"case_reference": "VCH-2024-00031"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:4] == ["When", "User e-mail", "User name", "Action"]
    assert [row[3] for row in rows[1:]] == ["Break-glass access", "Viewed"]
    assert rows[1][10] == "yes"
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.user == world.users["auditor"]
    assert export.detail["audit_trail"]["case_id"] == world.case.pk


def test_export_neutralises_spreadsheet_formulas(auditor_client, world):
    _event(world, _at(2024, 1, 1), object_repr='=HYPERLINK("http://example.invalid")', reason="+1 risky")
    rows = _csv(auditor_client.get(reverse("audit:export")))
    assert rows[1][6].startswith("'=")
    assert rows[1][9] == "'+1 risky"


def test_export_with_bad_filters_goes_back_to_the_viewer(auditor_client):
    response = auditor_client.get(reverse("audit:export"), {"date_from": "soon"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:events"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_export_runs_a_bounded_number_of_queries(auditor_client, world, django_assert_max_num_queries):
    users = [UserFactory(team=world.team, roles=[Role.CASEWORKER]) for _ in range(5)]
    AuditEvent.objects.bulk_create(
        AuditEvent(partnership=world.partnership, user=users[n % 5], action=AuditAction.VIEW, at=_at(2024, 1, 1))
        for n in range(150)
    )
    with django_assert_max_num_queries(10):
        rows = _csv(auditor_client.get(reverse("audit:export")))
    assert len(rows) == 151


def test_a_filter_holding_a_nul_character_is_refused_and_still_audited(auditor_client, world):
    # PostgreSQL stores no NUL in text or JSON: the audit row shows it as U+FFFD instead of failing.
    response = auditor_client.get(reverse("audit:events"), {"case_reference": "VCH\x00", "date_from": "2024-01-01\x00"})
    assert response.status_code == 200
    search = AuditEvent.objects.filter(action=AuditAction.SEARCH, user=world.users["auditor"]).latest("pk")
    assert "\x00" not in str(search.detail)
    assert "\ufffd" in str(search.detail)
