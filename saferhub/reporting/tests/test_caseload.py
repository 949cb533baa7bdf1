"""The caseload report's numbers, aggregated in the database."""

import datetime

import pytest

from saferhub.accounts.tests.factories import TeamFactory
from saferhub.cases.tests.factories import CaseFactory
from saferhub.reporting.caseload import build

D = datetime.date


def test_caseload_numbers(caseload):
    result = build(caseload, D(2023, 4, 1), D(2023, 12, 31))
    assert result == {
        "report": "caseload",
        "partnership": "testborough",
        "period": {"from": "2023-04-01", "to": "2023-12-31"},
        "opened": {
            "total": 5,
            "by_quarter": [
                {"quarter": "2023/24 Q1", "count": 3},
                {"quarter": "2023/24 Q2", "count": 1},
                {"quarter": "2023/24 Q3", "count": 1},
            ],
            "by_case_type": [
                {"code": "victims", "name": "Victim care", "count": 3},
                {"code": "general", "name": "General", "count": 2},
            ],
            "by_team": [
                {"team": "Victim Care Hub", "agency": "Testborough Council", "count": 3},
                {"team": "Community Safety Team", "agency": "Testborough Council", "count": 2},
            ],
        },
        "closed": {
            "total": 2,
            "by_quarter": [
                {"quarter": "2023/24 Q1", "count": 1},
                {"quarter": "2023/24 Q2", "count": 1},
                {"quarter": "2023/24 Q3", "count": 0},
            ],
        },
        "open_at_end": 5,
    }
    assert list(result) == ["report", "partnership", "period", "opened", "closed", "open_at_end"]


def test_partial_quarters_count_only_days_in_the_period(caseload):
    result = build(caseload, D(2023, 5, 1), D(2023, 7, 31))
    assert result["opened"]["by_quarter"] == [
        {"quarter": "2023/24 Q1", "count": 2},
        {"quarter": "2023/24 Q2", "count": 1},
    ]


def test_ties_are_sorted_by_name(caseload):
    result = build(caseload, D(2023, 6, 1), D(2023, 7, 31))
    assert [row["name"] for row in result["opened"]["by_case_type"]] == ["General", "Victim care"]


@pytest.mark.django_db
def test_query_count_does_not_depend_on_the_number_of_cases(caseload, django_assert_num_queries):
    with django_assert_num_queries(3):
        build(caseload, D(2023, 4, 1), D(2024, 3, 31))
    team = TeamFactory(agency__partnership=caseload)
    for day in range(1, 29):
        CaseFactory(owning_team=team, opened_on=D(2023, 11, day))
    with django_assert_num_queries(3):
        result = build(caseload, D(2023, 4, 1), D(2024, 3, 31))
    assert result["opened"]["total"] == 6 + 28
