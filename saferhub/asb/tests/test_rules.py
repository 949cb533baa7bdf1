"""The statutory rules for tools and powers: nothing can be recorded out of order or beyond its limit."""

import datetime

import pytest

from saferhub.asb import actions
from saferhub.asb.models import Intervention, SettingKey
from saferhub.asb.rules import RuleBroken
from saferhub.asb.tests.world import build_world, kind, offence

D = datetime.date


@pytest.fixture
def world(db):
    return build_world()


def record(w, code, **fields):
    return actions.record_intervention(
        w.owner, w.case, partnership=w.partnership, kind=kind(w.partnership, code), **fields
    )


def test_cpn_needs_an_earlier_written_warning_to_the_same_person(world):
    with pytest.raises(RuleBroken, match="CPN needs a written warning"):
        record(world, "cpn", person=world.subject, served_on=D(2024, 3, 1))
    record(world, "cpn_warning", person=world.unknown_age, served_on=D(2024, 2, 1))
    with pytest.raises(RuleBroken, match="CPN needs a written warning"):
        record(world, "cpn", person=world.subject, served_on=D(2024, 3, 1))  # warned someone else
    record(world, "cpn_warning", person=world.subject, served_on=D(2024, 3, 1))
    with pytest.raises(RuleBroken, match="CPN needs a written warning"):
        record(world, "cpn", person=world.subject, served_on=D(2024, 3, 1))  # same day is not earlier
    cpn = record(world, "cpn", person=world.subject, served_on=D(2024, 3, 15))
    assert cpn.pk and Intervention.objects.filter(kind__code="cpn").count() == 1


def test_cpn_only_to_people_aged_16_or_over(world):
    record(world, "cpn_warning", person=world.teen, served_on=D(2025, 1, 1))
    with pytest.raises(RuleBroken, match="CPN only 16\\+.*was 14"):
        record(world, "cpn", person=world.teen, served_on=D(2025, 2, 1))
    assert record(world, "cpn", person=world.teen, served_on=D(2026, 5, 1)).pk  # 16 on 1 May 2026


def test_cpn_refused_when_age_is_unknown(world):
    record(world, "cpn_warning", person=world.unknown_age, served_on=D(2024, 1, 1))
    with pytest.raises(RuleBroken, match="record .* date of birth or age"):
        record(world, "cpn", person=world.unknown_age, served_on=D(2024, 2, 1))


def test_closure_notice_hearing_within_48_hours(world):
    served = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=datetime.UTC)
    with pytest.raises(RuleBroken, match="hearing within 48 hours"):
        record(
            world,
            "closure_notice",
            premises="1 Invented Row",
            served_at=served,
            hearing_at=served + datetime.timedelta(hours=49),
        )
    notice = record(
        world,
        "closure_notice",
        premises="1 Invented Row",
        served_at=served,
        hearing_at=served + datetime.timedelta(hours=47),
    )
    assert notice.served_on == D(2024, 3, 1)


def test_closure_order_needs_a_closure_notice_and_lasts_3_months_6_in_total(world):
    with pytest.raises(RuleBroken, match="needs a closure notice"):
        record(world, "closure_order", premises="1 Invented Row", served_on=D(2024, 3, 2), expires_on=D(2024, 6, 1))
    served = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=datetime.UTC)
    record(
        world,
        "closure_notice",
        premises="1 Invented Row",
        served_at=served,
        hearing_at=served + datetime.timedelta(hours=24),
    )
    with pytest.raises(RuleBroken, match="up to 3 months"):
        record(world, "closure_order", premises="1 Invented Row", served_on=D(2024, 3, 2), expires_on=D(2024, 6, 3))
    order = record(world, "closure_order", premises="1 Invented Row", served_on=D(2024, 3, 2), expires_on=D(2024, 6, 2))
    with pytest.raises(RuleBroken, match="6 months in total"):
        record(
            world,
            "closure_order",
            premises="1 Invented Row",
            served_on=D(2024, 6, 1),
            expires_on=D(2024, 9, 3),
            extends=order,
        )
    extension = record(
        world,
        "closure_order",
        premises="1 Invented Row",
        served_on=D(2024, 6, 1),
        expires_on=D(2024, 9, 2),
        extends=order,
    )
    with pytest.raises(RuleBroken, match="6 months in total"):
        record(
            world,
            "closure_order",
            premises="1 Invented Row",
            served_on=D(2024, 9, 1),
            expires_on=D(2024, 9, 30),
            extends=extension,
        )


def test_civil_injunction_10_plus_and_cbo_on_conviction(world):
    young = world.teen
    young.date_of_birth = D(2016, 1, 1)
    young.save()
    with pytest.raises(RuleBroken, match="Civil injunction only 10\\+"):
        record(world, "civil_injunction", person=young, served_on=D(2025, 6, 1))
    with pytest.raises(RuleBroken, match="CBO on conviction"):
        record(world, "cbo", person=world.subject, served_on=D(2024, 6, 1))
    assert record(world, "cbo", person=world.subject, served_on=D(2024, 6, 1), conviction_on=D(2024, 5, 20)).pk


def test_fixed_penalty_limit_follows_the_setting_in_force_on_the_day(world):
    p = world.partnership
    with pytest.raises(RuleBroken, match="Fixed penalty limit"):
        record(world, "fpn", offence=offence(p, "CST09"), amount_pence=15000, served_on=D(2024, 3, 1))
    # A later law raises the limit from its commencement date (a placeholder date in this test).
    actions.set_setting(
        world.admin, p, key=SettingKey.FPN_MAX_PENCE, value=50000, effective_from=D(2027, 1, 1), source="test"
    )
    with pytest.raises(RuleBroken, match="Fixed penalty limit"):
        record(world, "fpn", offence=offence(p, "CST09"), amount_pence=15000, served_on=D(2026, 12, 31))
    assert record(world, "fpn", offence=offence(p, "CST09"), amount_pence=15000, served_on=D(2027, 1, 1)).pk
    # Other offences (littering) are not capped by the ASB Act.
    assert record(world, "fpn", offence=offence(p, "CST01"), amount_pence=40000, served_on=D(2024, 3, 1)).pk


def test_fixed_penalty_needs_an_offence_code(world):
    with pytest.raises(RuleBroken, match="Fixed penalty offence"):
        record(world, "fpn", amount_pence=10000, served_on=D(2024, 3, 1))


def test_nothing_is_written_when_a_rule_is_broken(world):
    before = Intervention.objects.count(), world.case.actions.count()
    with pytest.raises(RuleBroken):
        record(world, "cpn", person=world.subject, served_on=D(2024, 3, 1))
    assert (Intervention.objects.count(), world.case.actions.count()) == before
