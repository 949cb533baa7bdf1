"""The report pages: access, the form, the HTML page and downloads."""

import io

import openpyxl
import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

QUERY = {"kind": "caseload", "date_from": "2023-04-01", "date_to": "2023-12-31", "fmt": "html"}


def user_in(partnership, roles):
    return UserFactory(team=TeamFactory(agency__partnership=partnership), roles=roles)


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ([Role.ANALYST], True),
        ([Role.BOARD_MEMBER], True),
        ([Role.TEAM_MANAGER], True),
        ([Role.PARTNERSHIP_ADMIN], True),
        ([Role.CASEWORKER], False),
        ([Role.PANEL_COORDINATOR], False),
        ([Role.AUDITOR], False),
    ],
)
@pytest.mark.parametrize("url_name", ["reporting:index", "reporting:run"])
def test_only_report_viewers_see_the_pages(client, caseload, roles, allowed, url_name):
    client.force_login(user_in(caseload, roles))
    response = client.get(reverse(url_name), QUERY if url_name == "reporting:run" else {})
    assert response.status_code == (200 if allowed else 403)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists() == (allowed and url_name == "reporting:run")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("reporting:run"), QUERY)
    assert response.status_code == 302


def test_index_lists_reports(client, caseload):
    client.force_login(user_in(caseload, [Role.ANALYST]))
    html = client.get(reverse("reporting:index")).content.decode()
    assert "Caseload" in html
    assert reverse("reporting:run") + "?kind=caseload" in html


def test_empty_form(client, caseload):
    client.force_login(user_in(caseload, [Role.ANALYST]))
    response = client.get(reverse("reporting:run"), {"kind": "caseload"})
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_html_report_shows_the_users_partnership_numbers(client, caseload, django_assert_max_num_queries):
    user = user_in(caseload, [Role.ANALYST])
    client.force_login(user)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("reporting:run"), QUERY)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert html.count('class="saferhub-chart"') == 4
    assert "Victim Care Hub" in html
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.user, event.detail["report"], event.detail["format"]) == (user, "caseload", "html")


def test_publish_suppresses_small_numbers(client, caseload):
    client.force_login(user_in(caseload, [Role.ANALYST]))
    html = client.get(reverse("reporting:run"), QUERY | {"publish": "on"}).content.decode()
    assert "&lt;5" in html


def test_xlsx_download(client, caseload):
    client.force_login(user_in(caseload, [Role.ANALYST]))
    response = client.get(reverse("reporting:run"), QUERY | {"fmt": "xlsx"})
    assert (
        response["Content-Disposition"] == 'attachment; filename="caseload-testborough-2023-04-01-to-2023-12-31.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook["Caseload summary"]["B5"].value == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (QUERY | {"date_to": "2023-01-01"}, "The last day must be the same as or after the first day"),
        (QUERY | {"date_from": "tomorrow"}, "First day of the period must be a real date"),
        (QUERY | {"date_to": ""}, "Enter the last day of the period"),
        (QUERY | {"kind": "widgets"}, "Choose one of the reports listed"),
        (QUERY | {"kind": ""}, "Choose a report"),
    ],
)
def test_form_errors(client, caseload, query, message):
    client.force_login(user_in(caseload, [Role.ANALYST]))
    response = client.get(reverse("reporting:run"), query)
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
