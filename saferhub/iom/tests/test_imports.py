"""The imports of INTERCHANGE.md (iom-cohort, cost-of-crime, iom-offences) and of docs/iom.md
(reoffending-comparators, youth-justice-kpis): all or nothing, errors by line and column, idempotent."""

import datetime
from decimal import Decimal

import pytest

from saferhub.iom.models import CohortStay, CostOfCrime, Offence, RagStatus, ReoffendingComparator, YjKpiValue
from saferhub.iom.tests.world import build_world, csv_text, import_text

pytestmark = pytest.mark.django_db

COHORT = ["external_ref", "person_ref", "age", "gender", "ethnicity", "adopted_on", "left_on", "cohort", "management",
          "rag", "rag_on"]  # fmt: skip


@pytest.fixture
def world():
    return build_world()


def cohort_row(**values):
    row = {"external_ref": "S1", "person_ref": "P1", "age": 30, "gender": "male", "ethnicity": "black_african",
           "adopted_on": "2022-04-01", "cohort": "flex", "management": "statutory", "rag": "red"}  # fmt: skip
    return {**row, **values}


def test_cohort_import_is_all_or_nothing_with_line_and_column_errors(world):
    rows = [cohort_row(), cohort_row(external_ref="S2", person_ref="P2", rag="purple"),
            cohort_row(external_ref="S3", person_ref="P3", left_on="2021-01-01")]  # fmt: skip
    text = csv_text(COHORT, rows)
    result = import_text(world, "iom-cohort", text)
    assert not result.ok
    assert any(e.startswith("line 3, column rag: 'purple' is not one of") for e in result.errors)
    assert any(e.startswith("line 4, column left_on:") and "before the person joined" in e for e in result.errors)
    assert not CohortStay.objects.exists()


def test_unknown_columns_are_refused(world):
    result = import_text(world, "iom-cohort", csv_text([*COHORT, "colour"], [cohort_row(colour="x")]))
    assert not result.ok and "colour" in " ".join(result.errors)


def test_rag_history_is_keyed_by_stay_and_date(world):
    first = import_text(world, "iom-cohort", csv_text(COHORT, [cohort_row()]))
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    same = import_text(world, "iom-cohort", csv_text(COHORT, [cohort_row()]))
    assert (same.created, same.updated, same.unchanged) == (0, 0, 1)
    later = import_text(world, "iom-cohort", csv_text(COHORT, [cohort_row(rag="blue", rag_on="2022-06-01")]))
    assert later.updated == 1
    recoloured = import_text(world, "iom-cohort", csv_text(COHORT, [cohort_row(rag="amber", rag_on="2022-06-01")]))
    assert recoloured.updated == 1
    stay = CohortStay.objects.get()
    assert list(RagStatus.objects.filter(stay=stay).order_by("on").values_list("rag", flat=True)) == ["red", "amber"]
    left = import_text(world, "iom-cohort", csv_text(COHORT, [cohort_row(left_on="2023-01-31")]))
    assert left.updated == 1
    stay.refresh_from_db()
    assert stay.left_on == datetime.date(2023, 1, 31) and stay.case.status == "closed"


def test_import_without_the_iom_duty_says_where_to_give_it(world):
    from saferhub.iom.models import IomConfiguration

    IomConfiguration.objects.filter(partnership=world.partnership).update(team=None)
    result = import_text(world, "iom-cohort", csv_text(COHORT, [cohort_row()]))
    assert not result.ok and "no team holds the duty 'iom'" in result.errors[0]


COSTS = ["offence_group", "label", "unit_cost", "price_year", "source", "effective_from"]


def test_cost_of_crime_import_adds_a_dated_table(world):
    row = {"offence_group": "robbery", "label": "Robbery", "unit_cost": 12000, "price_year": "2019/20",
           "source": "Test study", "effective_from": "2023-04-01"}  # fmt: skip
    assert import_text(world, "cost-of-crime", csv_text(COSTS, [row])).created == 1
    assert import_text(world, "cost-of-crime", csv_text(COSTS, [row])).unchanged == 1
    rates = CostOfCrime.objects.filter(partnership=world.partnership, offence_group="robbery")
    assert sorted(rates.values_list("unit_cost", flat=True)) == [11320, 12000]
    in_force = CostOfCrime.objects.of(world.partnership.pk).in_force_on(datetime.date(2023, 5, 1))
    assert in_force.get(offence_group="robbery").unit_cost == 12000
    bad = import_text(world, "cost-of-crime", csv_text(COSTS, [{**row, "price_year": "2019/21", "unit_cost": "12k"}]))
    assert "line 2, column price_year: '2019/21' is not a financial year such as 2015/16" in bad.errors
    assert "line 2, column unit_cost: '12k' is not a whole number" in bad.errors


def test_the_home_office_table_is_shipped_with_its_price_base(world):
    rates = CostOfCrime.objects.filter(partnership=world.partnership)
    assert rates.count() == 10
    robbery = rates.get(offence_group="robbery")
    assert (robbery.unit_cost, robbery.price_year) == (11320, "2015/16") and "Home Office" in robbery.source
    assert rates.get(offence_group="homicide").unit_cost == 3_217_740


OFFENCES = ["external_ref", "person_ref", "offence_date", "offence_group", "charged"]


def test_offences_import_needs_a_known_person_and_group(world):
    import_text(world, "iom-cohort", csv_text(COHORT, [cohort_row()]))
    rows = [
        {"external_ref": "O1", "person_ref": "P1", "offence_date": "2021-09-01", "offence_group": "robbery"},
        {"external_ref": "O2", "person_ref": "P9", "offence_date": "2021-09-01", "offence_group": "burglary"},
    ]
    result = import_text(world, "iom-offences", csv_text(OFFENCES, rows))
    assert any(
        e.startswith("line 3, column person_ref: no one in the cohort has person_ref 'P9'") for e in result.errors
    )
    assert any(e.startswith("line 3, column offence_group: 'burglary' is not a group") for e in result.errors)
    assert not Offence.objects.exists()
    assert import_text(world, "iom-offences", csv_text(OFFENCES, rows[:1])).created == 1
    changed = import_text(world, "iom-offences", csv_text(OFFENCES, [{**rows[0], "charged": "yes"}]))
    assert changed.updated == 1 and Offence.objects.get().charged == "yes"


def test_reoffending_comparators_and_kpis(world):
    header = ["area", "quarter", "offenders", "charged_offences", "reoffending_rate", "source"]
    rows = [{"area": "Testville", "quarter": "2022/23 Q4", "offenders": 2192, "charged_offences": 2339,
             "reoffending_rate": "27.2", "source": "Test publication"}]  # fmt: skip
    assert import_text(world, "reoffending-comparators", csv_text(header, rows)).created == 1
    assert import_text(world, "reoffending-comparators", csv_text(header, rows)).unchanged == 1
    comparator = ReoffendingComparator.objects.get()
    assert (comparator.year, comparator.quarter, comparator.reoffending_rate) == (2022, 4, Decimal("27.2"))
    bad = import_text(world, "reoffending-comparators", csv_text(header, [{**rows[0], "quarter": "2022 Q4"}]))
    assert "line 2, column quarter: '2022 Q4' is not a financial quarter such as 2022/23 Q4" in bad.errors

    kpis = ["kpi", "quarter", "value", "national", "regional", "statistical_neighbours"]
    row = {"kpi": "first_time_entrants", "quarter": "2023/24 Q1", "value": "150", "national": "161"}
    assert import_text(world, "youth-justice-kpis", csv_text(kpis, [row])).created == 1
    assert YjKpiValue.objects.get().national == Decimal("161.00")
