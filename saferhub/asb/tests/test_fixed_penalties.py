"""Fixed penalties: early payment discount, payment, escalation; PSPOs and their breaches."""

import datetime

import pytest
from django.utils import timezone

from saferhub.asb import actions
from saferhub.asb.models import InterventionStatus, PspoBreach
from saferhub.asb.rules import RuleBroken
from saferhub.asb.tests.world import build_world, kind, offence

D = datetime.date


@pytest.fixture
def world(db):
    return build_world()


SERVED_ON = D(2024, 3, 1)


def fpn(w, served_on=SERVED_ON, amount=10000):
    return actions.record_intervention(
        w.owner,
        w.case,
        partnership=w.partnership,
        kind=kind(w.partnership, "fpn"),
        offence=offence(w.partnership, "CST13"),
        amount_pence=amount,
        served_on=served_on,
        person=w.subject,
    )


def test_thirty_percent_discount_within_fourteen_days(world):
    item = fpn(world)
    assert (item.discount_percent, item.discount_until, item.status) == (30, D(2024, 3, 15), InterventionStatus.UNPAID)
    assert item.amount_due(D(2024, 3, 15)) == 7000
    assert item.amount_due(D(2024, 3, 16)) == 10000
    actions.record_fpn_payment(world.owner, item, D(2024, 3, 10))
    item.refresh_from_db()
    assert (item.paid_pence, item.status) == (7000, InterventionStatus.PAID)


def test_unpaid_penalty_escalates_to_prosecution_and_cannot_then_be_paid(world):
    item = fpn(world)
    actions.escalate_fpn(world.owner, item, D(2024, 4, 20))
    assert item.status == InterventionStatus.PROSECUTION and item.escalated_to_prosecution
    with pytest.raises(ValueError):
        actions.record_fpn_payment(world.owner, item, D(2024, 4, 21))


def test_paid_penalty_cannot_be_escalated(world):
    item = fpn(world)
    actions.record_fpn_payment(world.owner, item, D(2024, 3, 20))
    with pytest.raises(ValueError):
        actions.escalate_fpn(world.owner, item, D(2024, 4, 20))


PSPO_START, PSPO_END = D(2022, 12, 1), D(2025, 11, 30)


def _pspo(w, starts=PSPO_START, ends=PSPO_END):
    return actions.create_pspo(
        w.manager,
        partnership=w.partnership,
        name="Invented borough-wide PSPO",
        area="The whole invented borough",
        starts_on=starts,
        ends_on=ends,
        conditions=["No fires in green spaces", "Pick up dog fouling"],
    )


def test_pspo_lasts_at_most_three_years_and_renewals_too(world):
    with pytest.raises(RuleBroken, match="PSPO up to 3 years"):
        _pspo(world, ends=D(2025, 12, 1))
    pspo = _pspo(world)
    assert list(pspo.conditions.values_list("number", flat=True)) == [1, 2]
    with pytest.raises(RuleBroken, match="PSPO renewal up to 3 years"):
        actions.renew_pspo(world.manager, pspo, renewed_on=D(2025, 11, 1), new_ends_on=D(2028, 11, 1))
    actions.renew_pspo(world.manager, pspo, renewed_on=D(2025, 11, 1), new_ends_on=D(2028, 10, 31))
    assert pspo.ends_on == D(2028, 10, 31) and pspo.renewals.count() == 1
    with pytest.raises(RuleBroken, match="PSPO renewal"):
        actions.renew_pspo(world.manager, pspo, renewed_on=D(2028, 11, 2), new_ends_on=D(2029, 1, 1))


def test_breach_links_to_the_condition_and_the_fixed_penalty(world):
    pspo = _pspo(world)
    condition = pspo.conditions.get(number=1)
    breach = actions.record_pspo_breach(
        world.owner,
        condition,
        occurred_on=D(2023, 7, 1),
        place="Invented Park",
        fpn_amount_pence=10000,
        fpn_offence=offence(world.partnership, "CST09"),
    )
    assert breach.fixed_penalty.pspo_condition == condition and breach.fixed_penalty.offence.code == "CST09"
    with pytest.raises(RuleBroken, match="Fixed penalty limit"):
        actions.record_pspo_breach(
            world.owner,
            condition,
            occurred_on=D(2023, 7, 2),
            fpn_amount_pence=20000,
            fpn_offence=offence(world.partnership, "CST09"),
        )
    with pytest.raises(RuleBroken, match="PSPO in force"):
        actions.record_pspo_breach(world.owner, condition, occurred_on=D(2022, 11, 1))
    assert PspoBreach.objects.count() == 1


def test_review_date_reminder_is_an_action_on_the_case(world):
    today = timezone.localdate()
    actions.record_intervention(
        world.owner,
        world.case,
        partnership=world.partnership,
        kind=kind(world.partnership, "abc"),
        person=world.subject,
        served_on=today,
        expires_on=today + datetime.timedelta(days=180),
    )
    action = world.case.actions.get()
    assert action.due_on == today + datetime.timedelta(days=28) and action.owner == world.owner
    assert "Review the acceptable behaviour contract" in action.title


def test_a_penalty_with_no_recorded_amount_can_still_be_paid_in_the_browser_form(world, client):
    from django.urls import reverse

    item = fpn(world)
    type(item).objects.filter(pk=item.pk).update(amount_pence=None)  # as an import without amount_pence leaves it
    client.force_login(world.owner)
    url = reverse("asb:fpn-payment", kwargs={"reference": world.case.reference, "pk": item.pk})
    assert "not recorded" in client.get(url).content.decode()
    response = client.post(url, {"paid_on": "2024-03-10"}, follow=True)
    assert response.status_code == 200 and "Payment recorded" in response.content.decode()
    item.refresh_from_db()
    assert (item.paid_on, item.paid_pence, item.status) == (D(2024, 3, 10), None, InterventionStatus.PAID)
