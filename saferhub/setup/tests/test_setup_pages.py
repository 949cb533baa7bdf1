"""The set-up pages: who may use them, the checklist, duties, areas, case types and panel types."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.partnerships import create_partnership
from saferhub.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from saferhub.asb.models import AsbDesk
from saferhub.audit.models import AuditEvent
from saferhub.cases.models import CaseType
from saferhub.panels.models import PanelKind, PanelType
from saferhub.places.models import Ward
from saferhub.setup import actions
from saferhub.setup.checklist import checklist
from saferhub.victims.hub import hub_team


@pytest.fixture
def world(db):
    partnership = create_partnership("northbrook", "Northbrook Safer Communities Partnership")
    agency = AgencyFactory(partnership=partnership, name="Northbrook Council")
    team = TeamFactory(agency=agency, name="Community Safety Team")
    other = create_partnership("southmere", "Southmere Safer Communities Partnership")
    other_team = TeamFactory(agency=AgencyFactory(partnership=other, name="Southmere Council"), name="Hub")
    return SimpleNamespace(
        partnership=partnership,
        agency=agency,
        team=team,
        other=other,
        other_team=other_team,
        users={
            "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
            "caseworker": UserFactory(team=team, roles=[Role.CASEWORKER]),
            "team_manager": UserFactory(team=team, roles=[Role.TEAM_MANAGER]),
            "panel_coordinator": UserFactory(team=team, roles=[Role.PANEL_COORDINATOR]),
            "analyst": UserFactory(team=team, roles=[Role.ANALYST]),
            "auditor": UserFactory(team=team, roles=[Role.AUDITOR]),
            "other_admin": UserFactory(team=other_team, roles=[Role.PARTNERSHIP_ADMIN]),
            "anonymous": None,
        },
    )


def _as(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


PAGES = [
    ("setup:index", lambda w: []),
    ("setup:duty", lambda w: ["victim_hub"]),
    ("setup:areas", lambda w: []),
    ("setup:case-types", lambda w: []),
    ("setup:case-type-create", lambda w: []),
    ("setup:case-type-edit", lambda w: [CaseType.objects.get(partnership=w.partnership, code="general").pk]),
    ("setup:case-type-disable", lambda w: [CaseType.objects.get(partnership=w.partnership, code="general").pk]),
    ("setup:panel-types", lambda w: []),
    ("setup:panel-type-create", lambda w: []),
    ("setup:panel-type-edit", lambda w: ["da_marac"]),
]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("caseworker", 403),
        ("team_manager", 403),
        ("panel_coordinator", 403),
        ("analyst", 403),
        ("auditor", 403),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_only_partnership_administrators_use_the_set_up_pages(client, world, who, status, name, args):
    _as(client, world, who)
    response = client.get(reverse(name, args=args(world)))
    assert response.status_code == status
    if who == "anonymous":
        assert "/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("setup:case-type-edit", lambda w: [CaseType.objects.get(partnership=w.partnership, code="general").pk]),
        ("setup:case-type-enable", lambda w: [CaseType.objects.get(partnership=w.partnership, code="general").pk]),
        ("setup:panel-type-edit", lambda w: ["nonexistent"]),
        ("setup:duty", lambda w: ["panel:nonexistent"]),
        ("setup:duty", lambda w: ["victim_hubb"]),
    ],
)
def test_another_partnerships_records_are_not_found(client, world, name, args):
    # Southmere's administrator asks for Northbrook's records: 404, nothing disclosed.
    _as(client, world, "other_admin")
    assert client.get(reverse(name, args=args(world))).status_code == 404


def test_a_fresh_partnership_lists_everything_it_lacks(client, world, django_assert_max_num_queries):
    _as(client, world, "admin")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("setup:index"))
    content = response.content.decode()
    titles = [item.title for item in checklist(world.partnership)]
    for title in ["Victim Care Hub team", "ASB team", "DA MARAC coordinators", "Wards", "Population", "Peer group"]:
        assert title in titles and title in content
    assert f"{len(titles)} of {len(titles)} items still to do" in content
    assert reverse("setup:duty", args=["panel:da_marac"]) in content


def test_the_checklist_runs_the_same_queries_with_more_panels(client, world, django_assert_num_queries):
    _as(client, world, "admin")
    client.get(reverse("setup:index"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("setup:index"))
    for n in range(5):
        actions.create_panel_type(
            world.users["admin"], world.partnership, code=f"extra{n}", values={"name": f"Extra {n}"}, member_agencies=[]
        )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("setup:index"))
    assert len(after) == len(before)


def test_an_administrator_gives_a_duty_to_a_team(client, world):
    _as(client, world, "admin")
    url = reverse("setup:duty", args=["victim_hub"])
    response = client.post(url, {"team": world.team.pk})
    assert response.status_code == 302
    assert hub_team(world.partnership.pk) == world.team
    assert AuditEvent.objects.filter(object_type="victims.hubconfiguration", user=world.users["admin"]).exists()
    client.post(reverse("setup:duty", args=["asb_desk"]), {"team": world.team.pk})
    assert AsbDesk.objects.get(partnership=world.partnership).team == world.team
    client.post(reverse("setup:duty", args=["panel:da_marac"]), {"team": world.team.pk})
    assert PanelType.objects.get(partnership=world.partnership, code="da_marac").coordinating_team == world.team
    done = {item.title: item.done for item in checklist(world.partnership)}
    assert done["Victim Care Hub team"] and done["ASB team"] and done["DA MARAC coordinators"]
    assert not done["Community MARAC coordinators"]


def test_a_team_of_another_partnership_cannot_hold_a_duty(client, world):
    _as(client, world, "admin")
    response = client.post(reverse("setup:duty", args=["victim_hub"]), {"team": world.other_team.pk})
    assert response.status_code == 200
    assert "Select one of the options listed" in response.content.decode()
    assert hub_team(world.partnership.pk) is None


def test_areas_and_peer_group_are_checked_and_saved(client, world):
    _as(client, world, "admin")
    url = reverse("setup:areas")
    version = client.get(url).context["form"].initial["version"]
    response = client.post(url, {"areas": "E09000901, X123", "peer_group": "", "version": version})
    content = response.content.decode()
    assert "There is a problem" in content and "X123 is not" in content
    world.partnership.refresh_from_db()
    assert world.partnership.areas == []
    response = client.post(url, {"areas": "e09000901", "peer_group": "E09000902 E09000903", "version": version})
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.areas == ["E09000901"]
    assert world.partnership.peer_group == ["E09000902", "E09000903"]
    assert AuditEvent.objects.filter(object_type="accounts.partnership", user=world.users["admin"]).exists()


def test_a_stale_areas_form_does_not_overwrite_a_newer_change(client, world):
    _as(client, world, "admin")
    url = reverse("setup:areas")
    version = client.get(url).context["form"].initial["version"]
    # Someone else saves first.
    actions.set_areas(world.users["admin"], world.partnership, areas=["E09000905"], peer_group=[], version=version)
    response = client.post(url, {"areas": "E09000901", "peer_group": "", "version": version})
    assert "changed by someone else" in response.content.decode()
    world.partnership.refresh_from_db()
    assert world.partnership.areas == ["E09000905"]


def test_case_types_are_added_edited_and_disabled_never_deleted(client, world):
    _as(client, world, "admin")
    response = client.post(
        reverse("setup:case-type-create"), {"code": "hate_crime", "name": "Hate crime", "reference_prefix": "hc"}
    )
    assert response.status_code == 302
    case_type = CaseType.objects.get(partnership=world.partnership, code="hate_crime")
    assert case_type.prefix == "HC"
    # A prefix already used is refused with what to do.
    response = client.post(
        reverse("setup:case-type-create"), {"code": "other", "name": "Other", "reference_prefix": "VCH"}
    )
    assert "already used by Victim Care Hub" in response.content.decode()
    edit = reverse("setup:case-type-edit", args=[case_type.pk])
    version = client.get(edit).context["form"].initial["version"]
    client.post(edit, {"name": "Hate crime and incidents", "reference_prefix": "HCI", "version": version})
    case_type.refresh_from_db()
    assert (case_type.name, case_type.prefix) == ("Hate crime and incidents", "HCI")
    # The old version is stale now.
    response = client.post(edit, {"name": "Again", "reference_prefix": "HCI", "version": version})
    assert "changed by someone else" in response.content.decode()
    client.post(reverse("setup:case-type-disable", args=[case_type.pk]))
    case_type.refresh_from_db()
    assert case_type.active is False
    client.post(reverse("setup:case-type-enable", args=[case_type.pk]))
    case_type.refresh_from_db()
    assert case_type.active is True


def test_a_case_type_an_active_panel_uses_is_not_disabled(client, world):
    _as(client, world, "admin")
    marac = CaseType.objects.get(partnership=world.partnership, code="marac")
    response = client.post(reverse("setup:case-type-disable", args=[marac.pk]), follow=True)
    assert "DA MARAC opens cases of this type" in response.content.decode()
    marac.refresh_from_db()
    assert marac.active


def _panel_form(world, **changes):
    data = {
        "code": "ceam",
        "name": "Child Exploitation and Missing meeting",
        "kind": PanelKind.GENERAL,
        "cadence": "monthly",
        "referral_criteria": "Children at risk of exploitation\r\nor missing often",
        "assessment_template_code": "",
        "member_agencies": [world.agency.pk],
        "coordinating_team": world.team.pk,
        "summary_days_before": 5,
        "summary_days_after": 10,
        "review_interval_days": 42,
        "active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_adds_a_panel_type(client, world):
    _as(client, world, "admin")
    response = client.post(reverse("setup:panel-type-create"), _panel_form(world))
    assert response.status_code == 302
    panel_type = PanelType.objects.get(partnership=world.partnership, code="ceam")
    assert panel_type.kind == PanelKind.GENERAL
    assert panel_type.case_type.code == "ceam" and panel_type.case_type.prefix == "CEAM"
    assert panel_type.coordinating_team == world.team
    assert list(panel_type.member_agencies.all()) == [world.agency]
    assert panel_type.referral_criteria == "Children at risk of exploitation\nor missing often"
    assert AuditEvent.objects.filter(object_type="panels.paneltype", action="create").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("summary_days_before", 61, "Enter a whole number from 0 to 60"),
        ("summary_days_after", -1, "Enter a whole number from 0 to 60"),
        ("review_interval_days", 0, "Enter a whole number from 1 to 365"),
        ("review_interval_days", 366, "Enter a whole number from 1 to 365"),
        ("name", "", "Enter the name"),
        ("code", "da_marac", "There is already a panel type with the code da_marac"),
    ],
)
def test_panel_type_numbers_are_bounded(client, world, field, value, message):
    _as(client, world, "admin")
    response = client.post(reverse("setup:panel-type-create"), _panel_form(world, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    errors = response.context["form"].errors
    (only,) = errors.get(field, errors.get("__all__"))
    assert only.startswith(message)
    assert not PanelType.objects.filter(partnership=world.partnership, code="ceam").exists()


def test_a_panel_type_cannot_use_another_partnerships_team_or_agency(client, world):
    _as(client, world, "admin")
    response = client.post(
        reverse("setup:panel-type-create"),
        _panel_form(world, coordinating_team=world.other_team.pk, member_agencies=[world.other_team.agency.pk]),
    )
    assert set(response.context["form"].errors) == {"coordinating_team", "member_agencies"}
    assert not PanelType.objects.filter(code="ceam").exists()


def test_editing_a_panel_type_is_checked_against_concurrent_edits(client, world):
    _as(client, world, "admin")
    url = reverse("setup:panel-type-edit", args=["da_marac"])
    version = client.get(url).context["form"].initial["version"]
    edit = _panel_form(world, code=None, kind=None, name="Domestic abuse MARAC", version=version)
    assert client.post(url, edit).status_code == 302
    panel_type = PanelType.objects.get(partnership=world.partnership, code="da_marac")
    assert panel_type.name == "Domestic abuse MARAC" and panel_type.review_interval_days == 42
    assert panel_type.kind == PanelKind.DA_MARAC  # the kind is not changed once referrals may exist
    response = client.post(url, {**edit, "name": "Overwritten"})
    assert "changed by someone else" in response.content.decode()
    panel_type.refresh_from_db()
    assert panel_type.name == "Domestic abuse MARAC"


def test_wards_count_on_the_checklist(world):
    Ward.objects.create(partnership=world.partnership, name="Northbrook Central")
    done = {item.title: item.done for item in checklist(world.partnership)}
    assert done["Wards"]


def test_population_is_done_when_residents_and_women_are_held_for_every_area(world):
    from saferhub.places.models import Population

    world.partnership.areas = ["E09000901", "E09000904"]
    world.partnership.save()

    def population_item():
        return next(item for item in checklist(world.partnership) if item.title == "Population")

    for code in ("E09000901", "E09000904"):
        Population.objects.create(
            partnership=world.partnership, area_code=code, year=2021, measure="residents", value=100
        )
    assert not population_item().done  # no women aged 16 and over yet
    Population.objects.create(
        partnership=world.partnership, area_code="E09000901", year=2021, measure="women_16_plus", value=40
    )
    assert not population_item().done  # one area still lacks it
    Population.objects.create(
        partnership=world.partnership, area_code="E09000904", year=2022, measure="women_16_plus", value=45
    )
    item = population_item()
    assert item.done and item.status == "200 residents (2021); 85 women aged 16 and over (2021/2022)"


def test_a_case_of_an_added_panel_type_links_to_its_panel_summary(world):
    from saferhub.cases.actions import create_case
    from saferhub.panels.apps import panel_links
    from saferhub.panels.models import PanelCase

    admin = world.users["admin"]
    panel_type = actions.create_panel_type(
        admin, world.partnership, code="ceam", values={"name": "CEAM"}, member_agencies=[]
    )
    on_panel = create_case(admin, case_type=panel_type.case_type, owning_team=world.team, title="A panel case")
    PanelCase.objects.create(case=on_panel, partnership=world.partnership, panel_type=panel_type)
    # A case of that type not (or not yet) on the panel has no summary to link to.
    not_heard = create_case(admin, case_type=panel_type.case_type, owning_team=world.team, title="Not on a panel")
    general = CaseType.objects.get(partnership=world.partnership, code="general")
    other = create_case(admin, case_type=general, owning_team=world.team, title="An ordinary case")
    assert panel_links(on_panel, admin, None) == [
        ("Panel summary and hearings", reverse("panels:summary", kwargs={"reference": on_panel.reference}))
    ]
    assert panel_links(not_heard, admin, None) == []
    assert panel_links(other, admin, None) == []


@pytest.mark.parametrize("name", ["setup:panel-types", "setup:case-types", "setup:panel-type-create"])
def test_list_pages_run_the_same_queries_whatever_their_length(client, world, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _as(client, world, "admin")
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse(name))
    for n in range(5):
        agency = AgencyFactory(partnership=world.partnership, name=f"Member {n}")
        TeamFactory(agency=agency, name=f"Team {n}")
        panel_type = actions.create_panel_type(
            world.users["admin"],
            world.partnership,
            code=f"extra{n}",
            values={"name": f"Extra {n}", "coordinating_team": world.team},
            member_agencies=[agency],
        )
        assert panel_type.case_type.code == f"extra{n}"
    with CaptureQueriesContext(connection) as after:
        client.get(reverse(name))
    assert len(after) == len(before)


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("caseworker", 403), ("analyst", 403), ("anonymous", 302)])
def test_the_set_up_file_is_downloaded_by_administrators_and_audited(client, world, who, status):
    import tomllib

    from saferhub.setup.setupfile import export

    _as(client, world, who)
    response = client.get(reverse("setup:export"))
    assert response.status_code == status
    exports = AuditEvent.objects.filter(action="export", object_type="accounts.partnership")
    if status != 200:
        assert not exports.exists()
        return
    assert response["Content-Disposition"] == 'attachment; filename="northbrook-setup.toml"'
    assert response.content.decode() == export(world.partnership)
    assert tomllib.loads(response.content.decode())["partnership"]["slug"] == "northbrook"
    assert exports.get().user == world.users["admin"]


def test_a_case_type_can_require_a_managers_approval_to_close(client, world):
    _as(client, world, "admin")
    case_type = CaseType.objects.get(partnership=world.partnership, code="general")
    edit = reverse("setup:case-type-edit", args=[case_type.pk])
    form = client.get(edit).context["form"]
    assert form.initial["closure_needs_approval"] is False
    data = {"name": case_type.name, "reference_prefix": case_type.prefix, "version": form.initial["version"]}
    client.post(edit, {**data, "closure_needs_approval": "on"})
    case_type.refresh_from_db()
    assert case_type.closure_needs_approval is True
    # Unticked turns it off again (the version moved on with the change).
    data["version"] = client.get(edit).context["form"].initial["version"]
    client.post(edit, data)
    case_type.refresh_from_db()
    assert case_type.closure_needs_approval is False
