"""A submitted provider return is counted the same in the analyst's inbox, on the home page and on the
commissioned services page: all three read the inbox's provider-return kind."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.governance import actions
from saferhub.governance.tests import strategy_world

pytestmark = pytest.mark.django_db


def _submit(world, who, provider_return, kpis):
    provider_return.refresh_from_db()
    return actions.save_return(
        world.users[who],
        provider_return,
        values={kpi.pk: Decimal(10) for kpi in kpis},
        narrative="A synthetic quarter",
        case_studies="",
        submit=True,
        expected_version=provider_return.version,
    )


def _counts(user):
    client = Client()
    client.force_login(user)
    inbox = client.get(reverse("core:inbox"), {"kind": "provider_return"})
    home = client.get(reverse("core:home"))
    services = client.get(reverse("governance:services"))
    assert inbox.status_code == home.status_code == services.status_code == 200
    return (
        {q["kind"]: q["count"] for q in inbox.context["queues"]}.get("provider_return"),
        {q["kind"]: q["count"] for q in home.context["inbox_queues"]}.get("provider_return"),
        services.context["submitted_count"],
        inbox,
        services,
    )


def test_a_submitted_return_counts_the_same_in_the_inbox_on_home_and_on_the_services_page():
    world = strategy_world.build()
    analyst = world.users["analyst"]
    assert _counts(analyst)[:3] == (0, 0, 0)

    _submit(world, "provider", world.provider_return, [world.clients, world.safer])
    inbox_count, home_count, services_count, inbox, services = _counts(analyst)
    assert (inbox_count, home_count, services_count) == (1, 1, 1)
    assert [item.pk for item in inbox.context["page"].items] == [world.provider_return.pk]
    page = services.content.decode()
    assert 'data-count="provider_return">1<' in page
    assert f'href="{reverse("governance:return", args=[world.provider_return.pk])}"' in page

    # A return submitted before its service was archived still awaits acceptance: the inbox holds
    # it, and so does the services page.
    other = world.other_return
    _submit(world, "other_provider", other, list(world.other_service.kpis.all()))
    actions.archive(analyst, world.other_service, reason="Synthetic: contract ended")
    assert _counts(analyst)[:3] == (2, 2, 2)

    # Accepted, it leaves all three.
    world.provider_return.refresh_from_db()
    actions.accept_return(analyst, world.provider_return, expected_version=world.provider_return.version)
    assert _counts(analyst)[:3] == (1, 1, 1)
