"""Who may open which RJ page: the RJ service (owner), a same-agency colleague (the hub worker),
another agency, the agency an RJ case is shared with (the police), an RJ team member not named
on a restricted case, the analyst and anonymous; plus bounded queries on the list and case pages."""

import pytest

from saferhub.cases.models import Case, RestrictedAccess
from saferhub.rj import actions
from saferhub.rj.tests.world import WHO, build_world, client_for, new_case, suitable_case
from saferhub.victims.tests.world import accepted_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.rj = suitable_case(world)
    world.party = world.rj.parties.first()
    world.restricted = new_case(world, shared=False)
    Case.objects.filter(pk=world.restricted.case_id).update(restricted=True)
    RestrictedAccess.objects.create(case=world.restricted.case, user=world.owner)
    world.member = actions.add_member(
        world.owner, world.partnership, kind="champion", name="Chris Champion", training_level="practitioner"
    )
    return world


def status(world, who, url):
    response = client_for(world, who).get(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response.url
        return "sign-in"
    return response.status_code


def table(**codes):
    return [(who, codes.get(who, codes.get("default"))) for who in WHO]


@pytest.mark.parametrize(
    ("who", "expected"), table(owner=200, shared=200, restricted_outsider=200, anonymous="sign-in", default=404)
)
def test_case_page(world, who, expected):
    assert status(world, who, f"/rj/cases/{world.rj.pk}/") == expected


@pytest.mark.parametrize(("who", "expected"), table(owner=200, anonymous="sign-in", default=404))
def test_restricted_case_page(world, who, expected):
    assert status(world, who, f"/rj/cases/{world.restricted.pk}/") == expected


@pytest.mark.parametrize(
    "page", ["screen", "preparation", "intervention", "agreement", "follow-up", "provider", "provider/outcome"]
)
@pytest.mark.parametrize(
    ("who", "expected"), table(owner=200, restricted_outsider=200, anonymous="sign-in", default=404)
)
def test_working_the_case_is_the_rj_services(world, who, expected, page):
    # A share shows the record; it never lets another agency change it.
    assert status(world, who, f"/rj/cases/{world.rj.pk}/{page}/") == expected


@pytest.mark.parametrize(
    ("who", "expected"), table(owner=200, restricted_outsider=200, anonymous="sign-in", default=404)
)
def test_consent_page(world, who, expected):
    assert status(world, who, f"/rj/cases/{world.rj.pk}/parties/{world.party.pk}/consent/") == expected


@pytest.mark.parametrize(("who", "expected"), table(anonymous="sign-in", default=200))
def test_index_is_open_to_caseworkers_and_report_readers(world, who, expected):
    assert status(world, who, "/rj/") == expected


@pytest.mark.parametrize(
    ("who", "expected"), table(owner=200, restricted_outsider=200, anonymous="sign-in", default=403)
)
def test_recording_referrals_is_the_rj_services(world, who, expected):
    assert status(world, who, "/rj/refer/") == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    table(owner=200, restricted_outsider=200, shared=200, anonymous="sign-in", default=403),
)
def test_the_street_page_is_for_police_officers_and_the_rj_service(world, who, expected):
    assert status(world, who, "/rj/street/") == expected


@pytest.mark.parametrize(
    ("who", "expected"), table(owner=200, restricted_outsider=200, anonymous="sign-in", default=403)
)
def test_the_register_is_the_rj_services(world, who, expected):
    for url in ("/rj/register/", f"/rj/register/{world.member.pk}/", f"/rj/register/{world.member.pk}/edit/"):
        assert status(world, who, url) == expected


@pytest.mark.parametrize(("who", "expected"), table(colleague=200, anonymous="sign-in", default=404))
def test_the_right_3_referral_is_made_by_the_hub(world, who, expected):
    hub = accepted_referral(world, shared=False)
    assert status(world, who, f"/rj/refer/from-hub/{hub.pk}/") == expected


def test_only_a_manager_of_the_rj_service_approves_contact(world):
    rj = suitable_case(world, specialist_harm="domestic_abuse")
    assert status(world, "owner", f"/rj/cases/{rj.pk}/approve-contact/") == 403
    assert status(world, "manager", f"/rj/cases/{rj.pk}/approve-contact/") == 200
    assert status(world, "shared", f"/rj/cases/{rj.pk}/approve-contact/") == 404


@pytest.mark.parametrize(
    ("who", "listed"),
    [("owner", True), ("colleague", False), ("other_agency", False), ("shared", True), ("analyst", False)],
)
def test_the_list_shows_only_what_the_user_may_see(world, who, listed):
    page = client_for(world, who).get("/rj/").content.decode()
    assert (world.rj.case.reference in page) is listed
    assert (world.restricted.case.reference in page) is (who == "owner")


def test_list_and_case_pages_read_a_bounded_number_of_rows(world, django_assert_max_num_queries):
    for _ in range(5):
        suitable_case(world)
        new_case(world)
    client = client_for(world, "owner")
    with django_assert_max_num_queries(30):
        assert client.get("/rj/").status_code == 200
    with django_assert_max_num_queries(35):
        assert client.get(f"/rj/cases/{world.rj.pk}/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/rj/register/").status_code == 200
