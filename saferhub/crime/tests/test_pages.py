"""The dashboard page, its downloads and the analyst's commentary: who may, what is shown, what is audited."""

import io

import docx
import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.crime.models import Commentary
from saferhub.crime.tests.world import add_wards, build_world

pytestmark = pytest.mark.django_db
SELECTION = {"month": "2025-11", "area": "E09000003", "group": "BURGLARY"}


@pytest.fixture
def world():
    world = build_world()
    add_wards(world)
    return world


def user_in(partnership, roles):
    return UserFactory(team=TeamFactory(agency__partnership=partnership), roles=roles)


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ([Role.ANALYST], True),
        ([Role.BOARD_MEMBER], True),
        ([Role.TEAM_MANAGER], True),
        ([Role.PARTNERSHIP_ADMIN], True),
        ([Role.CASEWORKER], False),
        ([Role.PANEL_COORDINATOR], False),
        ([Role.AUDITOR], False),
    ],
)
def test_who_sees_the_dashboard(client, world, roles, allowed):
    client.force_login(user_in(world.partnership, roles))
    page = client.get(reverse("crime:index"), SELECTION)
    download = client.get(reverse("crime:download", args=["json"]), SELECTION)
    assert (page.status_code, download.status_code) == ((200, 200) if allowed else (403, 403))
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == (2 if allowed else 0)


def test_before_any_import_the_page_says_what_to_do_without_errors(client):
    partnership = PartnershipFactory.create()
    client.force_login(user_in(partnership, [Role.ANALYST]))
    html = client.get(reverse("crime:index")).content.decode()
    assert "No police recorded crime has been imported yet" in html
    assert "govuk-error-summary" not in html


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get(reverse("crime:index")).status_code == 302


def test_the_page_shows_the_figures_in_bounded_queries(client, world, django_assert_max_num_queries):
    client.force_login(user_in(world.partnership, [Role.BOARD_MEMBER]))
    with django_assert_max_num_queries(31):  # one more for stop and search by ward (one grouped query)
        response = client.get(reverse("crime:index"), SELECTION)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Crime dashboard: Barnet, to November 2025" in html
    assert "2/3" in html and "Made-up Park" in html
    # The trend chart beside the table of its 36 months; exceptions marked.
    assert html.count('class="saferhub-chart"') >= 2
    assert "BURGLARY by month" in html and "2022-12" in html
    # A board member reads, but writes no commentary.
    assert reverse("crime:commentary") not in html
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["report"] == "crime-dashboard" and event.detail["area"] == "E09000003"


def test_defaults_to_the_latest_month_and_the_partnerships_area(client, world):
    client.force_login(user_in(world.partnership, [Role.ANALYST]))
    html = client.get(reverse("crime:index")).content.decode()
    assert "Crime dashboard: Barnet, to November 2025" in html


def test_a_bad_choice_is_named_on_the_form(client, world):
    client.force_login(user_in(world.partnership, [Role.ANALYST]))
    response = client.get(reverse("crime:index"), {**SELECTION, "month": "2031-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Choose a month from the list" in html


def test_another_partnership_sees_none_of_these_figures(client, world):
    other = PartnershipFactory(slug="elsewhere", areas=["E09000003"])
    client.force_login(user_in(other, [Role.ANALYST]))
    html = client.get(reverse("crime:index"), SELECTION).content.decode()
    assert "No police recorded crime has been imported yet" in html
    assert client.get(reverse("crime:download", args=["json"]), SELECTION).status_code == 302


def test_downloads_in_every_format(client, world):
    client.force_login(user_in(world.partnership, [Role.ANALYST]))
    docx_response = client.get(reverse("crime:download", args=["docx"]), SELECTION)
    assert docx_response["Content-Disposition"].endswith('.docx"')
    assert (
        docx.Document(io.BytesIO(docx_response.content)).sections[0].header.paragraphs[0].text.startswith("OFFICIAL   ")
    )
    for fmt in ("json", "html", "xlsx"):
        assert client.get(reverse("crime:download", args=[fmt]), SELECTION).status_code == 200
    assert client.get(reverse("crime:download", args=["pdf"]), SELECTION).status_code == 404


def commentary_url(quarter="2025/26 Q3", group="THEFT"):
    return reverse("crime:commentary") + f"?group={group}&quarter={quarter}"


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ([Role.ANALYST], True),
        ([Role.BOARD_MEMBER], False),
        ([Role.PARTNERSHIP_ADMIN], False),
        ([Role.CASEWORKER], False),
    ],
)
def test_only_analysts_write_commentary(client, world, roles, allowed):
    client.force_login(user_in(world.partnership, roles))
    assert client.get(commentary_url()).status_code == (200 if allowed else 403)
    data = {"group": "THEFT", "quarter": "2025/26 Q3", "text": "Shop thefts up.", "version": "0"}
    response = client.post(reverse("crime:commentary"), data)
    assert response.status_code == (302 if allowed else 403)
    assert Commentary.objects.filter(text="Shop thefts up.").exists() == allowed


def test_commentary_appears_in_the_dashboard_and_is_audited(client, world):
    analyst = user_in(world.partnership, [Role.ANALYST])
    client.force_login(analyst)
    html = client.get(reverse("crime:index"), SELECTION).content.decode()
    assert reverse("crime:commentary") in html
    back = reverse("crime:index") + "?month=2025-11"
    data = {"group": "THEFT", "quarter": "2025/26 Q3", "text": "Shop thefts up.", "version": "0", "back": back}
    response = client.post(reverse("crime:commentary"), data)
    assert response.url == back
    assert "Shop thefts up." in client.get(reverse("crime:index"), SELECTION).content.decode()
    saved = Commentary.objects.get()
    assert (saved.version, saved.updated_by) == (1, analyst)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(saved.pk)).exists()
    # An outside address is never followed.
    response = client.post(reverse("crime:commentary"), {**data, "version": "1", "back": "https://example.org/"})
    assert response.url == reverse("crime:index")


def test_a_stale_commentary_form_overwrites_nothing(client, world):
    Commentary.objects.create(
        partnership=world.partnership, group="THEFT", quarter="2025/26 Q3", text="Theirs.", version=2
    )
    client.force_login(user_in(world.partnership, [Role.ANALYST]))
    data = {"group": "THEFT", "quarter": "2025/26 Q3", "text": "Mine.", "version": "1"}
    response = client.post(reverse("crime:commentary"), data)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert Commentary.objects.get().text == "Theirs."


def test_empty_commentary_is_refused_with_its_field_named(client, world):
    client.force_login(user_in(world.partnership, [Role.ANALYST]))
    response = client.post(
        reverse("crime:commentary"), {"group": "THEFT", "quarter": "2025/26 Q3", "text": "", "version": "0"}
    )
    assert response.status_code == 200
    assert "Enter the commentary" in response.content.decode()
    assert not Commentary.objects.exists()
