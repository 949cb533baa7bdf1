"""Who may open which IOM page: the IOM team (owner), a same-agency colleague, the offender manager
(another agency), another agency without a share, an agency the case is shared with, the analyst,
the administrator and anonymous."""

import pytest

from saferhub.iom.models import CostOfCrime, YjKpiValue
from saferhub.iom.tests.world import build_world, client_for, shared_stay

pytestmark = pytest.mark.django_db

WHO = ["owner", "colleague", "manager", "other_agency", "shared", "analyst", "admin", "anonymous"]


@pytest.fixture
def world():
    world = build_world()
    world.stay = shared_stay(world)
    return world


def status(world, who, url):
    response = client_for(world, who).get(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response.url
        return "sign-in"
    return response.status_code


def _table(**codes):
    return [(who, codes.get(who, codes.get("default"))) for who in WHO]


@pytest.mark.parametrize(
    ("who", "expected"), _table(owner=200, manager=200, shared=200, anonymous="sign-in", default=404)
)
def test_stay_page(world, who, expected):
    assert status(world, who, f"/iom/stays/{world.stay.pk}/") == expected


@pytest.mark.parametrize("page", ["rag", "offences", "plan", "contacts"])
@pytest.mark.parametrize(("who", "expected"), _table(owner=200, manager=200, anonymous="sign-in", default=404))
def test_recording_needs_the_iom_team_or_the_offender_manager(world, who, expected, page):
    # A share shows the record; it never lets another agency change it.
    assert status(world, who, f"/iom/stays/{world.stay.pk}/{page}/") == expected


@pytest.mark.parametrize("page", ["details", "deselect"])
@pytest.mark.parametrize(("who", "expected"), _table(owner=200, anonymous="sign-in", default=404))
def test_selection_and_deselection_are_the_iom_teams(world, who, expected, page):
    assert status(world, who, f"/iom/stays/{world.stay.pk}/{page}/") == expected


@pytest.mark.parametrize(("who", "expected"), _table(owner=200, anonymous="sign-in", default=403))
def test_adopting_is_the_iom_teams(world, who, expected):
    assert status(world, who, "/iom/adopt/") == expected


@pytest.mark.parametrize(("who", "expected"), _table(anonymous="sign-in", default=200))
def test_index_is_open_to_caseworkers_and_report_readers(world, who, expected):
    assert status(world, who, "/iom/") == expected


@pytest.mark.parametrize(
    ("who", "expected"), _table(owner=200, analyst=200, admin=200, anonymous="sign-in", default=403)
)
@pytest.mark.parametrize("page", ["cost-of-crime", "reoffending", "youth-justice-kpis", "settings"])
def test_figures_pages(world, who, expected, page):
    assert status(world, who, f"/iom/{page}/") == expected


@pytest.mark.parametrize(("who", "expected"), _table(analyst=200, admin=200, anonymous="sign-in", default=403))
def test_changing_the_figures_is_the_analysts(world, who, expected):
    rate = CostOfCrime.objects.filter(partnership=world.partnership).first()
    value = YjKpiValue.objects.create(partnership=world.partnership, kpi="custody", year=2023, quarter=1, value=2)
    for url in ("/iom/cost-of-crime/new/", f"/iom/cost-of-crime/{rate.pk}/", "/iom/youth-justice-kpis/new/",
                f"/iom/youth-justice-kpis/{value.pk}/", "/iom/settings/contact-frequency/"):  # fmt: skip
        assert status(world, who, url) == expected, url


@pytest.mark.parametrize(
    ("who", "listed"),
    [("owner", True), ("colleague", False), ("manager", True), ("other_agency", False), ("shared", True),
     ("analyst", False)],
)  # fmt: skip
def test_the_cohort_list_shows_only_what_the_user_may_see(world, who, listed):
    response = client_for(world, who).get("/iom/")
    assert (world.stay.case.reference in response.content.decode()) is listed


def test_list_and_stay_pages_read_a_bounded_number_of_rows(world, django_assert_max_num_queries):
    for _ in range(5):
        shared_stay(world)
    client = client_for(world, "owner")
    with django_assert_max_num_queries(25):
        assert client.get("/iom/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/iom/stays/{world.stay.pk}/").status_code == 200
