"""The directory of support services: search and filter, who may change it, archive not delete."""

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.directory.models import Category, Service, ServiceCategory
from saferhub.victims.tests.world import build_world, client_for

pytestmark = pytest.mark.django_db


def service(world, name, *categories, **fields):
    fields.setdefault("how_to_refer", "Fill in the online form")
    made = Service.objects.create(partnership=world.partnership, name=name, **fields)
    for category in categories:
        ServiceCategory.objects.create(service=made, category=category)
    return made


@pytest.fixture
def world():
    world = build_world()
    world.users["manager"] = UserFactory(team=world.hub, full_name="Mo Manager", roles=[Role.TEAM_MANAGER])
    world.calm = service(world, "Calm Talk Mediation", Category.RESTORATIVE_JUSTICE, description="Mediation and RJ")
    world.pantry = service(world, "Oakfield Community Pantry", Category.FOOD_BANK)
    return world


def test_search_and_filter_by_category(world):
    client = client_for(world, "owner")
    names = lambda response: [s.name for s in response.context["page_obj"]]  # noqa: E731
    assert names(client.get("/directory/")) == ["Calm Talk Mediation", "Oakfield Community Pantry"]
    assert names(client.get("/directory/", {"category": "food_bank"})) == ["Oakfield Community Pantry"]
    assert names(client.get("/directory/", {"q": "mediation"})) == ["Calm Talk Mediation"]


@pytest.mark.parametrize(
    ("who", "read", "change"),
    [
        ("owner", 200, 403),
        ("manager", 200, 200),
        ("admin", 200, 200),
        ("analyst", 403, 403),
        ("other_agency", 200, 403),
    ],
)
def test_who_reads_and_who_changes(world, who, read, change):
    client = client_for(world, who)
    assert client.get("/directory/").status_code == read
    assert client.get(f"/directory/{world.calm.pk}/").status_code == read
    assert client.get("/directory/new/").status_code == change
    assert client.get(f"/directory/{world.calm.pk}/edit/").status_code == change


def test_add_change_and_archive_a_service(world):
    client = client_for(world, "manager")
    data = {
        "name": "Brightwell Counselling", "categories": ["trauma_therapy", "mental_health"], "area": "local",
        "how_to_refer": "Phone the duty line", "phone": "01632 960000", "email": "", "website": "",
        "description": "", "area_notes": "",
    }  # fmt: skip
    response = client.post("/directory/new/", data)
    made = Service.objects.get(name="Brightwell Counselling")
    assert response.status_code == 302
    assert sorted(made.categories.values_list("category", flat=True)) == ["mental_health", "trauma_therapy"]
    client.post(
        f"/directory/{made.pk}/edit/",
        data | {"categories": ["trauma_therapy"], "area": "online", "version": made.version},
    )
    made.refresh_from_db()
    assert made.area == "online" and list(made.categories.values_list("category", flat=True)) == ["trauma_therapy"]
    duplicate = client.post("/directory/new/", data | {"name": "calm talk mediation"})
    assert "already has a service called" in duplicate.context["form"].errors["name"][0]
    client.post(f"/directory/{made.pk}/archive/", {"reason": "Service closed"})
    made.refresh_from_db()
    assert made.is_archived
    assert "Brightwell Counselling" not in [s.name for s in client.get("/directory/").context["page_obj"]]


def test_the_list_runs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for number in range(10):
        service(world, f"Service {number:02d}", Category.HOUSING, Category.SAFETY)
    client = client_for(world, "owner")
    with django_assert_max_num_queries(12):
        assert client.get("/directory/").status_code == 200
