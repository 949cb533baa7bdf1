"""Import errors, formats of the returns, and bounded query counts."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from saferhub.panels.models import PanelReferral
from saferhub.panels.reports import build_marac, build_panel_activity
from saferhub.panels.tests.world import build_world, d, person, refer

pytestmark = pytest.mark.django_db

HEADER = "external_ref,panel_type,referral_date,victim_ref,referring_agency,children_in_household,relationship\n"


@pytest.fixture
def world():
    world = build_world()
    world.partnership.slug = "testshire"
    world.partnership.save()
    return world


def _run(tmp_path, kind, text, *args):
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", kind, str(path), "--partnership", "testshire", *args, stdout=out, stderr=err)
    except CommandError:
        return 1, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_bad_rows_write_nothing_and_name_line_and_column(world, tmp_path):
    code, _, err = _run(
        tmp_path,
        "marac-referrals",
        HEADER
        + "R1,da_marac,2023-01-05,V1,Testshire Police,2,partner\n"
        + "R2,nonsense,2023-13-05,V2,Nowhere Agency,-1,cousin\n",
    )
    assert code == 1
    for message in (
        "line 3, column panel_type: 'nonsense' is not a panel type here",
        "line 3, column referral_date: '2023-13-05' is not a date",
        "line 3, column referring_agency: unknown organisation 'Nowhere Agency'",
        "line 3, column children_in_household: -1 is less than the lowest allowed value, 0",
        "line 3, column relationship: 'cousin' is not a code in the relationship_to_victim list",
    ):
        assert message in err
    assert not PanelReferral.objects.exists()


def test_imported_and_typed_in_referrals_share_the_repeat_rule(world, tmp_path):
    ivy = person(world, external_ref="V1")
    refer(world, ivy, d("2023-01-05"))
    code, out, _ = _run(tmp_path, "marac-referrals", HEADER + "R1,da_marac,2023-06-01,V1,Testshire Police,0,partner\n")
    assert code == 0 and out.strip().endswith("1 created, 0 updated, 0 unchanged")
    imported = PanelReferral.objects.get(external_ref="R1")
    assert imported.is_repeat and imported.person == ivy
    # Correcting the imported date to more than 12 months later: no longer a repeat.
    _run(tmp_path, "marac-referrals", HEADER + "R1,da_marac,2024-02-01,V1,Testshire Police,0,partner\n")
    imported.refresh_from_db()
    assert not imported.is_repeat


def test_dry_run_writes_nothing(world, tmp_path):
    code, out, _ = _run(
        tmp_path, "marac-referrals", HEADER + "R1,da_marac,2023-06-01,V9,Testshire Police,,\n", "--dry-run"
    )
    assert code == 0 and "1 created" in out and not PanelReferral.objects.exists()


def test_panel_meetings_bad_outcome(world, tmp_path):
    code, _, err = _run(
        tmp_path, "panel-meetings", "panel_type,meeting_date,case_ref,outcome\ncs_marac,2023-01-05,C1,maybe\n"
    )
    assert code == 1 and "line 2, column outcome: 'maybe' is not one of: new, review, closed" in err


def test_report_needs_a_known_panel_type(world):
    with pytest.raises(CommandError, match="no panel type 'nope'"):
        call_command(
            "report",
            "marac",
            "--from",
            "2023-01-01",
            "--to",
            "2023-03-31",
            "--partnership",
            "testshire",
            "--panel-type",
            "nope",
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="panel-type"):
        call_command(
            "report",
            "marac",
            "--from",
            "2023-01-01",
            "--to",
            "2023-03-31",
            "--partnership",
            "testshire",
            stdout=io.StringIO(),
        )


@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx"])
@pytest.mark.parametrize("kind", ["marac", "panel-activity"])
def test_every_format_renders(world, tmp_path, fmt, kind):
    refer(world, person(world), d("2023-02-01"), children_in_household=1)
    target = tmp_path / f"out.{fmt}"
    call_command(
        "report",
        kind,
        "--from",
        "2023-01-01",
        "--to",
        "2023-03-31",
        "--partnership",
        "testshire",
        "--panel-type",
        "da_marac",
        "--format",
        fmt,
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    assert target.stat().st_size > 500


def test_empty_period_gives_nulls_not_errors(world):
    result = build_marac(world.partnership, d("2023-01-01"), d("2023-03-31"), panel_type="da_marac")
    assert result["total"] == {
        "referrals": 0,
        "children": 0,
        "families_with_children": 0,
        "repeats": 0,
        "repeat_percent": None,
    }
    assert result["mental_health_need_percent"] is None
    assert result["expected_volume"]["expected_referrals"] is None
    activity = build_panel_activity(world.partnership, d("2023-01-01"), d("2023-03-31"), panel_type="da_marac")
    assert activity["totals"] == {"meetings": 0, "average_cases_heard": None, "new_cases": 0, "closed_cases": 0}


def test_report_query_count_does_not_grow_with_data(world, django_assert_max_num_queries):
    for n in range(30):
        refer(
            world,
            person(world, f"P{n}", "Testperson"),
            d("2023-02-01"),
            children_in_household=n % 3,
            relationship="partner",
            perpetrator_gender="male",
        )
    # One of them reads the population figures for the expected volume, one the relationship labels.
    with django_assert_max_num_queries(8):
        result = build_marac(world.partnership, d("2022-04-01"), d("2023-03-31"), panel_type="da_marac")
    assert result["total"]["referrals"] == 30
    with django_assert_max_num_queries(4):
        build_panel_activity(world.partnership, d("2022-04-01"), d("2023-03-31"), panel_type="da_marac")


def test_reports_page_runs_the_marac_return(world):
    from saferhub.accounts.models import Role
    from saferhub.accounts.tests.factories import UserFactory

    analyst = UserFactory(team=world.marac_team, roles=[Role.ANALYST])
    client = Client()
    client.force_login(analyst)
    response = client.get(
        "/reports/run/",
        {"kind": "marac", "date_from": "2023-01-01", "date_to": "2023-03-31", "panel_type": "da_marac", "fmt": "json"},
    )
    assert response.status_code == 200 and json.loads(response.content)["panel_type"] == "da_marac"


def test_a_column_missing_from_the_file_leaves_the_field_alone(world, tmp_path):
    person(world, external_ref="V7")
    full = HEADER.strip() + ",dash_score\n" + "R7,da_marac,2023-06-01,V7,Testshire Police,2,partner,16\n"
    assert _run(tmp_path, "marac-referrals", full)[0] == 0
    # The same referral from a file without dash_score or relationship: nothing to change.
    narrow = "external_ref,panel_type,referral_date,victim_ref,referring_agency\nR7,da_marac,2023-06-01,V7,Testshire Police\n"
    code, out, _ = _run(tmp_path, "marac-referrals", narrow)
    assert code == 0 and out.strip().endswith("0 created, 0 updated, 1 unchanged")
    referral = PanelReferral.objects.get(external_ref="R7")
    assert (referral.dash_score, referral.relationship, referral.children_in_household) == (16, "partner", 2)
