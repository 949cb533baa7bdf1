"""Issue 9 (4, 5): every number a form accepts has a sensible bound, extreme dates and ids get a
message naming the field, and rows saved before the bounds existed break no page."""

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.tests.helpers import make_world as audit_world
from saferhub.core.forms import IdMultipleChoiceField, SensibleDateField, SensibleDateTimeField
from saferhub.panels import actions
from saferhub.panels.forms import PanelReferralForm, PanelTypeForm
from saferhub.panels.models import PanelType
from saferhub.panels.tests.world import build_world, person, refer
from saferhub.reporting.outputs import _normalise_zip, _zip_time

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The value fits SQLite's integers; PostgreSQL's smallint stops at 32767.
HUGE_DAYS = 3_000_000 if connection.vendor == "sqlite" else 32_767


@pytest.fixture
def world():
    return build_world()


def _settings(world, **changes):
    data = {
        "name": world.da.name,
        "cadence": world.da.cadence,
        "coordinating_team": world.marac_team.pk,
        "member_agencies": [world.police.pk],
        "referral_criteria": "",
        "assessment_template_code": "",
        "summary_days_before": 7,
        "summary_days_after": 7,
        "review_interval_days": 28,
        "version": PanelType.objects.get(pk=world.da.pk).version,
    } | changes
    return PanelTypeForm(data, instance=PanelType.objects.get(pk=world.da.pk))


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("summary_days_before", 0, True),
        ("summary_days_before", 60, True),
        ("summary_days_before", 61, False),
        ("summary_days_after", 3_000_000, False),
        ("summary_days_after", 9_000_000_000_000_000_000, False),
        ("review_interval_days", 0, False),
        ("review_interval_days", 365, True),
        ("review_interval_days", 366, False),
    ],
)
def test_panel_settings_are_bounded(world, field, value, valid):
    form = _settings(world, **{field: value})
    assert form.is_valid() is valid
    if not valid:
        assert "Enter the number of days" in form.errors[field][0]


@pytest.mark.parametrize("agency", ["99999999999999999999999", "-1", "1e3", "9223372036854775808"])
def test_huge_id_in_a_multiple_choice_is_a_form_error(world, agency):
    form = _settings(world, member_agencies=[world.police.pk, agency])
    assert not form.is_valid()
    assert "member_agencies" in form.errors


def test_id_field_still_accepts_real_choices(world):
    field = IdMultipleChoiceField(queryset=type(world.police).objects.all())
    assert list(field.clean([str(world.police.pk)])) == [world.police]


@pytest.mark.parametrize(
    ("field", "value"), [("incidents_in_last_12_months", 1000), ("children_in_household", 31), ("dash_score", 25)]
)
def test_referral_numbers_are_bounded(world, field, value):
    form = PanelReferralForm({field: value}, panel_type=world.da, new_person=True)
    form.is_valid()
    assert field in form.errors


def test_oversized_settings_saved_earlier_break_no_page(world):
    """Rows saved before the bounds: every caseworker's panel pages and recording a review still work."""
    PanelType.objects.filter(pk=world.da.pk).update(
        summary_days_before=HUGE_DAYS, summary_days_after=HUGE_DAYS, review_interval_days=HUGE_DAYS
    )
    referral = refer(world, person(world), TODAY - datetime.timedelta(days=5))
    meeting = actions.schedule_meeting(world.coordinator, world.da, date=TODAY + datetime.timedelta(days=2))
    actions.build_agenda(world.coordinator, meeting)
    meeting.refresh_from_db()
    assert meeting.window() == (meeting.date - datetime.timedelta(days=60), meeting.date + datetime.timedelta(days=60))
    for who in ("police", "health", "colleague", "coordinator"):
        client = Client()
        client.force_login(world.users[who])
        assert client.get("/panels/").status_code == 200
        assert client.get("/panels/types/da_marac/refer/?q=Ivy").status_code in (200, 403)
    hearing = meeting.hearings.get()
    actions.record_outcome(world.coordinator, hearing, outcome="review")
    referral.panel_case.refresh_from_db()
    assert referral.panel_case.review_due_on == meeting.date + datetime.timedelta(days=365)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_extreme_audit_filter_dates_are_form_errors(day, field):
    world = audit_world()
    client = Client()
    client.force_login(world.users["auditor"])
    for url in ("/audit/", "/audit/export/"):
        response = client.get(url, {field: day}, follow=True)
        assert response.status_code in (200, 400), url
        text = response.content.decode()
        assert ("From" if field == "date_from" else "To").lower() in text.lower()
        assert "between 1 January 1900 and 31 December 2100" in text


@pytest.mark.parametrize(
    ("date_from", "date_to", "field"),
    [
        ("0001-01-01", "2024-03-31", "first day of the period"),
        ("2024-01-01", "9999-12-31", "last day of the period"),
    ],
)
@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx", "json"])
def test_extreme_report_periods_are_form_errors(world, date_from, date_to, field, fmt):
    analyst = UserFactory.create(team=None, agency=world.council, partnership=world.partnership, roles=[Role.ANALYST])
    client = Client()
    client.force_login(analyst)
    response = client.get("/reports/run/", {"kind": "caseload", "date_from": date_from, "date_to": date_to, "fmt": fmt})
    assert response.status_code in (200, 400)
    assert f"Enter {field} between 1 January 1900 and 31 December 2100" in response.content.decode()


@pytest.mark.parametrize(
    ("when", "stamp"),
    [
        (datetime.datetime(1900, 3, 31), (1980, 1, 1, 0, 0, 0)),  # noqa: DTZ001 - naive, as the formats store it
        (datetime.datetime(2100, 12, 31), (2100, 12, 31, 0, 0, 0)),  # noqa: DTZ001
        (datetime.datetime(2200, 1, 1), (2107, 12, 31, 23, 59, 58)),  # noqa: DTZ001
    ],
)
def test_zip_timestamps_are_clamped_to_what_zip_holds(when, stamp):
    assert _zip_time(when) == stamp
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("a.txt", "x")
    result = zipfile.ZipFile(io.BytesIO(_normalise_zip(source.getvalue(), when)))
    assert result.infolist()[0].date_time == stamp


def test_sensible_date_field_names_itself():
    field = SensibleDateField(label="Date of birth")
    with pytest.raises(Exception, match="Enter date of birth between 1 January 1900 and 31 December 2100"):
        field.clean("1066-10-14")
    assert field.clean("2024-02-29") == datetime.date(2024, 2, 29)


def test_sensible_date_time_field_names_itself():
    field = SensibleDateTimeField(label="Time the closure notice was served")
    with pytest.raises(Exception, match="Enter time the closure notice was served between 1 January 1900"):
        field.clean("9999-12-31 23:59")
    assert field.clean("2024-03-27 14:30").date() == datetime.date(2024, 3, 27)


def test_a_version_of_a_rule_that_never_existed_is_refused_not_500():
    """Found by the form fuzz: a made-up version for a case type without a retention rule."""
    from saferhub.retention.models import RetentionRule
    from saferhub.retention.tests.world import build_world as retention_world

    world = retention_world()
    client = Client()
    client.force_login(world.admin)
    url = f"/retention/periods/{world.old.case_type_id}/"
    response = client.post(url, {"years": "7", "basis": "", "version": "32768"})
    assert response.status_code == 409
    assert "This page is out of date" in response.content.decode()
    assert not RetentionRule.objects.exists()


def test_set_up_panel_type_form_refuses_ids_no_database_holds(world):
    """Found by the form fuzz on the set-up pages: the same SQLite overflow as the panel settings."""
    from saferhub.setup.forms import PanelTypeForm as SetupPanelTypeForm

    form = SetupPanelTypeForm(
        {"name": "DA MARAC", "cadence": world.da.cadence, "member_agencies": [str(2**64)]},
        instance=PanelType.objects.get(pk=world.da.pk),
        partnership_id=world.partnership.pk,
    )
    assert not form.is_valid()
    assert "member_agencies" in form.errors
