"""Board pack pages: who may open them, issuing keeps what the board saw, versions, audit, queries."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.boardpack import actions
from saferhub.boardpack.models import BoardPack, IssuedPack, PackStatus
from saferhub.boardpack.tests.world import Q1, build_world
from saferhub.governance.tests.factories import ActivityFactory
from saferhub.panels.tests.world import person, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.draft = actions.start_pack(
        world.analyst, world.partnership, period_label="2024/25 Q1", date_from=Q1[0], date_to=Q1[1]
    )
    world.issued = actions.start_pack(
        world.analyst, world.partnership, period_label="2024/25 Q1", date_from=Q1[0], date_to=Q1[1]
    )
    actions.choose_sections(
        world.analyst, world.issued, ["marac:da_marac", "activities"], expected_version=world.issued.version
    )
    actions.issue(world.analyst, world.issued, expected_version=world.issued.version)
    return world


def sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


@pytest.fixture
def light(db):
    """Just users and two packs (a draft and an issued one, of a few sections): for the permission matrix."""
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    team = TeamFactory(agency=AgencyFactory(partnership=partnership, name="Northbrook Council"))
    outsider_team = TeamFactory(agency=AgencyFactory(partnership=PartnershipFactory(name="Southmere CSP")))
    users = {
        "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
        "analyst": UserFactory(team=team, roles=[Role.ANALYST]),
        "board_member": UserFactory(team=team, roles=[Role.BOARD_MEMBER]),
        "team_manager": UserFactory(team=team, roles=[Role.TEAM_MANAGER]),
        "caseworker": UserFactory(team=team, roles=[Role.CASEWORKER]),
        "auditor": UserFactory(team=team, roles=[Role.AUDITOR]),
        "other_analyst": UserFactory(team=outsider_team, roles=[Role.ANALYST]),
        "anonymous": None,
    }
    ActivityFactory(partnership=partnership, held_on=Q1[0])
    packs = {}
    for which, keys in (("draft", ["activities", "action-plan"]), ("issued", ["activities"])):
        pack = actions.start_pack(
            users["analyst"], partnership, period_label="2024/25 Q1", date_from=Q1[0], date_to=Q1[1]
        )
        packs[which] = actions.choose_sections(users["analyst"], pack, keys, expected_version=pack.version)
    actions.issue(users["analyst"], packs["issued"], expected_version=packs["issued"].version)
    return SimpleNamespace(users=users, **packs)


NOBODY = {"caseworker": 403, "auditor": 403, "team_manager": 403, "anonymous": 302}
READ = {"admin": 200, "analyst": 200, "board_member": 200, "other_analyst": 200, **NOBODY}
MANAGE = {**READ, "board_member": 403}
# Board members read issued packs only: a draft is 404 to them. Other partnerships' packs are 404.
DRAFT_READ = {**READ, "board_member": 404}


@pytest.mark.parametrize(("name", "table"), [("boardpack:packs", READ), ("boardpack:pack-start", MANAGE)])
def test_list_pages(client, light, name, table):
    for who, expected in table.items():
        client.logout()
        sign_in(client, light, who)
        assert client.get(reverse(name)).status_code == expected, who


# (url name, pack, extra args, expected): other partnerships get 404 for every pack page.
OBJECT_PAGES = [
    ("boardpack:pack", "issued", [], READ),
    ("boardpack:pack", "draft", [], DRAFT_READ),
    ("boardpack:download-full", "issued", [], READ),
    ("boardpack:download-publishable", "issued", [], READ),
    ("boardpack:download-json", "issued", [], READ),
    ("boardpack:pack-cover", "draft", [], MANAGE),
    ("boardpack:pack-sections", "draft", [], MANAGE),
    ("boardpack:pack-issue", "draft", [], MANAGE),
    ("boardpack:section-preview", "draft", [2], MANAGE),
]


@pytest.mark.parametrize(("name", "which", "extra", "table"), OBJECT_PAGES)
def test_object_pages(client, light, name, which, extra, table):
    url = reverse(name, args=[getattr(light, which).pk, *extra])
    for who, expected in {**table, "other_analyst": 404}.items():
        client.logout()
        sign_in(client, light, who)
        assert client.get(url).status_code == expected, who


def test_new_version_is_for_managers_only(client, light):
    url = reverse("boardpack:pack-new-version", args=[light.issued.pk])
    for who, expected in {**MANAGE, "other_analyst": 404, "analyst": 302, "admin": 302}.items():
        client.logout()
        sign_in(client, light, who)
        assert client.post(url).status_code == expected, who
    sign_in(client, light, "analyst")
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("name", ["boardpack:pack-cover", "boardpack:pack-sections", "boardpack:pack-issue"])
def test_an_issued_pack_cannot_be_changed(client, world, name):
    sign_in(client, world, "analyst")
    response = client.get(reverse(name, args=[world.issued.pk]))
    assert response.status_code == 403
    with pytest.raises(actions.PackIssuedError):
        actions.change_cover(world.analyst, world.issued, expected_version=world.issued.version, summary="Changed")


def test_issued_download_stays_as_issued_while_a_fresh_preview_follows_the_data(client, world):
    sign_in(client, world, "board_member")
    before = {name: client.get(reverse(name, args=[world.issued.pk])).content for name in DOWNLOADS}
    figures = json.loads(before["boardpack:download-json"])
    marac = next(s for s in figures["sections"] if s["key"] == "marac:da_marac")
    assert marac["figures"]["total"]["referrals"] == 7
    # The data changes after the pack was issued.
    refer(world, person(world, first="Late", last="Arrival"), datetime.date(2024, 6, 1))
    ActivityFactory(partnership=world.partnership, held_on=datetime.date(2024, 6, 2), participants=40)
    after = {name: client.get(reverse(name, args=[world.issued.pk])).content for name in DOWNLOADS}
    assert after == before
    sign_in(client, world, "analyst")
    preview = client.get(reverse("boardpack:section-preview", args=[world.issued.pk, 1]))
    assert preview.status_code == 200
    shown = preview.context["entry"]["figures"]["total"]["referrals"]
    assert shown == 8


DOWNLOADS = ["boardpack:download-full", "boardpack:download-publishable", "boardpack:download-json"]


def test_downloads_have_distinct_names_and_are_audited_as_exports(client, world):
    sign_in(client, world, "admin")
    names = set()
    for name in DOWNLOADS:
        response = client.get(reverse(name, args=[world.issued.pk]))
        names.add(response["Content-Disposition"])
    assert len(names) == 3
    assert any("OFFICIAL-SENSITIVE" in n for n in names) and any("publishable" in n for n in names)
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(world.issued.pk))
    assert exports.count() == 3
    assert {e.detail["variant"] for e in exports} == {"full", "publishable", "json"}


def test_a_draft_has_nothing_to_download(client, world):
    sign_in(client, world, "analyst")
    assert client.get(reverse("boardpack:download-full", args=[world.draft.pk])).status_code == 404


def test_preview_is_audited_as_a_view_and_can_show_the_published_figures(client, world):
    sign_in(client, world, "analyst")
    keys = [section for section in world.draft.sections]
    number = keys.index("activities") + 1
    url = reverse("boardpack:section-preview", args=[world.draft.pk, number])
    full = client.get(url)
    assert full.status_code == 200 and b"svg" in full.content
    published = client.get(url + "?publish=1")
    assert "&lt;5" in published.content.decode()
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(world.draft.pk))
    assert views.count() == 2 and views.first().detail["preview"] == "activities"
    assert client.get(reverse("boardpack:section-preview", args=[world.draft.pk, 99])).status_code == 404


def test_analyst_starts_chooses_writes_and_issues(client, world):
    sign_in(client, world, "analyst")
    response = client.post(
        reverse("boardpack:pack-start"),
        {"quarter": client.get(reverse("boardpack:pack-start")).context["form"]["quarter"].initial, "title": "Q"},
    )
    pack = BoardPack.objects.latest("pk")
    assert response.status_code == 302 and pack.status == PackStatus.DRAFT and pack.sections
    offered = client.get(reverse("boardpack:pack-sections", args=[pack.pk])).context["form"].offered
    index = {section.key: i for i, section in enumerate(offered)}
    data = {"version": pack.version, "sections": ["activities", "action-plan"]}
    data |= {f"position_{i}": 50 for i in range(len(offered))}
    data |= {f"position_{index['action-plan']}": 1, f"position_{index['activities']}": 2}
    assert client.post(reverse("boardpack:pack-sections", args=[pack.pk]), data).status_code == 302
    pack.refresh_from_db()
    assert pack.sections == ["action-plan", "activities"]
    cover = {
        "version": pack.version,
        "title": "Community safety performance report",
        "summary": "Invented summary",
        "recommendations": "Note it",
    }
    assert client.post(reverse("boardpack:pack-cover", args=[pack.pk]), cover).status_code == 302
    pack.refresh_from_db()
    response = client.post(reverse("boardpack:pack-issue", args=[pack.pk]), {"version": pack.version})
    assert response.status_code == 302
    issued = IssuedPack.objects.get(pack=pack)
    contents = json.loads(issued.contents_json)
    assert [s["key"] for s in contents["sections"]] == ["action-plan", "activities"]
    assert contents["summary"] == "Invented summary" and contents["status"] == "issued"
    # A new version starts from the issued one.
    response = client.post(reverse("boardpack:pack-new-version", args=[pack.pk]))
    copy = BoardPack.objects.latest("pk")
    assert response.status_code == 302 and copy.number == 2 and copy.previous == pack
    assert copy.summary == "Invented summary" and copy.status == PackStatus.DRAFT


def test_sections_form_errors_name_the_field(client, world):
    sign_in(client, world, "analyst")
    url = reverse("boardpack:pack-sections", args=[world.draft.pk])
    response = client.post(url, {"version": world.draft.version, "position_0": "x"})
    errors = response.context["form"].errors
    assert "Select at least one section to include" in errors["sections"]
    assert "as a whole number" in errors["position_0"][0]


def test_list_and_detail_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(3):
        actions.start_pack(world.analyst, world.partnership, period_label="2024/25 Q1", date_from=Q1[0], date_to=Q1[1])
    sign_in(client, world, "analyst")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("boardpack:packs")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("boardpack:pack", args=[world.issued.pk])).status_code == 200


def test_a_big_pack_is_issued_by_the_worker(client, light, settings, django_capture_on_commit_callbacks):
    settings.REPORT_BACKGROUND_ROWS = 0
    sign_in(client, light, "analyst")
    url = reverse("boardpack:pack-issue", args=[light.draft.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"version": light.draft.version})
    assert response.status_code == 302
    light.draft.refresh_from_db()
    assert light.draft.status == PackStatus.ISSUING
    page = client.get(reverse("boardpack:pack", args=[light.draft.pk])).content.decode()
    assert "Being issued" in page
    assert client.get(url).status_code == 403  # no changes while it is built
    for callback in callbacks:
        callback()  # the immediate task backend (tests) builds it now
    light.draft.refresh_from_db()
    assert light.draft.status == PackStatus.ISSUED and IssuedPack.objects.filter(pack=light.draft).exists()


def test_a_failed_background_issue_leaves_a_draft_saying_why(client, light, settings, monkeypatch):
    from saferhub.boardpack import tasks

    settings.REPORT_BACKGROUND_ROWS = 0
    actions.begin_issue(light.users["analyst"], light.draft, expected_version=light.draft.version)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "render_docx", broken)
    with pytest.raises(RuntimeError):
        tasks.issue_board_pack.call(light.draft.pk, light.users["analyst"].pk)
    light.draft.refresh_from_db()
    assert light.draft.status == PackStatus.DRAFT and "the database went away" in light.draft.issue_error
    sign_in(client, light, "analyst")
    assert "The pack was not issued" in client.get(reverse("boardpack:pack", args=[light.draft.pk])).content.decode()


def test_a_big_section_preview_is_built_by_the_worker(client, light, settings, tmp_path):
    settings.REPORT_BACKGROUND_ROWS = 0
    settings.REPORT_BUILD_DIR = tmp_path / "builds"
    sign_in(client, light, "analyst")
    response = client.get(reverse("boardpack:section-preview", args=[light.draft.pk, 1]))
    assert response.status_code == 302 and "/reports/builds/" in response["Location"]
