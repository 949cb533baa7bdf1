"""Return `victim-hub`: the JSON exactly as INTERCHANGE.md defines it, the four formats, publication, query budget."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from saferhub.cases.models import ReferralSource
from saferhub.core.models import ReferenceList
from saferhub.reporting.registry import get_report
from saferhub.reporting.service import run_report
from saferhub.victims import actions
from saferhub.victims.models import HubReferral
from saferhub.victims.report import build
from saferhub.victims.tests.world import build_world, client_for, code

pytestmark = pytest.mark.django_db

SPEC_KEYS = [
    "report", "partnership", "period", "referrals", "by_source", "by_group", "by_crime_type", "victim_type",
    "support", "police", "vcop_informed", "rj_informed",
]  # fmt: skip


@pytest.fixture
def world():
    return build_world()


def add(world, received_on, *, agency=None, kind="victim", victim_type="direct", crime="robbery", **fields):
    """A hub referral received on a given day, written directly (the return reads rows, not actions)."""
    hub = actions.create_hub_referral(
        world.owner,
        partnership=world.partnership,
        referral_fields={
            "from_agency": agency or world.housing,
            "reason": "Synthetic",
            "source": ReferralSource.AGENCY,
        },
        hub_fields={
            "referral_kind": kind,
            "victim_type": victim_type if kind == "victim" else "",
            "crime_type": code(world, ReferenceList.VICTIM_HUB_CRIME_TYPE, crime),
            **fields,
        },
    )
    HubReferral.objects.filter(pk=hub.pk).update(received_on=received_on)
    return hub


def test_keys_in_the_specification_order_then_additions(world):
    result = build(world.partnership, datetime.date(2023, 4, 1), datetime.date(2023, 6, 30))
    assert list(result)[: len(SPEC_KEYS)] == SPEC_KEYS
    assert list(result)[len(SPEC_KEYS) :] == [
        "targets_by_quarter",
        "victims",
        "first_contact",
        "outcomes",
        "demographics",
    ]
    assert list(result["referrals"]) == ["total", "by_quarter", "by_month", "target"]
    assert list(result["police"]) == [
        "reported", "not_reported", "not_known", "crime_prevention", "assisting", "not_assisting_or_not_known",
    ]  # fmt: skip


def test_an_empty_period_lists_every_quarter_and_month_with_zero_and_no_target(world):
    result = build(world.partnership, datetime.date(2023, 5, 15), datetime.date(2023, 8, 2))
    assert result["period"] == {"from": "2023-05-15", "to": "2023-08-02"}
    assert result["referrals"] == {
        "total": 0,
        "by_quarter": [{"quarter": "2023/24 Q1", "count": 0}, {"quarter": "2023/24 Q2", "count": 0}],
        "by_month": [
            {"month": "2023-05", "count": 0},
            {"month": "2023-06", "count": 0},
            {"month": "2023-07", "count": 0},
            {"month": "2023-08", "count": 0},
        ],
        "target": None,
    }
    assert result["vcop_informed"] == {"count": 0, "percent_of_victims": None}
    assert result["by_source"] == [] and result["support"] == []


def test_period_edges_partial_quarters_and_targets(world):
    for day in ("2023-05-14", "2023-05-15", "2023-08-02", "2023-08-03", "2024-01-10"):
        add(world, datetime.date.fromisoformat(day))
    actions.set_targets(world.analyst, world.partnership, 2023, {1: 20, 2: 25, 3: None, 4: 30})
    result = build(world.partnership, datetime.date(2023, 5, 15), datetime.date(2023, 8, 2))
    assert result["referrals"]["total"] == 2
    assert [q["count"] for q in result["referrals"]["by_quarter"]] == [1, 1]
    assert result["referrals"]["target"] == 45
    whole_year = build(world.partnership, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    assert whole_year["referrals"]["target"] == 75  # Q3 has no target: the sum of those set
    assert [row["target"] for row in whole_year["targets_by_quarter"]] == [20, 25, None, 30]


def test_sorting_groups_percentages_and_police(world):
    family = world.council.__class__.objects.create(partnership=world.partnership, name="Family Services")
    early_help = world.council.__class__.objects.create(partnership=world.partnership, name="Early Help", parent=family)
    day = datetime.date(2023, 4, 10)
    add(world, day, agency=early_help, reported_to_police="yes", assisting_investigation="yes")
    add(world, day, agency=early_help, reported_to_police="yes", assisting_investigation="unknown")
    add(world, day, agency=world.police, reported_to_police="no")
    add(world, day, agency=world.council, victim_type="indirect")
    add(world, day, agency=family, kind="crime_prevention", crime="crime_prevention")
    add(world, day, agency=world.housing, crime="gbh", vcop_informed_on=day, rj_informed_on=day)
    result = build(world.partnership, day, day)
    assert result["by_source"] == [
        {"organisation": "Early Help", "group": "Family Services", "count": 2},
        {"organisation": "Family Services", "group": "Family Services", "count": 1},
        {"organisation": "Testshire Council", "group": "Testshire Council", "count": 1},
        {"organisation": "Testshire Homes", "group": "Testshire Homes", "count": 1},
        {"organisation": "Testshire Police", "group": "Testshire Police", "count": 1},
    ]
    assert result["by_group"][0] == {"group": "Family Services", "count": 3, "percent": 50.0}
    assert result["by_group"][1] == {"group": "Testshire Council", "count": 1, "percent": 16.7}
    assert result["by_crime_type"] == [
        {"code": "robbery", "label": "Robbery", "count": 4},
        {"code": "crime_prevention", "label": "Crime prevention", "count": 1},
        {"code": "gbh", "label": "GBH", "count": 1},
    ]
    assert result["police"] == {
        "reported": 2, "not_reported": 1, "not_known": 2, "crime_prevention": 1, "assisting": 1,
        "not_assisting_or_not_known": 1,
    }  # fmt: skip
    assert result["victim_type"] == {"direct": 4, "indirect": 1, "crime_prevention": 1}
    assert result["vcop_informed"] == {"count": 1, "percent_of_victims": 20.0}


def test_percentages_round_half_away_from_zero(world):
    day = datetime.date(2023, 4, 10)
    # 1 of 8 victims = 12.5% -> 12.5; 5 of 8 = 62.5; 1 of 16 = 6.25% -> 6.3 (Python's round gives 6.2).
    for index in range(16):
        add(world, day, rj_informed_on=day if index == 0 else None)
    assert build(world.partnership, day, day)["rj_informed"] == {"count": 1, "percent_of_victims": 6.3}


def test_demographics_are_counted_for_the_equality_duty(world):
    from saferhub.people.tests.factories import PersonFactory

    day = datetime.date(2023, 4, 10)
    young = PersonFactory(partnership=world.partnership, gender="female", ethnicity="black_african", disability="yes")
    young.date_of_birth = datetime.date(2010, 1, 1)
    young.save()
    hub = actions.create_hub_referral(
        world.owner,
        partnership=world.partnership,
        person=young,
        referral_fields={"from_agency": world.housing, "reason": "Synthetic"},
        hub_fields={
            "referral_kind": "victim",
            "victim_type": "direct",
            "crime_type": code(world, ReferenceList.VICTIM_HUB_CRIME_TYPE, "asb"),
        },
    )
    HubReferral.objects.filter(pk=hub.pk).update(received_on=day)
    add(world, day)
    demo = build(world.partnership, day, day)["demographics"]
    assert {row["band"]: row["count"] for row in demo["age_band"]}["0-17"] == 1
    assert {row["band"]: row["count"] for row in demo["age_band"]}["not_known"] == 1
    assert {row["code"]: row["count"] for row in demo["gender"]} == {
        "female": 1, "male": 0, "other": 0, "not_stated": 0, "not_known": 1,
    }  # fmt: skip
    assert demo["ethnicity"][0] == {"code": "black_african", "label": "African", "count": 1, "percent": 50.0}
    assert {row["code"]: row["count"] for row in demo["disability"]} == {"yes": 1, "no": 0, "unknown": 1}


def test_the_return_runs_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    day = datetime.date(2023, 4, 10)
    for index in range(30):
        add(world, day + datetime.timedelta(days=index * 5), crime=["robbery", "gbh", "asb"][index % 3])
    with django_assert_max_num_queries(12):
        build(world.partnership, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "docx"])
def test_four_formats(world, fmt):
    add(world, datetime.date(2023, 4, 10))
    report = run_report(
        get_report("victim-hub"), world.partnership, datetime.date(2023, 4, 1), datetime.date(2023, 6, 30), fmt=fmt
    )
    content, _, filename = report.render(fmt)
    assert filename == f"victim-hub-{world.partnership.slug}-2023-04-01-to-2023-06-30.{fmt}"
    if fmt == "json":
        assert json.loads(content)["referrals"]["total"] == 1
    elif fmt == "html":
        assert b"Referrals by referring organisation (Table 1)" in content and b"<svg" in content
        assert b"Equality monitoring: Ethnicity" in content
    else:
        assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None
    again, _, _ = report.render(fmt)
    assert again == content  # reproducible, byte for byte


def test_publish_suppresses_small_counts_in_the_tables(world):
    for _ in range(3):
        add(world, datetime.date(2023, 4, 10))
    kind = get_report("victim-hub")
    period = (datetime.date(2023, 4, 1), datetime.date(2023, 6, 30))
    internal = run_report(kind, world.partnership, *period, fmt="html")
    published = run_report(kind, world.partnership, *period, fmt="html", publish=True)
    by_quarter = {table.key: table for table in internal.tables}["by-quarter"]
    assert by_quarter.rows[0][1] == 3
    published_quarter = {table.key: table for table in published.tables}["by-quarter"]
    assert published_quarter.rows[0][1] == "<5" and published_quarter.total[1] == "<5"


def test_the_command_writes_the_json_return(world, capsys):
    add(world, datetime.date(2023, 4, 10))
    call_command(
        "report", "victim-hub", "--from", "2023-04-01", "--to", "2023-06-30", "--partnership", world.partnership.slug
    )
    result = json.loads(capsys.readouterr().out)
    assert result["report"] == "victim-hub" and result["referrals"]["total"] == 1


@pytest.mark.parametrize(("who", "status"), [("analyst", 200), ("owner", 403), ("admin", 200)])
def test_the_return_page_is_for_report_viewers(world, who, status):
    response = client_for(world, who).get(
        "/reports/run/", {"kind": "victim-hub", "date_from": "2023-04-01", "date_to": "2023-06-30", "fmt": "html"}
    )
    assert response.status_code == status
