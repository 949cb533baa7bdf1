"""QA regressions: the directory's forms name what is wrong, and an empty result says what to do next."""

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.directory.models import Category, Service, ServiceCategory
from saferhub.victims.tests.world import build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.users["manager"] = UserFactory(team=world.hub, full_name="Mo Manager", roles=[Role.TEAM_MANAGER])
    return world


def test_the_service_form_names_each_problem(world):
    response = client_for(world, "manager").post(
        "/directory/new/", {"area": "local", "email": "not-an-address", "website": "not a site"}
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter the service’s name"]
    assert errors["email"] == ["Enter an e-mail address in the correct format, like name@example.org"]
    assert errors["website"] == ["Enter the website address in the correct format, like https://www.example.org"]
    assert not Service.objects.exists()


def test_an_empty_search_offers_to_show_every_service(world):
    service = Service.objects.create(partnership=world.partnership, name="Oakfield Pantry", how_to_refer="Phone")
    ServiceCategory.objects.create(service=service, category=Category.FOOD_BANK)
    client = client_for(world, "owner")
    content = client.get("/directory/", {"q": "nothing like it"}).content.decode()
    assert "No service matches your search." in content and 'href="/directory/"' in content
    Service.objects.all().delete()
    assert "The directory has no services yet." in client.get("/directory/").content.decode()
