"""Named users of a restricted case."""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import RestrictedAccess
from saferhub.cases.tests.test_case_world import build_world


@pytest.fixture
def world(db):
    return build_world()


def _url(case):
    return reverse("cases:restricted-access", kwargs={"reference": case.reference})


def _remove_url(case, user):
    return reverse("cases:restricted-access-remove", kwargs={"reference": case.reference, "user_pk": user.pk})


def test_name_and_remove_a_user(client, world):
    client.force_login(world.owner)
    page = client.get(_url(world.restricted_case)).content.decode()
    assert "Tobias Teammate" in page  # offered
    assert "Ana Analyst" not in page  # not a caseworker
    response = client.post(_url(world.restricted_case), {"user": world.teammate.pk})
    assert response.status_code == 302
    assert RestrictedAccess.objects.filter(case=world.restricted_case, user=world.teammate).exists()
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, detail__named_user_added=world.teammate.pk).exists()

    client.force_login(world.teammate)
    assert client.get(reverse("cases:detail", kwargs={"reference": world.restricted_case.reference})).status_code == 200

    client.force_login(world.owner)
    client.post(_remove_url(world.restricted_case, world.teammate))
    assert not RestrictedAccess.objects.filter(case=world.restricted_case, user=world.teammate).exists()
    client.force_login(world.teammate)
    assert client.get(reverse("cases:detail", kwargs={"reference": world.restricted_case.reference})).status_code == 404


def test_cannot_remove_yourself(client, world):
    client.force_login(world.owner)
    response = client.post(_remove_url(world.restricted_case, world.owner), follow=True)
    assert "You cannot remove yourself" in response.content.decode()
    assert RestrictedAccess.objects.filter(case=world.restricted_case, user=world.owner).exists()


def test_user_of_another_partnership_cannot_be_named(client, world):
    from saferhub.accounts.models import Role
    from saferhub.accounts.tests.factories import UserFactory

    stranger = UserFactory(roles=[Role.CASEWORKER])
    client.force_login(world.owner)
    response = client.post(_url(world.restricted_case), {"user": stranger.pk})
    assert response.status_code == 200
    assert "Choose a person from the list" in response.content.decode()
    assert not RestrictedAccess.objects.filter(user=stranger).exists()
