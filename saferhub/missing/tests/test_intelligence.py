"""Contextual safeguarding through the pages: a CEAM meeting's information recorded by the coordinator, and the
ward map of places of concern drawn from imported ward boundaries, counting only what each reader may see."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhub import policy
from saferhub.crime.tests.test_maps import WARDS, collection
from saferhub.missing import actions
from saferhub.missing.models import Group, IntelLink, LinkSource, PlaceKind, PlaceOfConcern, Visibility
from saferhub.missing.network import ward_map
from saferhub.missing.tests.world import build_world, with_intelligence
from saferhub.places.tests.factories import WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return with_intelligence(build_world())


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_ceam_meeting_hears_the_child_and_links_them_to_a_place_and_a_group(world):
    """Done means: the CEAM coordinator records the place and the group the meeting heard of, and links the
    child to both with the source "CEAM meeting"; the links show on the child's network."""
    client = signed_in(world.coordinator)
    today = timezone.localdate()
    response = client.post(
        reverse("missing:place-new"),
        {
            "name": "Testing bus garage",
            "kind": PlaceKind.TRANSPORT_HUB,
            "description": "Young people seen waiting for cars",
            "identified_on": today.isoformat(),
            "visibility": Visibility.CEAM,
        },
    )
    assert response.status_code == 302
    place = PlaceOfConcern.objects.get(name="Testing bus garage")
    assert response.url == reverse("missing:place", args=[place.pk])
    response = client.post(
        reverse("missing:group-new"),
        {"name": "Testing Garage boys", "identified_on": today.isoformat(), "visibility": Visibility.CEAM},
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Testing Garage boys")
    # The link form opened from the child's page names the child.
    form = client.get(reverse("missing:link-new"), {"person": world.child_person.pk}).context["form"]
    assert form.initial["person"] == world.child_person.pk
    for values in ({"place": place.pk}, {"group": group.pk, "role": "associate"}):
        response = client.post(
            reverse("missing:link-new"),
            {
                "person": world.child_person.pk,
                "source": LinkSource.CEAM,
                "recorded_on": today.isoformat(),
                "visibility": Visibility.CEAM,
                "notes": "Heard at the CEAM meeting",
                **values,
            },
        )
        assert response.status_code == 302 and response.url == reverse("missing:intelligence")
    links = IntelLink.objects.filter(person=world.child_person, source=LinkSource.CEAM)
    assert {(link.place_id, link.group_id) for link in links} == {(place.pk, None), (None, group.pk)}
    assert all(link.recorded_by == world.coordinator for link in links)

    page = client.get(reverse("missing:child", args=[world.child.pk]))
    rows = {tuple(row["joins"]): row["link"] for row in page.context["link_rows"]}
    assert rows[(("Young person", "Tia Testchild"), ("Place", "Testing bus garage"))].source == LinkSource.CEAM
    assert rows[(("Young person", "Tia Testchild"), ("Group", "Testing Garage boys"))].role == "associate"
    html = page.content.decode()
    start = html.index('<title id="child-network-title">')
    network = html[start : html.index("</svg>", start)]
    assert "Place: Testing bus garage" in network and "Group: Testing Garage boys" in network
    assert html.count("CEAM meeting</td>") == 2 and "Associate" in html
    # Shared with the meeting: a CEAM member agency's caseworker sees the child's link on the group's page.
    group_page = signed_in(world.other_agency).get(reverse("missing:group", args=[group.pk]))
    assert [row["link"].source for row in group_page.context["link_rows"]] == [LinkSource.CEAM]


@pytest.fixture
def wards(world, tmp_path):
    """The two wards of the crime map tests, as wards of the partnership and as imported boundaries."""
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps(collection("WD22", WARDS)))
    call_command(
        "import_records", "boundaries", str(path), "--partnership", world.partnership.slug, stdout=io.StringIO()
    )
    return {
        code: WardFactory.create(partnership=world.partnership, code=code, name=name) for code, name, _shape in WARDS
    }


def test_the_ward_map_draws_and_counts_the_places_each_reader_may_see(world, wards):
    vale, park = wards["E05999901"], wards["E05999902"]
    PlaceOfConcern.objects.filter(pk__in=[world.place_team.pk, world.place_ceam.pk]).update(ward=vale)
    day = timezone.localdate()
    place = {"identified_on": day, "kind": PlaceKind.OTHER}
    for name, visibility in (("Testing garages", Visibility.CEAM), ("Testing stairwell", Visibility.TEAM)):
        actions.create_place(world.coordinator, world.partnership, name=name, ward=park, visibility=visibility, **place)
    actions.create_place(world.coordinator, world.partnership, name="Testing alley", ward=park, **place)
    gone = actions.create_place(world.coordinator, world.partnership, name="Testing old den", ward=park, **place)
    PlaceOfConcern.objects.filter(pk=gone.pk).update(active=False)  # no longer of concern: not counted
    actions.create_place(world.coordinator, world.partnership, name="Testing nowhere", **place)  # no ward

    coordinator = signed_in(world.coordinator).get(reverse("missing:intelligence"))
    assert coordinator.context["ward_rows"] == [("Made-up Park", 3), ("Invented Vale", 2)]
    svg = str(coordinator.context["ward_map"])
    assert svg.startswith("<svg") and svg.count("<path") == 2
    assert "<title>Made-up Park: 3</title>" in svg and "<title>Invented Vale: 2</title>" in svg
    html = coordinator.content.decode()
    assert svg in html and "No ward boundaries are held" not in html
    cell = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    assert f'<th scope="row" class="govuk-table__header">Made-up Park</th>{cell}3</td>' in html

    # A caseworker of a CEAM member agency: only the places shared with the meeting are counted and drawn.
    member = signed_in(world.other_agency).get(reverse("missing:intelligence"))
    assert member.context["ward_rows"] == [("Invented Vale", 1), ("Made-up Park", 1)]
    svg = str(member.context["ward_map"])
    assert "<title>Made-up Park: 1</title>" in svg and "<title>Invented Vale: 1</title>" in svg
    html = member.content.decode()
    assert "Testing stairwell" not in html and "Testing flat above a shop" not in html

    # A provider that is not a CEAM member may not see any place: the page refuses, and nothing would be counted.
    assert signed_in(world.worker).get(reverse("missing:intelligence")).status_code == 403
    svg, rows = ward_map(world.partnership, policy.visible_places(world.worker))
    assert rows == [] and svg is not None and "Made-up Park: no data" in svg and "Invented Vale: no data" in svg


def test_without_boundaries_the_ward_table_alone_is_shown(world):
    ward = WardFactory.create(partnership=world.partnership, code="E05999901", name="Invented Vale")
    PlaceOfConcern.objects.filter(pk=world.place_ceam.pk).update(ward=ward)
    response = signed_in(world.coordinator).get(reverse("missing:intelligence"))
    assert response.context["ward_map"] is None and response.context["ward_rows"] == [("Invented Vale", 1)]
    assert "No ward boundaries are held" in response.content.decode()
