"""Who may use the retention and subject access pages: a matrix over every kind of user."""

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.cases.models import Case
from saferhub.retention.tests.world import build_world

pytestmark = pytest.mark.django_db

# Users: partnership administrator, the owning (hub) team's manager, another team's manager,
# a caseworker in the owning team, an analyst, an auditor, an administrator of another partnership.
USERS = ["admin", "manager", "other_manager", "owner", "analyst", "auditor", "outside_admin", "anonymous"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        # Built once for the module; each test runs in its own rolled-back transaction on top.
        atomic = transaction.atomic()
        atomic.__enter__()
        yield build_world()
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def client_for(world, who):
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def status(world, who, url, method="get", data=None):
    response = getattr(client_for(world, who), method)(url, data or {})
    if who == "anonymous":
        return "login" if response.status_code == 302 and "sign-in" in response["Location"] else response.status_code
    return response.status_code


# The queue and the erased list: reviewers only. An administrator elsewhere is not one here: 403 (they have
# no role in this partnership's retention, and the page discloses nothing).
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", 200),
        ("manager", 200),
        ("other_manager", 200),
        ("owner", 403),
        ("analyst", 403),
        ("auditor", 403),
        ("outside_admin", 200),
        ("anonymous", "login"),
    ],
)
@pytest.mark.parametrize("name", ["retention:queue", "retention:erased"])
def test_review_pages(world, who, expected, name):
    assert status(world, who, reverse(name)) == expected


def test_the_queue_lists_only_the_reviewers_cases(world):
    def listed(who):
        page = client_for(world, who).get(reverse("retention:queue"))
        return [case.reference for case, _ in page.context["rows"]]

    closed_in_2018 = {case.reference for case in Case.objects.filter(closed_on__year=2018)}
    assert len(closed_in_2018) == 3 and set(listed("admin")) == closed_in_2018
    assert listed("manager") == listed("admin")  # the hub owns every imported case
    assert listed("other_manager") == []
    assert listed("outside_admin") == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", 200),
        ("manager", 200),
        ("other_manager", 404),
        ("owner", 403),
        ("analyst", 403),
        ("auditor", 403),
        ("outside_admin", 404),
        ("anonymous", "login"),
    ],
)
def test_erase_page(world, who, expected):
    assert status(world, who, reverse("retention:erase", args=[world.old.reference])) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", 200),
        ("manager", 403),
        ("other_manager", 403),
        ("owner", 403),
        ("analyst", 403),
        ("auditor", 403),
        ("outside_admin", 200),
        ("anonymous", "login"),
    ],
)
@pytest.mark.parametrize("name", ["retention:rules", "retention:subject-access"])
def test_administrator_pages(world, who, expected, name):
    assert status(world, who, reverse(name)) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", 200),
        ("manager", 403),
        ("owner", 403),
        ("analyst", 403),
        ("auditor", 403),
        ("outside_admin", 404),
        ("anonymous", "login"),
    ],
)
@pytest.mark.parametrize("name", ["retention:subject-access-person", "retention:subject-access-export"])
def test_subject_access_of_a_person(world, who, expected, name):
    assert status(world, who, reverse(name, args=[world.bea.pk])) == expected


@pytest.mark.parametrize(("who", "expected"), [("admin", 200), ("outside_admin", 404), ("manager", 403)])
def test_retention_period_page(world, who, expected):
    assert status(world, who, reverse("retention:rule-edit", args=[world.old.case_type_id])) == expected


def test_a_restricted_case_is_reviewed_only_by_those_named_on_it(world):
    from saferhub.cases.models import RestrictedAccess

    Case.objects.filter(pk=world.old.pk).update(restricted=True)
    RestrictedAccess.objects.create(case=world.old, user=world.manager)
    url = reverse("retention:erase", args=[world.old.reference])
    assert status(world, "manager", url) == 200
    assert status(world, "admin", url) == 404
    queue = client_for(world, "admin").get(reverse("retention:queue")).context["rows"]
    assert world.old.pk not in [case.pk for case, _ in queue]
