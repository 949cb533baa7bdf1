"""Permission matrix of the strategy, indicator and commissioned service pages: roles × agencies, another
service's provider user and another partnership (404), anonymous; plus bounded queries."""

import pytest
from django.urls import reverse

from saferhub.governance.tests import strategy_world


@pytest.fixture
def world(db):
    return strategy_world.build()


def sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


NOBODY = {"caseworker": 403, "auditor": 403, "provider": 403, "refuge_caseworker": 403, "other_provider": 403}
READ = {
    "admin": 200,
    "analyst": 200,
    "team_manager": 200,
    "board_member": 200,
    "other_analyst": 200,
    "anonymous": 302,
    **NOBODY,
}
MANAGE = {**READ, "team_manager": 403, "board_member": 403}
# Pages of a service and its returns: the service's own provider user reads them; another service's is 404.
SERVICE_READ = {**READ, "provider": 200, "other_provider": 404}
SERVICE_MANAGE = {**MANAGE, "other_provider": 403}

LISTS = [
    ("governance:strategies", READ),
    ("governance:strategy-add", MANAGE),
    ("governance:services", {**READ, "provider": 200, "other_provider": 200}),
    ("governance:service-add", MANAGE),
]
OBJECTS = [
    ("governance:strategy", "strategy", READ),
    ("governance:priority-add", "strategy", MANAGE),
    ("governance:strategy-edit", "strategy", MANAGE),
    ("governance:priority-edit", "priority", MANAGE),
    ("governance:indicator-add", "priority", MANAGE),
    ("governance:indicator", "entered", READ),
    ("governance:indicator-edit", "from_return", MANAGE),
    ("governance:indicator-target", "entered", MANAGE),
    ("governance:indicator-value", "entered", MANAGE),
    ("governance:strategy-archive", "strategy", MANAGE),
    ("governance:strategy-restore", "strategy", MANAGE),
    ("governance:priority-archive", "priority", MANAGE),
    ("governance:priority-restore", "priority", MANAGE),
    ("governance:service", "service", SERVICE_READ),
    ("governance:kpi-add", "service", SERVICE_MANAGE),
    ("governance:service-edit", "service", SERVICE_MANAGE),
    ("governance:service-archive", "service", SERVICE_MANAGE),
    ("governance:service-restore", "service", SERVICE_MANAGE),
    ("governance:kpi-edit", "clients", SERVICE_MANAGE),
    ("governance:kpi-archive", "clients", SERVICE_MANAGE),
    ("governance:kpi-restore", "clients", SERVICE_MANAGE),
    ("governance:return-request", "service", SERVICE_MANAGE),
    ("governance:return", "provider_return", SERVICE_READ),
    # Only the service's own provider fills in its return.
    (
        "governance:return-edit",
        "provider_return",
        {**{who: 403 for who in READ if who != "anonymous"}, "anonymous": 302, "provider": 200, "other_provider": 404},
    ),
]


# One world per role (the machine is shared): every page is checked for that role, and all mismatches reported.
@pytest.mark.parametrize("who", READ)
def test_every_page_for_each_role(client, world, who):
    sign_in(client, world, who)
    found, wanted = {}, {}
    for name, expected in LISTS:
        found[name], wanted[name] = client.get(reverse(name)).status_code, expected[who]
    for name, obj, expected in OBJECTS:
        status = expected[who]
        if who == "other_analyst" and status == 200:
            status = 404  # another partnership's records
        found[name] = client.get(reverse(name, args=[getattr(world, obj).pk])).status_code
        wanted[name] = status
    assert found == wanted


@pytest.mark.parametrize("who", ["provider", "other_provider"])
def test_a_provider_lists_only_its_own_service(client, world, who):
    sign_in(client, world, who)
    page = client.get(reverse("governance:services")).content.decode()
    mine, theirs = (world.service, world.other_service) if who == "provider" else (world.other_service, world.service)
    assert mine.name in page and theirs.name not in page
    assert "Add a commissioned service" not in page


def test_a_provider_user_cannot_accept_or_send_back(client, world):
    sign_in(client, world, "provider")
    for name in ("governance:return-accept", "governance:return-send-back"):
        response = client.post(reverse(name, args=[world.provider_return.pk]), {"version": 1, "reason": "x"})
        assert response.status_code == 403


def test_a_provider_user_sees_the_service_link_in_the_navigation(client, world):
    sign_in(client, world, "provider")
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("governance:services") in page and reverse("governance:plans") not in page


@pytest.mark.parametrize(
    ("name", "obj"),
    [("governance:strategy", "strategy"), ("governance:indicator", "from_return"), ("governance:service", "service")],
)
def test_pages_run_a_bounded_number_of_queries(client, world, django_assert_max_num_queries, name, obj):
    sign_in(client, world, "analyst")
    with django_assert_max_num_queries(30):
        assert client.get(reverse(name, args=[getattr(world, obj).pk])).status_code == 200


@pytest.mark.parametrize("asked", ["2024/25 q1", "not a period", "2024\x00/25 Q1", ""])
def test_the_figure_page_takes_only_a_real_period_from_its_link(client, world, asked):
    # Anything that is not a period (a NUL byte broke PostgreSQL here) opens the current period instead.
    sign_in(client, world, "analyst")
    response = client.get(reverse("governance:indicator-value", args=[world.entered.pk]), {"period": asked})
    assert response.status_code == 200
    from django.utils import timezone

    from saferhub.governance.periods import period_containing

    current = period_containing(world.entered.frequency, timezone.localdate()).label
    assert response.context["form"].initial["period"] == ("2024/25 Q1" if asked == "2024/25 q1" else current)
