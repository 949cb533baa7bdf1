import pytest
from django.test import RequestFactory

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.core.context_processors import saferhub

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("roles", "shown", "hidden"),
    [
        (
            [Role.CASEWORKER],
            {"Cases", "Referrals", "People", "Panels", "ASB", "Services"},
            {"Reports", "Audit", "Crime", "Boards"},
        ),
        (
            [Role.ANALYST],
            {"Reports", "Victim Care Hub", "Crime", "Boards"},
            {"Cases", "People", "Administration", "Audit"},
        ),
        ([Role.BOARD_MEMBER], {"Crime", "Boards"}, {"Cases", "People", "Administration", "Audit"}),
        ([Role.PARTNERSHIP_ADMIN], {"Administration", "Services"}, {"Cases", "People", "Audit"}),
        ([Role.AUDITOR], {"Audit"}, {"Cases", "Reports", "Administration", "Crime", "Boards"}),
    ],
)
def test_navigation_follows_roles(roles, shown, hidden):
    request = RequestFactory().get("/cases/")
    request.user = UserFactory(roles=roles)
    labels = {item["label"] for item in saferhub(request)["nav_items"]}
    assert shown <= labels
    assert not hidden & labels
