"""The seeds' tables come out of the returns, from imported synthetic data shaped like them."""

import io
import json

import pytest
from django.core.management import call_command

from saferhub.panels.models import PanelReferral
from saferhub.panels.tests import seed_data
from saferhub.panels.tests.world import build_world

pytestmark = pytest.mark.django_db


def _import(tmp_path, kind, text):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", kind, str(path), "--partnership", "testshire", stdout=out, stderr=err)
    return out.getvalue()


def _report(kind, panel_type, date_from="2022-04-01", date_to="2023-03-31"):
    out = io.StringIO()
    call_command(
        "report",
        kind,
        "--from",
        date_from,
        "--to",
        date_to,
        "--partnership",
        "testshire",
        "--panel-type",
        panel_type,
        stdout=out,
    )
    return json.loads(out.getvalue())


@pytest.fixture
def world(settings):
    # Small batches: one person's referrals are spread over several batches of a shuffled file.
    settings.IMPORT_BATCH_SIZE = 40
    world = build_world(women=120_000)
    world.partnership.slug = "testshire"
    world.partnership.save()
    return world


def test_seed_001_quarterly_marac_table(world, tmp_path):
    summary = _import(tmp_path, "marac-referrals", seed_data.csv_text(seed_data.MARAC_HEADER, seed_data.marac_rows()))
    assert "created" in summary
    result = _report("marac", "da_marac")
    assert list(result)[:10] == [
        "report",
        "panel_type",
        "period",
        "quarters",
        "total",
        "victim_gender",
        "perpetrator_gender",
        "relationship",
        "referring_agency",
        "mental_health_need_percent",
    ]
    assert [
        (q["quarter"], q["referrals"], q["children"], q["families_with_children"], q["repeats"], q["repeat_percent"])
        for q in result["quarters"]
    ] == [
        ("2022/23 Q1", 87, 51, 38, 9, 10.3),
        ("2022/23 Q2", 123, 64, 48, 22, 17.9),
        ("2022/23 Q3", 122, 68, 37, 19, 15.6),
        ("2022/23 Q4", 145, 111, 64, 35, 24.1),
    ]
    assert result["total"] == {
        "referrals": 477,
        "children": 294,
        "families_with_children": 187,
        "repeats": 85,
        "repeat_percent": 17.8,
    }
    assert sum(row["count"] for row in result["victim_gender"]) == 477
    assert result["perpetrator_gender"] == [{"code": "male", "count": 477, "percent": 100.0}]
    assert {row["organisation"] for row in result["referring_agency"]} == {"Testshire Police", "Testshire Health"}
    assert result["referring_agency"][0]["count"] >= result["referring_agency"][1]["count"]
    # SafeLives: 40 a year per 10,000 women aged 16+: 120,000 women -> 480 expected in a whole year.
    assert result["expected_volume"] == {
        "per_10000_women_a_year": 40,
        "women_aged_16_plus": 120000,
        "expected_referrals": 480.0,
        "percent_of_expected": 99.4,
        "population": {
            "measure": "women_16_plus",
            "year": 2021,
            "years": [2021],
            "value": 120000,
            "areas": ["E09000901"],
            "missing_areas": [],
        },
    }


def test_reimporting_the_same_file_changes_nothing(world, tmp_path):
    text = seed_data.csv_text(seed_data.MARAC_HEADER, seed_data.marac_rows())
    _import(tmp_path, "marac-referrals", text)
    flags = dict(PanelReferral.objects.values_list("external_ref", "is_repeat"))
    again = _import(tmp_path, "marac-referrals", text)
    assert again.strip().endswith("0 created, 0 updated, 491 unchanged")
    assert dict(PanelReferral.objects.values_list("external_ref", "is_repeat")) == flags


def test_row_order_does_not_change_the_repeats(world, tmp_path):
    rows = seed_data.marac_rows(seed=7)
    _import(tmp_path, "marac-referrals", seed_data.csv_text(seed_data.MARAC_HEADER, rows))
    assert [q["repeats"] for q in _report("marac", "da_marac")["quarters"]] == [9, 22, 19, 35]


def test_seed_002_table_1_from_imported_meetings(world, tmp_path):
    summary = _import(
        tmp_path,
        "panel-meetings",
        seed_data.csv_text(["panel_type", "meeting_date", "case_ref", "outcome"], seed_data.meeting_rows()),
    )
    assert summary.strip().endswith("159 created, 0 updated, 0 unchanged")
    result = _report("panel-activity", "cs_marac")
    assert result == {
        "report": "panel-activity",
        "panel_type": "cs_marac",
        "period": {"from": "2022-04-01", "to": "2023-03-31"},
        "meetings": [
            {"date": date, "cases_heard": heard, "new_cases": new, "closed_cases": closed}
            for date, heard, new, closed in seed_data.CS_MARAC_MEETINGS
        ],
        "totals": {"meetings": 8, "average_cases_heard": 19.9, "new_cases": 29, "closed_cases": 34},
        "panel_type_name": "Community MARAC",
    }
