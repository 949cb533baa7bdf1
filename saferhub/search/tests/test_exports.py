"""List downloads: CSV with codes and ISO dates, XLSX with labels and real dates, only what the user may see, audited."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Case, RiskLevel
from saferhub.cases.tests.test_case_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    Case.objects.filter(pk=w.case.pk).update(risk_level=RiskLevel.HIGH, opened_on=datetime.date(2026, 4, 3))
    # A title a spreadsheet would run as a formula.
    Case.objects.filter(pk=w.restricted_case.pk).update(title="=HYPERLINK(1)")
    return w


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_csv_has_codes_and_iso_dates(client, world):
    client.force_login(world.owner)
    response = client.get(reverse("cases:list"), {"download": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    rows = {row["reference"]: row for row in _csv(response)}
    assert rows["WLD-2024-00001"]["risk_level"] == "high"
    assert rows["WLD-2024-00001"]["status"] == "open"
    assert rows["WLD-2024-00001"]["opened_on"] == "2026-04-03"
    assert rows["WLD-2024-00002"]["title"] == "'=HYPERLINK(1)"


def test_xlsx_has_labels_and_real_dates(client, world):
    client.force_login(world.owner)
    response = client.get(reverse("cases:list"), {"download": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:5] == ("Reference", "Title", "Case type", "Status", "Risk level")
    row = next(r for r in rows if r[0] == "WLD-2024-00001")
    assert row[3] == "Open" and row[4] == "High"
    assert row[header.index("Opened")] == datetime.datetime(2026, 4, 3)


@pytest.mark.parametrize(
    ("who", "references"),
    [
        ("owner", {"WLD-2024-00001", "WLD-2024-00002"}),
        ("colleague", set()),
        ("other_agency", set()),
        ("shared", {"WLD-2024-00001"}),
        ("teammate", {"WLD-2024-00001"}),
    ],
)
def test_the_download_holds_only_what_the_user_may_see(client, world, who, references):
    client.force_login(getattr(world, who))
    rows = _csv(client.get(reverse("cases:list"), {"download": "csv"}))
    assert {row["reference"] for row in rows} == references


def test_the_analyst_and_anonymous_get_no_download(client, world):
    assert client.get(reverse("cases:list"), {"download": "csv"}).status_code == 302
    client.force_login(world.analyst)
    assert client.get(reverse("cases:list"), {"download": "csv"}).status_code == 403


def test_the_download_keeps_the_filters_and_is_audited(client, world):
    client.force_login(world.owner)
    page = client.get(reverse("cases:list"), {"q": "WLD-2024-00001"}).content.decode()
    assert "download=csv" in page and "q=WLD-2024-00001" in page
    rows = _csv(client.get(reverse("cases:list"), {"q": "WLD-2024-00001", "download": "csv"}))
    assert [row["reference"] for row in rows] == ["WLD-2024-00001"]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail == {"what": "cases", "format": "csv", "filters": {"q": "WLD-2024-00001"}}


@pytest.mark.parametrize(
    "url",
    [
        "cases:referral-inbox",
        "cases:referral-decided",
        "cases:referral-sent",
        "asb:index",
        "asb:register",
        "asb:fpns",
        "asb:reviews",
        "directory:index",
        "missing:index",
        "iom:index",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_list_downloads(client, world, url, fmt):
    client.force_login(world.owner)
    response = client.get(reverse(url), {"download": fmt})
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__format=fmt).count() == 1


def test_people_search_downloads_the_people_found(client, world):
    from saferhub.cases.models import Participant, ParticipantRole
    from saferhub.people.tests.factories import PersonFactory

    person = PersonFactory(partnership=world.partnership, first_name="Orla", last_name="Brackenbury")
    Participant.objects.create(case=world.case, person=person, role=ParticipantRole.DIRECT_VICTIM)
    client.force_login(world.owner)
    rows = _csv(client.get(reverse("people:search"), {"q": "Brackenbury", "download": "csv"}))
    assert [row["last_name"] for row in rows] == ["Brackenbury"]


def test_hub_triage_downloads_the_queue(client):
    from saferhub.victims.tests.world import build_world as hub_world
    from saferhub.victims.tests.world import client_for, new_referral

    world = hub_world()
    hub = new_referral(world)
    rows = _csv(client_for(world, "owner").get(reverse("victims:triage"), {"download": "csv"}))
    assert [row["referral"] for row in rows] == [hub.referral.reference]
    assert rows[0]["crime_type"] == hub.crime_type.code
    assert client_for(world, "other_agency").get(reverse("victims:triage"), {"download": "csv"}).status_code == 403
