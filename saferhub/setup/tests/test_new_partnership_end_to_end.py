"""Issue 8, "Done means": a new partnership set up from its file, its geography and population
loaded, then every import kind loads its history with no further step (made-up borough)."""

import io

import pytest
from django.core.management import CommandError, call_command

from saferhub.accounts.models import Partnership
from saferhub.asb.models import AsbCase
from saferhub.panels.models import PanelReferral
from saferhub.places.models import Lsoa, Ward
from saferhub.setup.checklist import checklist
from saferhub.victims.models import HubReferral

pytestmark = pytest.mark.django_db

SETUP = """
[partnership]
slug = "northwick"
name = "Northwick Safer Communities Partnership"
areas = ["E09000901"]
peer_group = ["E09000902", "E09000903"]

[[agencies]]
name = "Family Services"
kind = "council"

[[agencies]]
name = "Northwick Council"
kind = "council"
parent = "Family Services"

  [[agencies.teams]]
  name = "Victim Care Hub"
  duties = ["victim_hub"]

  [[agencies.teams]]
  name = "Community Safety Team"
  duties = ["asb_desk", "panel:cs_marac", "panel:adults_at_risk", "panel:tve", "panel:sirm"]

  [[agencies.teams]]
  name = "Tackling Violence and Exploitation"
  duties = ["missing"]

  [[agencies.teams]]
  name = "Restorative Justice Service"
  duties = ["rj_service"]

[[agencies]]
name = "Northwick Police"
kind = "police"

  [[agencies.teams]]
  name = "Public Protection Desk"
  duties = ["panel:da_marac"]

  [[agencies.teams]]
  name = "IOM team"
  duties = ["iom"]
"""

# ONS lookup layout (LSOA21CD … LADyyNM), invented codes of the made-up borough and one outside it.
GEOGRAPHY = (
    "LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM\n"
    "E01900001,Northwick 001A,E05900001,Edgware & Mill,E09000901,Northwick\n"
    "E01900002,Northwick 001B,E05900001,Edgware & Mill,E09000901,Northwick\n"
    "E01900003,Northwick 002A,E05900002,Hale Green,E09000901,Northwick\n"
    "E01900004,Southmere 001A,E05900009,Elsewhere,E09000902,Southmere\n"
)
POPULATION = (
    "area_code,area_name,year,measure,value\n"
    "E09000901,Northwick,2021,residents,389000\n"
    "E09000901,Northwick,2021,women_16_plus,160000\n"
)
HISTORY = [
    (
        "organisations",
        "external_ref,name,kind,parent\nO1,Northwick Homes,housing,\nO2,Onwards Youth Project,voluntary,Family Services\n",
    ),
    (
        "victim-hub-referrals",
        "external_ref,received_on,referrer_organisation,referral_kind,victim_type,crime_type,reported_to_police\n"
        "H1,2023-04-03,Northwick Homes,victim,direct,robbery,yes\n"
        "H2,2023-05-10,Onwards Youth Project,crime_prevention,,crime_prevention,\n",
    ),
    (
        "marac-referrals",
        "external_ref,panel_type,referral_date,victim_ref,referring_agency,children_in_household\n"
        "M1,da_marac,2023-04-12,V1,Northwick Police,2\n"
        "M2,cs_marac,2023-05-02,V2,Northwick Council,0\n",
    ),
    ("panel-meetings", "panel_type,meeting_date,case_ref,outcome\ncs_marac,2023-05-20,C1,new\ntve,2023-06-01,C2,new\n"),
    (
        "asb-cases",
        "external_ref,opened_on,category,ward,location\n"
        "A1,2023-04-01,fly_tipping,Edgware and Mill,Behind the parade\n"
        "A2,2023-04-20,asb_nuisance,hale green,\n",
    ),
    ("asb-interventions", "external_ref,case_ref,kind,served_on\nI1,A1,cpn_warning,2023-05-01\n"),
    ("asb-case-reviews", "external_ref,applied_on,threshold_met\nR1,2023-06-01,yes\n"),
]


def _command(*args, tmp_path, text=None):
    """Run a command; with `text`, the argument "FILE" is a file holding it."""
    path = tmp_path / "input"
    if text is not None:
        path.write_text(text, encoding="utf-8")
        args = tuple(str(path) if arg == "FILE" else arg for arg in args)
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_a_new_partnership_loads_every_kind_of_history_after_set_up(tmp_path):
    _command("configure_partnership", "FILE", tmp_path=tmp_path, text=SETUP)
    partnership = Partnership.objects.get(slug="northwick")
    out = _command(
        "import_records", "geography", "FILE", "--partnership", "northwick", tmp_path=tmp_path, text=GEOGRAPHY
    )
    # Only the partnership's own area is kept: 2 wards and 3 LSOAs; the row of Southmere is skipped.
    assert sorted(Ward.objects.filter(partnership=partnership).values_list("name", flat=True)) == [
        "Edgware & Mill",
        "Hale Green",
    ]
    assert Lsoa.objects.filter(partnership=partnership).count() == 3
    assert "skipped" in out, out
    _command("import_records", "population", "FILE", "--partnership", "northwick", tmp_path=tmp_path, text=POPULATION)
    assert all(item.done for item in checklist(partnership)), [i.title for i in checklist(partnership) if not i.done]
    for kind, text in HISTORY:
        out = _command("import_records", kind, "FILE", "--partnership", "northwick", tmp_path=tmp_path, text=text)
        assert "created" in out, (kind, out)
    assert HubReferral.objects.filter(partnership=partnership).count() == 2
    assert PanelReferral.objects.filter(partnership=partnership).count() == 2
    a1 = AsbCase.objects.get(partnership=partnership, external_ref="A1")
    assert a1.ward.name == "Edgware & Mill" and a1.case.owning_team.name == "Community Safety Team"
    hub_case = HubReferral.objects.get(partnership=partnership, external_ref="H1").referral.case
    assert hub_case.owning_team.name == "Victim Care Hub"


def test_before_set_up_each_import_names_the_duty_and_where_to_give_it(tmp_path):
    _command("create_partnership", "bare", "Bare Safer Communities Partnership", tmp_path=tmp_path)
    organisations = "external_ref,name,kind\nO1,Northwick Homes,housing\nO2,Onwards Youth Project,voluntary\nO3,Northwick Police,police\n"
    _command("import_records", "organisations", "FILE", "--partnership", "bare", tmp_path=tmp_path, text=organisations)
    expected = {
        "victim-hub-referrals": "no team holds the duty 'victim_hub'",
        "marac-referrals": "no team holds the duty 'panel:da_marac'",
        "asb-cases": "no team holds the duty 'asb_desk'",
    }
    # Wards are another step (and another message); this file names none.
    texts = dict(HISTORY) | {"asb-cases": "external_ref,opened_on,category\nA1,2023-04-01,fly_tipping\n"}
    for kind, message in expected.items():
        err = io.StringIO()
        path = tmp_path / f"{kind}.csv"
        path.write_text(texts[kind], encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("import_records", kind, str(path), "--partnership", "bare", stdout=io.StringIO(), stderr=err)
        assert message in err.getvalue(), (kind, err.getvalue())
        assert "Set-up page" in err.getvalue() and "configure_partnership" in err.getvalue()


def test_the_same_partnership_set_up_on_the_pages_loads_the_same_history(client, tmp_path):
    """The browser route: an administrator of a bare partnership gives every duty and sets the areas on
    the Set-up pages, adds wards and population on their pages; then every import kind loads."""
    from django.urls import reverse

    from saferhub.accounts.models import Role
    from saferhub.accounts.partnerships import create_partnership
    from saferhub.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory

    partnership = create_partnership("northwick", "Northwick Safer Communities Partnership")
    family = AgencyFactory(partnership=partnership, name="Family Services")
    council = AgencyFactory(partnership=partnership, name="Northwick Council", parent=family)
    AgencyFactory(partnership=partnership, name="Northwick Police", kind="police")
    hub = TeamFactory(agency=council, name="Victim Care Hub")
    desk = TeamFactory(agency=council, name="Community Safety Team")
    client.force_login(UserFactory(team=desk, roles=[Role.PARTNERSHIP_ADMIN]))

    for item in checklist(partnership):
        if item.url.startswith("/admin/set-up/duties/"):
            team = hub if item.title == "Victim Care Hub team" else desk
            assert client.post(item.url, {"team": team.pk}).status_code == 302
    areas = client.get(reverse("setup:areas")).context["form"].initial
    response = client.post(
        reverse("setup:areas"), {"areas": "E09000901", "peer_group": "E09000902", "version": areas["version"]}
    )
    assert response.status_code == 302
    for name in ("Edgware & Mill", "Hale Green"):
        assert client.post(reverse("places:ward-add"), {"name": name, "code": ""}).status_code == 302
    for measure, value in (("residents", 389000), ("women_16_plus", 160000)):
        figure = {"area_code": "E09000901", "area_name": "Northwick", "year": 2021, "measure": measure, "value": value}
        assert client.post(reverse("places:population-add"), figure).status_code == 302
    partnership.refresh_from_db()
    assert all(item.done for item in checklist(partnership)), [i.title for i in checklist(partnership) if not i.done]

    for kind, text in HISTORY:
        out = _command("import_records", kind, "FILE", "--partnership", "northwick", tmp_path=tmp_path, text=text)
        assert "created" in out, (kind, out)
    assert AsbCase.objects.get(partnership=partnership, external_ref="A1").ward.name == "Edgware & Mill"
    assert PanelReferral.objects.filter(partnership=partnership).count() == 2
