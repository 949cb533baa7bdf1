"""The report form: choose the report first, then a form with only that report's options."""

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.reporting import registry
from saferhub.reporting.registry import ReportKind, ReportOption
from saferhub.reporting.tests.test_report_views import user_in

PERIOD = {"date_from": "2023-04-01", "date_to": "2023-12-31", "fmt": "json"}


@pytest.fixture
def with_option_report():
    """A report kind that takes a required `area` option, registered for the test only."""
    seen = {}

    def build(partnership, date_from, date_to, **options):
        seen.update(options)
        return {"report": "test-areas", "area": options["area"]}

    kind = registry.register(
        ReportKind(
            slug="test-areas",
            title="Test areas",
            build=build,
            tables=lambda result: [],
            options=(ReportOption("area", "Area code", required=True, help="the area's code, e.g. north"),),
        )
    )
    yield seen
    registry._REPORTS.pop(kind.slug)


@pytest.fixture
def analyst(client, caseload):
    client.force_login(user_in(caseload, [Role.ANALYST]))
    return client


def test_without_a_kind_the_page_asks_only_which_report(analyst):
    html = analyst.get(reverse("reporting:run")).content.decode()
    assert 'name="kind"' in html and 'type="radio"' in html
    assert 'name="date_from"' not in html and "Panel type" not in html


def test_a_report_without_options_shows_none(analyst):
    html = analyst.get(reverse("reporting:run"), {"kind": "caseload"}).content.decode()
    assert 'name="date_from-day"' in html and 'type="hidden" name="kind" value="caseload"' in html
    # The period's own boxes are optional (a preset may be chosen instead); no report option is shown.
    assert "Panel type" not in html and html.count("(optional)") == html.count('class="govuk-date-input"')


def test_a_report_with_an_option_shows_it_and_only_it(analyst, with_option_report):
    html = analyst.get(reverse("reporting:run"), {"kind": "test-areas"}).content.decode()
    assert '<label class="govuk-label' in html and "Area code" in html
    assert "The area&#x27;s code, e.g. north" in html or "The area's code, e.g. north" in html
    assert "Area code (optional)" not in html and "Panel type" not in html


def test_a_required_option_left_blank_is_named_and_nothing_runs(analyst, with_option_report):
    html = analyst.get(reverse("reporting:run"), {"kind": "test-areas", **PERIOD}).content.decode()
    assert "Enter the area code for the Test areas report" in html
    assert not with_option_report
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_option_reaches_the_report_and_the_audit_trail(analyst, with_option_report):
    response = analyst.get(reverse("reporting:run"), {"kind": "test-areas", "area": "north", **PERIOD})
    assert response.status_code == 200
    assert with_option_report == {"area": "north"}
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail["area"] == "north"


def test_an_option_another_report_takes_is_ignored(analyst):
    response = analyst.get(reverse("reporting:run"), {"kind": "caseload", "panel_type": "da_marac", **PERIOD})
    assert response.status_code == 200
    assert "panel_type" not in AuditEvent.objects.get(action=AuditAction.EXPORT).detail
