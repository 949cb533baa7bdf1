"""Issue 13: a report's options are choices by name, and the period has presets as well as dates."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import TeamFactory, UserFactory
from saferhub.panels.setup import install_panel_types
from saferhub.reporting.forms import ReportForm, period_presets
from saferhub.reporting.registry import get_report

D = datetime.date


@pytest.mark.parametrize(
    ("today", "last_quarter", "year_to_date", "last_year"),
    [
        (D(2026, 11, 30), (D(2026, 7, 1), D(2026, 9, 30)), D(2026, 4, 1), (D(2025, 4, 1), D(2026, 3, 31))),
        (D(2027, 2, 10), (D(2026, 10, 1), D(2026, 12, 31)), D(2026, 4, 1), (D(2025, 4, 1), D(2026, 3, 31))),
        (D(2026, 4, 2), (D(2026, 1, 1), D(2026, 3, 31)), D(2026, 4, 1), (D(2025, 4, 1), D(2026, 3, 31))),
    ],
)
def test_period_presets_follow_the_financial_year(today, last_quarter, year_to_date, last_year):
    presets = period_presets(today)
    assert presets["last_quarter"][1:] == last_quarter
    assert presets["year_to_date"][1:] == (year_to_date, today)
    assert presets["last_year"][1:] == last_year
    assert "Q" in presets["last_quarter"][0] and "-" not in presets["last_quarter"][0].split("(")[1].split(":")[0]


def test_a_preset_fills_in_the_dates_and_other_dates_need_both_days():
    kind = get_report("caseload")
    form = ReportForm({"period": "last_year", "fmt": "html"}, kind=kind)
    assert form.is_valid(), form.errors
    year = timezone.localdate().year if timezone.localdate().month >= 4 else timezone.localdate().year - 1
    assert (form.cleaned_data["date_from"], form.cleaned_data["date_to"]) == (D(year - 1, 4, 1), D(year, 3, 31))
    form = ReportForm({"period": "custom", "fmt": "html"}, kind=kind)
    assert not form.is_valid()
    assert form.errors["date_from"] == ["Enter the first day of the period"]
    assert form.errors["date_to"] == ["Enter the last day of the period"]


@pytest.mark.django_db
def test_the_panel_type_is_chosen_by_name(client):
    analyst = UserFactory(team=TeamFactory(), roles=[Role.ANALYST])
    install_panel_types(analyst.partnership)
    client.force_login(analyst)
    page = client.get(reverse("reporting:run"), {"kind": "marac"}).content.decode()
    assert re.search(r'<select name="panel_type"[^>]*class="govuk-select', page)
    assert '<option value="da_marac">DA MARAC</option>' in page
    assert "last quarter" in page.lower() and "Financial year to date" in page
    response = client.get(
        reverse("reporting:run"), {"kind": "marac", "period": "last_quarter", "panel_type": "da_marac", "fmt": "html"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Referrals to DA MARAC by quarter" in html
    assert ">Code<" not in html and "da_marac" not in html.split("<main")[1]
