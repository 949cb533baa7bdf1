"""Who may open which missing-children page, and what exploitation intelligence each role and agency sees.

The matrix: the coordinators (owning team), a same-agency colleague in another team, another agency
(the police: both are CEAM members), the out-of-borough provider's worker the interview is assigned to,
the Early Help Hub the child's case is shared with (not a CEAM member), an analyst, another
partnership's coordinator and anonymous.
"""

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.missing.tests.world import build_world, with_intelligence

pytestmark = pytest.mark.django_db

WHO = ("coordinator", "manager", "colleague", "other_agency", "worker", "shared", "analyst", "outsider", "anonymous")


@pytest.fixture
def world():
    return with_intelligence(build_world())


def status(world, who, url):
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response.url
        return "sign-in"
    return response.status_code


def table(*codes):
    return list(zip(WHO, (*codes, "sign-in"), strict=True))


def url(world, name):
    episode, child = world.episode.pk, world.child.pk
    return {
        "index": reverse("missing:index"),
        "interviews": reverse("missing:interviews"),
        "child": reverse("missing:child", args=[child]),
        "episode": reverse("missing:episode", args=[episode]),
        "episode-edit": reverse("missing:episode-edit", args=[episode]),
        "episode-return": reverse("missing:episode-return", args=[episode]),
        "interview-assign": reverse("missing:interview-assign", args=[episode]),
        "meeting-new": reverse("missing:meeting-new", args=[episode]),
        "child-episode-new": reverse("missing:child-episode-new", args=[child]),
        "interview": reverse("missing:interview", args=[episode]),
        "intelligence": reverse("missing:intelligence"),
        "place-team": reverse("missing:place", args=[world.place_team.pk]),
        "place-ceam": reverse("missing:place", args=[world.place_ceam.pk]),
        "group": reverse("missing:group", args=[world.group.pk]),
        "place-edit": reverse("missing:place-edit", args=[world.place_ceam.pk]),
        "link-new": reverse("missing:link-new"),
        "settings": reverse("missing:settings"),
        "setting-add": reverse("missing:setting-add"),
    }[name]


@pytest.mark.parametrize(("who", "expected"), table(200, 200, 200, 200, 200, 200, 403, 200))
@pytest.mark.parametrize("page", ["index", "interviews"])
def test_lists(world, who, expected, page):
    assert status(world, who, url(world, page)) == expected


@pytest.mark.parametrize(("who", "expected"), table(200, 200, 404, 404, 404, 200, 404, 404))
@pytest.mark.parametrize("page", ["child", "episode"])
def test_the_childs_record_follows_the_case(world, who, expected, page):
    assert status(world, who, url(world, page)) == expected


@pytest.mark.parametrize(("who", "expected"), table(200, 200, 404, 404, 404, 403, 404, 404))
@pytest.mark.parametrize(
    "page", ["episode-edit", "episode-return", "interview-assign", "meeting-new", "child-episode-new"]
)
def test_changing_an_episode_needs_the_coordinators(world, who, expected, page):
    assert status(world, who, url(world, page)) == expected


@pytest.mark.parametrize(("who", "expected"), table(200, 200, 404, 404, 200, 403, 404, 404))
def test_the_interview_is_for_the_coordinators_and_its_provider(world, who, expected):
    assert status(world, who, url(world, "interview")) == expected


# The outsider coordinates missing children in their own partnership: they see its (empty) overview.
@pytest.mark.parametrize(("who", "expected"), table(200, 200, 200, 200, 403, 403, 403, 200))
def test_intelligence_overview_is_for_the_team_and_ceam_members(world, who, expected):
    assert status(world, who, url(world, "intelligence")) == expected


@pytest.mark.parametrize(
    ("page", "codes"),
    [
        ("place-team", (200, 200, 404, 404, 404, 404, 404, 404)),
        ("place-ceam", (200, 200, 200, 200, 404, 404, 404, 404)),
        ("group", (200, 200, 404, 404, 404, 404, 404, 404)),
        ("place-edit", (200, 200, 403, 403, 403, 403, 403, 404)),
        ("link-new", (200, 200, 403, 403, 403, 403, 403, 200)),
    ],
)
@pytest.mark.parametrize("who", WHO)
def test_exploitation_intelligence_matrix(world, page, codes, who):
    expected = dict(table(*codes))[who]
    assert status(world, who, url(world, page)) == expected


def test_ceam_members_see_only_what_is_shared_with_them(world):
    client = Client()
    client.force_login(world.other_agency)
    page = client.get(url(world, "place-ceam")).content.decode()
    assert "Tia Testchild" in page  # the shared link
    overview = client.get(url(world, "intelligence")).content.decode()
    assert "Testing skate park" in overview
    assert "Testing flat above a shop" not in overview and "Testing Street crew" not in overview


def test_the_provider_worker_sees_only_their_interview_and_the_minimum(world):
    client = Client()
    client.force_login(world.worker)
    listing = client.get(url(world, "interviews"))
    assert [e.pk for e in listing.context["episodes"]] == [world.episode.pk]
    page = client.get(url(world, "interview")).content.decode()
    assert "Tia" in page and "Testchild" not in page and "2010" not in page
    assert world.child.case.reference not in page
    assert AuditEvent.objects.filter(
        user=world.worker, action=AuditAction.VIEW, object_id=str(world.episode.pk)
    ).exists()
    # The coordinators' list of their own team's interviews shows nothing: none is assigned to them.
    client.force_login(world.coordinator)
    assert list(client.get(url(world, "interviews")).context["episodes"]) == []


def test_viewing_the_record_is_audited(world):
    client = Client()
    client.force_login(world.shared)
    assert client.get(url(world, "episode")).status_code == 200
    assert AuditEvent.objects.filter(user=world.shared, action=AuditAction.VIEW, case_id=world.child.case_id).exists()


def test_list_and_detail_pages_read_a_bounded_number_of_rows(world, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(30):
        assert client.get(url(world, "index")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(url(world, "episode")).status_code == 200
    # Four quarters of three counts each, whatever the number of places and links.
    with django_assert_max_num_queries(45):
        assert client.get(url(world, "intelligence")).status_code == 200


# The other partnership's coordinator reads their own partnership's settings.
@pytest.mark.parametrize(("who", "expected"), table(200, 200, 403, 403, 403, 403, 403, 200))
def test_the_settings_are_read_by_the_coordinators(world, who, expected):
    assert status(world, who, url(world, "settings")) == expected


@pytest.mark.parametrize(("who", "expected"), table(403, 200, 403, 403, 403, 403, 403, 403))
def test_the_settings_are_changed_by_their_manager(world, who, expected):
    assert status(world, who, url(world, "setting-add")) == expected
