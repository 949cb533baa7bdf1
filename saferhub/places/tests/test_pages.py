"""The ward, LSOA and population pages: who may open them, what they change, version checks, audit, queries."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.places.models import Lsoa, Population, PopulationMeasure, Ward
from saferhub.places.tests.factories import LsoaFactory, PopulationFactory, WardFactory


@pytest.fixture
def world(db):
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership", areas=["E09000901"])
    team = TeamFactory(agency=AgencyFactory(partnership=partnership, name="Northbrook Council"))
    other = PartnershipFactory(name="Southmere Safer Communities Partnership")
    ward = WardFactory(partnership=partnership, name="Mill & Meadow", code="E05900001")
    return SimpleNamespace(
        partnership=partnership,
        ward=ward,
        lsoa=LsoaFactory(ward=ward, code="E01900001", name="Northbrook 001A"),
        figure=PopulationFactory(partnership=partnership, measure=PopulationMeasure.WOMEN_16_PLUS, value=101_000),
        users={
            "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
            "analyst": UserFactory(team=team, roles=[Role.ANALYST]),
            "caseworker": UserFactory(team=team, roles=[Role.CASEWORKER]),
            "team_manager": UserFactory(team=team, roles=[Role.TEAM_MANAGER]),
            "board_member": UserFactory(team=team, roles=[Role.BOARD_MEMBER]),
            "auditor": UserFactory(team=team, roles=[Role.AUDITOR]),
            "other_admin": UserFactory(
                team=TeamFactory(agency=AgencyFactory(partnership=other)), roles=[Role.PARTNERSHIP_ADMIN]
            ),
            "anonymous": None,
        },
    )


def sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


READ_LIST = ["places:wards", "places:population"]
MANAGE_LIST = ["places:ward-add", "places:population-add"]
READ_OBJECT = [("places:ward", "ward")]
MANAGE_OBJECT = [
    ("places:ward-rename", "ward"),
    ("places:ward-disable", "ward"),
    ("places:ward-enable", "ward"),
    ("places:lsoa-add", "ward"),
    ("places:lsoa-disable", "lsoa"),
    ("places:lsoa-enable", "lsoa"),
    ("places:population-edit", "figure"),
]
NOBODY = {"caseworker": 403, "team_manager": 403, "board_member": 403, "auditor": 403, "anonymous": 302}
READ = {"admin": 200, "analyst": 200, "other_admin": 200, **NOBODY}
MANAGE = {"admin": 200, "analyst": 403, "other_admin": 200, **NOBODY}


@pytest.mark.parametrize("who", READ)
@pytest.mark.parametrize("name", READ_LIST + MANAGE_LIST)
def test_list_pages(client, world, who, name):
    sign_in(client, world, who)
    expected = (READ if name in READ_LIST else MANAGE)[who]
    assert client.get(reverse(name)).status_code == expected


@pytest.mark.parametrize("who", READ)
@pytest.mark.parametrize(("name", "obj"), READ_OBJECT + MANAGE_OBJECT)
def test_object_pages_are_404_to_other_partnerships(client, world, who, name, obj):
    sign_in(client, world, who)
    expected = {**(READ if (name, obj) in READ_OBJECT else MANAGE), "other_admin": 404}[who]
    assert client.get(reverse(name, args=[getattr(world, obj).pk])).status_code == expected


def test_an_analyst_cannot_post_a_change(client, world):
    sign_in(client, world, "analyst")
    url = reverse("places:ward-rename", args=[world.ward.pk])
    assert client.post(url, {"name": "Changed", "code": "", "version": 1}).status_code == 403
    world.ward.refresh_from_db()
    assert world.ward.name == "Mill & Meadow"


def test_other_partnerships_admin_sees_only_their_own_wards(client, world):
    sign_in(client, world, "other_admin")
    assert "Mill &amp; Meadow" not in client.get(reverse("places:wards")).content.decode()
    assert "101,000" not in client.get(reverse("places:population")).content.decode()


def test_ward_list_counts_lsoas_in_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(20):
        ward = WardFactory(partnership=world.partnership)
        LsoaFactory(ward=ward)
        LsoaFactory(ward=ward, active=False)
    sign_in(client, world, "admin")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("places:wards"))
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "21 wards" in page and "(and 1 disabled)" in page


def test_ward_page_names_a_london_authority(client, world):
    world.ward.local_authority_code = "E09000021"
    world.ward.save()
    sign_in(client, world, "analyst")
    page = client.get(reverse("places:ward", args=[world.ward.pk])).content.decode()
    assert "Kingston upon Thames (E09000021)" in page
    assert "Add an LSOA" not in page  # analysts read only


def test_ward_and_population_pages_query_counts(client, world, django_assert_max_num_queries):
    for n in range(30):
        LsoaFactory(ward=world.ward)
        PopulationFactory(partnership=world.partnership, year=1990 + n)
    sign_in(client, world, "admin")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("places:ward", args=[world.ward.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("places:population")).status_code == 200


def test_add_ward_audited_and_names_clash_regardless_of_case_and_ampersand(client, world):
    admin = sign_in(client, world, "admin")
    response = client.post(reverse("places:ward-add"), {"name": "mill and  meadow", "code": ""})
    assert "There is already a ward called Mill &amp; Meadow: give this ward another name" in response.content.decode()
    response = client.post(reverse("places:ward-add"), {"name": "Upper Green", "code": "e05900001"})
    assert "Another ward already has the code E05900001: check the code" in response.content.decode()
    response = client.post(reverse("places:ward-add"), {"name": "Upper Green", "code": "X1"})
    assert "Enter the ONS ward code as a letter and 8 digits, like E05013636" in response.content.decode()
    response = client.post(reverse("places:ward-add"), {"name": "Upper Green", "code": "E05900002"})
    ward = Ward.objects.get(name="Upper Green")
    assert response.status_code == 302 and ward.code == "E05900002" and ward.partnership == world.partnership
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="places.ward")
    assert (event.user, event.object_id) == (admin, str(ward.pk))


def test_rename_is_refused_when_someone_else_saved_first(client, world):
    sign_in(client, world, "admin")
    url = reverse("places:ward-rename", args=[world.ward.pk])
    assert client.post(url, {"name": "Mill Meadow", "code": "E05900001", "version": 1}).status_code == 302
    stale = client.post(url, {"name": "Old Mill", "code": "E05900001", "version": 1})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "This ward was changed by someone else after you opened it" in page
    assert "Your entries that differ from the saved record: Ward name." in page
    assert 'value="Mill Meadow"' in page  # the form shows the ward as it now is
    world.ward.refresh_from_db()
    assert (world.ward.name, world.ward.version) == ("Mill Meadow", 2)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="places.ward")
    assert event.detail["before"] == {"name": "Mill & Meadow", "code": "E05900001"}


def test_disable_and_enable_a_ward_with_version_check(client, world):
    sign_in(client, world, "admin")
    disable = reverse("places:ward-disable", args=[world.ward.pk])
    assert client.post(disable, {"version": 1}).status_code == 302
    world.ward.refresh_from_db()
    assert not world.ward.active
    # A second page opened before the change still carries version 1.
    stale = client.post(reverse("places:ward-enable", args=[world.ward.pk]), {"version": 1})
    assert stale.status_code == 409 and "changed by someone else" in stale.content.decode()
    assert client.post(reverse("places:ward-enable", args=[world.ward.pk]), {"version": 2}).status_code == 302
    world.ward.refresh_from_db()
    assert world.ward.active
    assert AuditEvent.objects.filter(object_type="places.ward", action=AuditAction.UPDATE).count() == 2


def test_add_and_disable_an_lsoa(client, world):
    sign_in(client, world, "admin")
    other_ward = WardFactory(partnership=world.partnership, name="Upper Green")
    add = reverse("places:lsoa-add", args=[other_ward.pk])
    clash = client.post(add, {"code": "e01900001", "name": ""})
    assert "LSOA E01900001 is already in the ward Mill &amp; Meadow" in clash.content.decode()
    assert "Enter the ONS LSOA code" in client.post(add, {"code": "E05900001"}).content.decode()
    assert client.post(add, {"code": "E01900002", "name": "Northbrook 001B"}).status_code == 302
    lsoa = Lsoa.objects.get(code="E01900002")
    assert lsoa.ward == other_ward
    assert client.post(reverse("places:lsoa-disable", args=[lsoa.pk]), {"version": 1}).status_code == 302
    lsoa.refresh_from_db()
    assert not lsoa.active
    assert AuditEvent.objects.filter(object_type="places.lsoa").count() == 2


def test_population_add_and_edit(client, world):
    sign_in(client, world, "admin")
    add = reverse("places:population-add")
    duplicate = {"area_code": "e09000901", "area_name": "", "year": "2021", "measure": "women_16_plus", "value": "1"}
    page = client.post(add, duplicate).content.decode()
    assert "There is already a figure for this area, measure and year: change that one" in page
    bad = client.post(add, {"area_code": "", "year": "twenty", "measure": "", "value": "-1"}).content.decode()
    assert "Enter the year as 4 digits, like 2021" in bad
    assert "Choose what the figure counts" in bad
    assert "The figure cannot be negative" in bad
    whole = {"area_code": "", "area_name": "", "year": "2022", "measure": "residents", "value": "250000"}
    assert client.post(add, whole).status_code == 302
    assert Population.objects.get(year=2022).area_code == ""
    edit = reverse("places:population-edit", args=[world.figure.pk])
    assert client.post(edit, {"area_name": "Northbrook", "value": "102000", "version": 1}).status_code == 302
    stale = client.post(edit, {"area_name": "Northbrook", "value": "1", "version": 1})
    assert (
        stale.status_code == 409 and "Your entries that differ from the saved record: Figure." in stale.content.decode()
    )
    world.figure.refresh_from_db()
    assert (world.figure.value, world.figure.version) == (102_000, 2)
    event = AuditEvent.objects.get(object_type="places.population", action=AuditAction.UPDATE)
    assert event.detail["before"] == {"value": 101_000, "area_name": "Inventedshire"}


def test_population_list_filters_and_links_the_upload(client, world):
    PopulationFactory(partnership=world.partnership, area_code="E09000902", area_name="Otherton", value=7)
    sign_in(client, world, "admin")
    page = client.get(reverse("places:population"), {"area": "otherton"}).content.decode()
    assert "Otherton" in page and "101,000" not in page
    assert reverse("imports:upload") + "?kind=population" in page
    page = client.get(reverse("places:population"), {"measure": "women_16_plus"}).content.decode()
    assert "101,000" in page and "Otherton" not in page
