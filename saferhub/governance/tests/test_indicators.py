"""Indicators: periods by label, measure paths into a return's JSON, each source's figure, the RAG rule in
words, and the `indicators` return. Everything is synthetic."""

import datetime
from decimal import Decimal

import pytest

from saferhub.governance import actions
from saferhub.governance import indicators as figures
from saferhub.governance.indicator_report import build_indicators
from saferhub.governance.models import Indicator, IndicatorValue
from saferhub.governance.periods import parse_period, same_period_a_year_before
from saferhub.governance.tests import strategy_world
from saferhub.governance.tests.factories import ActivityFactory
from saferhub.reporting.registry import get_report
from saferhub.reporting.service import run_report

Q1 = parse_period("2024/25 Q1")


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2024/25 Q1", datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)),
        ("2024/25 q4", datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),
        ("2099/00 Q3", datetime.date(2099, 10, 1), datetime.date(2099, 12, 31)),
        ("2024/25", datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
    ],
)
def test_periods_by_label(label, start, end):
    period = parse_period(label)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("label", ["2024/26 Q1", "2024 Q1", "2024/25 Q5", "Q1 2024/25", ""])
def test_bad_period_labels_say_what_to_write(label):
    with pytest.raises(ValueError, match="2026/27 Q1"):
        parse_period(label)


def test_same_period_a_year_before():
    assert same_period_a_year_before(Q1).label == "2023/24 Q1"
    assert same_period_a_year_before(parse_period("2024/25")).label == "2023/24"


RESULT = {
    "report": "x",
    "period": {"from": "2024-04-01", "to": "2024-06-30"},
    "total": {"sessions": 3, "participants": 40},
    "by_kind": [{"kind": "training", "sessions": 2}, {"kind": "ward_walk", "sessions": 1}],
    "rows": [[1, 2]],
    "flag": True,
    "rate": 12.5,
}


def test_numeric_paths_name_list_items_by_their_first_text_field():
    paths = dict(figures.numeric_paths(RESULT))
    assert paths == {
        "total.sessions": 3,
        "total.participants": 40,
        "by_kind[kind=training].sessions": 2,
        "by_kind[kind=ward_walk].sessions": 1,
        "rows[0][0]": 1,
        "rows[0][1]": 2,
        "rate": 12.5,
    }
    for path, value in paths.items():
        assert figures.resolve(RESULT, path) == Decimal(str(value))


@pytest.mark.parametrize("path", ["total.missing", "by_kind[kind=outreach].sessions", "flag", "total", "rows[5][0]"])
def test_a_path_naming_nothing_or_no_number_gives_no_figure(path):
    assert figures.resolve(RESULT, path) is None


def _indicator(direction="up", unit="count", tolerance=10):
    return Indicator(good_direction=direction, unit=unit, amber_tolerance=Decimal(tolerance))


@pytest.mark.parametrize(
    ("direction", "value", "target", "rag", "words"),
    [
        ("up", 374, 300, "green", "Green: 374 is at or above the target of 300."),
        ("up", 300, 300, "green", "at or above"),
        ("up", 280, 300, "amber", "Amber: 280 is below the target of 300 but within 10% of it (270 or more)."),
        ("up", 269, 300, "red", "Red: 269 is below the target of 300 by more than 10% (amber needs 270 or more)."),
        ("down", 14, 14, "green", "at or below"),
        ("down", 15, 14, "amber", "above the target of 14 but within 10% of it (15.4 or less)"),
        ("down", 16, 14, "red", "by more than 10%"),
        ("up", None, 300, "none", "Not rated: there is no figure for this period yet."),
        ("up", 12, None, "none", "Not rated: there is no target for this period."),
    ],
)
def test_rag_rule_and_its_reason_in_words(direction, value, target, rag, words):
    result = figures.rag(
        _indicator(direction),
        None if value is None else Decimal(value),
        None if target is None else Decimal(target),
    )
    assert result.rag == rag
    assert words in result.reason


def test_rag_rule_in_words_names_the_tolerance():
    text = figures.rag_rule_in_words(_indicator("down", tolerance=5))
    assert "at or below the period's target" in text and "no more than 5% of the target" in text


@pytest.mark.parametrize(
    ("unit", "value", "shown"),
    [
        ("count", 1200, "1,200"),
        ("percent", Decimal("45.25"), "45.3%"),
        ("money", 12500, "£12,500"),
        ("rate_per_1000", 3, "3 per 1,000"),
    ],
)
def test_values_are_shown_with_their_unit(unit, value, shown):
    assert figures.format_value(unit, Decimal(value)) == shown


@pytest.fixture
def world(db):
    return strategy_world.build()


def test_a_return_measure_is_computed_by_running_the_return_for_the_period(world):
    ActivityFactory(partnership=world.partnership, held_on=datetime.date(2024, 5, 1), participants=12)
    ActivityFactory(partnership=world.partnership, held_on=datetime.date(2024, 6, 30), participants=30)
    ActivityFactory(partnership=world.partnership, held_on=datetime.date(2024, 7, 1), participants=99)
    own = get_report("activities").build(world.partnership, Q1.start, Q1.end)
    assert figures.compute(world.from_return, Q1) == Decimal(own["total"]["participants"]) == 42
    rows = actions.recompute(world.users["analyst"], world.from_return, [Q1])
    assert rows[0].value == 42 and rows[0].computed_at is not None


def test_a_provider_measure_takes_only_accepted_returns(world):
    analyst, provider = world.users["analyst"], world.users["provider"]
    actions.save_return(
        provider,
        world.provider_return,
        values={world.clients.pk: Decimal(63), world.safer.pk: Decimal(88)},
        narrative="",
        case_studies="",
        submit=True,
        expected_version=world.provider_return.version,
    )
    assert figures.compute(world.from_provider, Q1) is None
    actions.accept_return(analyst, world.provider_return, expected_version=world.provider_return.version)
    stored = IndicatorValue.objects.get(indicator=world.from_provider, period="2024/25 Q1")
    assert stored.value == 63 and stored.computed_at is not None
    # A year's figure needs all four quarters.
    assert figures.compute(world.from_provider, parse_period("2024/25")) is None


def test_the_indicators_return_lists_value_target_previous_year_change_and_rag(world):
    analyst = world.users["analyst"]
    before = parse_period("2023/24 Q1")
    actions.record_value(analyst, world.entered, before, value=Decimal(60), commentary="")
    actions.record_value(analyst, world.entered, Q1, value=Decimal(66), commentary="Survey in May")
    actions.set_target(analyst, world.entered, Q1, Decimal(70))
    ActivityFactory(partnership=world.partnership, held_on=datetime.date(2024, 5, 1), participants=12)
    result = build_indicators(world.partnership, Q1.start, Q1.end)
    assert result["report"] == "indicators"
    assert result["rag"] == {"red": 0, "amber": 1, "green": 0, "none": 2}
    rows = {row["indicator"]: row for row in result["indicators"]}
    entered = rows["Residents feeling safe"]
    assert {key: entered[key] for key in ("period", "value", "target", "previous_period", "previous_value")} == {
        "period": "2024/25 Q1",
        "value": 66,
        "target": 70,
        "previous_period": "2023/24 Q1",
        "previous_value": 60,
    }
    assert (entered["change"], entered["change_percent"], entered["rag"]) == (6, 10.0, "amber")
    assert entered["rag_reason"].startswith("Amber: 66% is below the target of 70%")
    assert entered["commentary"] == "Survey in May"
    trained = rows["People trained"]
    assert (trained["value"], trained["source"], trained["measure"]) == (12, "return", "activities:total.participants")
    assert rows["Clients supported by outreach"]["value"] is None


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "docx"])
def test_the_indicators_return_renders_in_every_format(world, fmt):
    report = run_report(get_report("indicators"), world.partnership, Q1.start, Q1.end, fmt=fmt)
    content, _, name = report.render(fmt)
    assert content and name.endswith(fmt)


def test_the_indicators_return_names_the_strategies_when_asked_for_an_unknown_one(world):
    from saferhub.reporting.service import ReportError

    with pytest.raises(ReportError, match="Invented Safer Streets Strategy"):
        build_indicators(world.partnership, Q1.start, Q1.end, strategy="No such strategy")


def test_changing_an_indicators_source_clears_its_computed_figures(world):
    actions.recompute(world.users["analyst"], world.from_return, [Q1])
    indicator = Indicator.objects.get(pk=world.from_return.pk)
    actions.update_indicator(
        world.users["analyst"],
        indicator,
        expected_version=indicator.version,
        source="return",
        report="activities",
        measure_path="total.sessions",
    )
    assert IndicatorValue.objects.get(indicator=indicator, period=Q1.label).value is None


def test_the_trend_leaves_out_the_quarter_in_progress_until_it_has_a_figure(world):
    from saferhub.governance.strategy_views import _trend

    today = datetime.date(2024, 8, 15)  # in 2024/25 Q2
    indicator = Indicator.objects.get(pk=world.entered.pk)
    periods = [row["period"] for row in _trend(indicator, today)]
    assert periods[-1] == "2024/25 Q1" and "2024/25 Q2" not in periods
    actions.record_value(
        world.users["analyst"], indicator, parse_period("2024/25 Q2"), value=Decimal(5), commentary="Early figure"
    )
    with_figure = [row["period"] for row in _trend(indicator, today)]
    assert with_figure[-1] == "2024/25 Q2" and len(with_figure) == len(periods)


def test_an_analyst_changes_a_strategy_and_a_priority_and_the_audit_says_what_changed(world, client):
    from django.urls import reverse

    from saferhub.audit.models import AuditAction, AuditEvent
    from saferhub.governance.models import Priority, Strategy

    client.force_login(world.users["analyst"])
    strategy = world.strategy
    response = client.post(
        reverse("governance:strategy-edit", args=[strategy.pk]),
        {"name": "Invented Safer Streets Strategy", "runs": "2024 to 2028", "summary": "", "version": strategy.version},
    )
    assert response.status_code == 302
    assert Strategy.objects.get(pk=strategy.pk).runs == "2024 to 2028"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="governance.strategy").latest("pk")
    assert event.detail["changed"] == ["runs"]
    priority = world.priority
    response = client.post(
        reverse("governance:priority-edit", args=[priority.pk]),
        {"title": "Supporting victims and witnesses", "outcomes": "Victims feel safer", "version": priority.version},
    )
    assert response.status_code == 302
    assert Priority.objects.get(pk=priority.pk).title == "Supporting victims and witnesses"
    assert "Supporting victims and witnesses" in client.get(reverse("governance:strategy", args=[strategy.pk])).text


def test_a_strategy_cannot_take_another_strategys_name(world, client):
    from django.urls import reverse

    from saferhub.governance.models import Strategy

    other = actions.create_strategy(
        world.users["analyst"], name="Invented Reducing Reoffending Plan", runs="", summary=""
    )
    client.force_login(world.users["analyst"])
    response = client.post(
        reverse("governance:strategy-edit", args=[other.pk]),
        {"name": "invented safer streets strategy", "runs": "", "summary": "", "version": other.version},
    )
    assert response.status_code == 200
    assert "already has a strategy of that name" in response.text
    assert Strategy.objects.get(pk=other.pk).name == "Invented Reducing Reoffending Plan"


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("by_group[group=asian_indian].count", "By group › Asian indian › Count"),
        ("months[month=2026-07].count", "Months › July 2026 › Count"),
        ("total", "Total"),
        ("rows[0].on[day=2026-04-01]", "Rows › 0 › On › 1 April 2026"),
    ],
)
def test_a_measure_is_offered_in_words_not_as_its_path(path, label):
    assert figures.measure_label(path) == label
