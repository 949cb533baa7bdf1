"""Return `asb` at the seed's scale: the published JSON, the other formats, and a bounded query count."""

import datetime
import json

import pytest

from saferhub.asb.tests.scale import CURRENT, build_scale
from saferhub.asb.tests.world import build_world
from saferhub.reporting.registry import get_report
from saferhub.reporting.service import Report

D = datetime.date


@pytest.fixture
def world(db):
    w = build_world()
    build_scale(w.partnership, w.asb_team)
    return w


def build(w, period=CURRENT):
    return get_report("asb").build(w.partnership, *period)


def test_cases_by_category_against_the_previous_period(world):
    result = build(world)
    assert list(result) == ["report", "period", "comparison_period", "cases", "interventions", "fpns", "case_reviews"]
    assert result["period"] == {"from": "2022-04-01", "to": "2023-03-31"}
    assert result["comparison_period"] == {"from": "2021-04-01", "to": "2022-03-31"}
    cases = result["cases"]
    # The world's own two cases were opened in 2024 and are not in either period.
    assert (cases["total"], cases["previous"], cases["change_percent"]) == (3602, 2495, 44.4)
    first = cases["by_category"][0]
    assert first == {"code": "fly_tipping", "label": "Environmental crime: fly tipping", "count": 1510, "previous": 905}
    assert [row["count"] for row in cases["by_category"]] == sorted(
        (row["count"] for row in cases["by_category"]), reverse=True
    )
    assert len(cases["by_category"]) == 9


def test_tools_and_powers_and_fixed_penalties(world):
    result = build(world)
    used = {row["code"]: row["count"] for row in result["interventions"]}
    assert used["cpn_warning"] == 240 and used["cpn"] == 8 and used["fpn"] == 32 and used["cbo"] == 0
    assert list(result["interventions"][0]) == ["code", "label", "count"]
    fpns = result["fpns"]
    assert fpns["total"] == 32
    assert fpns["by_offence"][:3] == [
        {"code": "CST13", "count": 12, "percent": 37.5},
        {"code": "CST01", "count": 8, "percent": 25.0},
        {"code": "CST09", "count": 5, "percent": 15.6},
    ]
    assert {"code": "CST02", "count": 0, "percent": 0.0} in fpns["by_offence"]


def test_case_review_figures(world):
    assert build(world)["case_reviews"] == {
        "applications": 11,
        "threshold_met": 5,
        "threshold_not_met": 6,
        "reviews_held": 5,
        "reviews_with_recommendations": 3,
    }


def test_change_percent_is_null_without_a_previous_period(world):
    result = build(world, (D(2010, 1, 1), D(2010, 12, 31)))
    assert result["cases"]["previous"] == 0 and result["cases"]["change_percent"] is None


def test_query_count_does_not_depend_on_data_size(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        build(world)


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "docx"])
def test_every_format_renders(world, fmt):
    report = Report(
        kind=get_report("asb"),
        partnership=world.partnership,
        date_from=CURRENT[0],
        date_to=CURRENT[1],
        result=build(world),
        publish=True,
    )
    content, _type, name = report.render(fmt)
    assert name.startswith("asb-invented-asb-2022-04-01")
    if fmt == "json":
        assert json.loads(content)["cases"]["total"] == 3602
    elif fmt == "html":
        assert b"Fixed penalty notices by offence code" in content
