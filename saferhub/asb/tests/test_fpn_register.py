"""The fixed penalty register: every FPN the user may see, with or without a case.

FPNs on a case follow the case's visibility; caseless ones (on-the-spot PSPO penalties, imports)
are seen by the team that issued them and by the partnership's ASB team.
"""

import datetime

import pytest
from django.urls import reverse

from saferhub.asb import actions
from saferhub.asb.models import Intervention, InterventionStatus
from saferhub.asb.tests.world import build_world, kind, offence
from saferhub.asb.views import PER_PAGE

D = datetime.date


@pytest.fixture
def world(db):
    w = build_world()
    p = w.partnership
    w.on_case = actions.record_intervention(
        w.owner,
        w.case,
        partnership=p,
        kind=kind(p, "fpn"),
        offence=offence(p, "CST13"),
        amount_pence=10000,
        served_on=D(2024, 3, 1),
        person=w.subject,
    )
    w.on_restricted = actions.record_intervention(
        w.manager,
        w.restricted,
        partnership=p,
        kind=kind(p, "fpn"),
        offence=offence(p, "CST13"),
        amount_pence=10000,
        served_on=D(2024, 3, 2),
    )
    w.pspo = actions.create_pspo(
        w.manager,
        partnership=p,
        name="Invented Town Centre PSPO",
        area="Invented town centre",
        starts_on=D(2024, 1, 1),
        ends_on=D(2026, 12, 31),
        conditions=["No drinking in the street"],
    )
    # Issued on the spot by the Victim Care Hub team (same council, not the ASB team): no case.
    w.on_the_spot = actions.record_pspo_breach(
        w.colleague,
        w.pspo.conditions.get(),
        occurred_on=D(2024, 5, 10),
        fpn_amount_pence=5000,
        fpn_offence=offence(p, "CST09"),
    ).fixed_penalty
    # Imported: no case, issuing team unknown.
    w.imported = actions.record_intervention(
        w.admin,
        None,
        partnership=p,
        kind=kind(p, "fpn"),
        offence=offence(p, "CST13"),
        amount_pence=7500,
        served_on=D(2023, 11, 5),
        historical=True,
        external_ref="OLD-1",
    )
    actions.escalate_fpn(w.owner, w.imported, D(2024, 1, 5))
    actions.record_fpn_payment(w.colleague, w.on_the_spot, D(2024, 5, 12))
    return w


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("asb:fpns"), params)
    assert response.status_code == 200
    return {item.pk for item in response.context["page_obj"]}


@pytest.mark.parametrize(
    "who, expected",
    [
        ("owner", {"on_case", "on_the_spot", "imported"}),  # ASB team: its cases and every caseless FPN
        ("manager", {"on_case", "on_restricted", "on_the_spot", "imported"}),  # named on the restricted case
        ("colleague", {"on_the_spot"}),  # the team that issued it on the spot
        ("other_agency", set()),
        ("shared", {"on_case"}),  # the case is shared with housing
    ],
)
def test_who_sees_which_fixed_penalties(world, client, who, expected):
    assert listed(client, getattr(world, who)) == {getattr(world, name).pk for name in expected}


@pytest.mark.parametrize("who, status", [("analyst", 403), ("admin", 403)])
def test_people_who_do_not_work_cases_cannot_open_it(world, client, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("asb:fpns")).status_code == status


def test_anonymous_visitors_sign_in(world, client):
    response = client.get(reverse("asb:fpns"))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_caseless_fpns_get_the_issuing_team(world):
    assert world.on_the_spot.issuing_team == world.colleague.team and world.on_the_spot.case is None
    assert world.imported.issuing_team is None


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"offence": "CST09"}, {"on_the_spot"}),
        ({"offence": "CST13"}, {"on_case", "imported"}),
        ({"status": "paid"}, {"on_the_spot"}),
        ({"status": "unpaid"}, {"on_case"}),
        ({"status": "escalated"}, {"imported"}),
        ({"served_from": "2024-01-01"}, {"on_case", "on_the_spot"}),
        ({"served_to": "2024-03-31"}, {"on_case", "imported"}),
        ({"served_from": "2024-03-01", "served_to": "2024-03-31", "status": "unpaid"}, {"on_case"}),
    ],
)
def test_filters(world, client, params, expected):
    assert listed(client, world.owner, **params) == {getattr(world, name).pk for name in expected}


def test_a_backwards_date_range_is_explained_and_not_applied(world, client):
    client.force_login(world.owner)
    response = client.get(reverse("asb:fpns"), {"served_from": "2024-04-01", "served_to": "2024-01-01"})
    assert "on or after its start" in response.context["form"].errors["served_to"][0]
    assert "govuk-error-summary" in response.content.decode()
    assert {i.pk for i in response.context["page_obj"]} == {world.on_the_spot.pk}  # the valid "from" still applies


def test_a_bad_date_is_explained(world, client):
    client.force_login(world.owner)
    response = client.get(reverse("asb:fpns"), {"served_from": "yesterday"})
    assert response.context["form"].errors["served_from"]


def test_paginated_with_bounded_queries(world, client, django_assert_max_num_queries):
    p = world.partnership
    for n in range(PER_PAGE + 5):
        actions.record_intervention(
            world.colleague,
            None,
            partnership=p,
            kind=kind(p, "fpn"),
            offence=offence(p, "CST13"),
            amount_pence=5000,
            served_on=D(2024, 2, 1) + datetime.timedelta(days=n % 20),
            person=world.subject if n % 2 else None,
            served_on_name="" if n % 2 else "Invented Kebab House",
        )
    client.force_login(world.owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("asb:fpns"))
    page = response.context["page_obj"]
    assert len(page.object_list) == PER_PAGE and page.has_next
    second = client.get(reverse("asb:fpns"), {"after": page.next_cursor})
    assert len(second.context["page_obj"].object_list) == 8
    assert Intervention.objects.filter(status=InterventionStatus.UNPAID, case__isnull=True).count() == PER_PAGE + 5
