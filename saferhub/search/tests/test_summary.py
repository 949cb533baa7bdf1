"""The case summary and chronology: printable page and Word document, policy-checked and audited as an export."""

import io

import docx
import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import CaseLink, Note, Participant, ParticipantRole
from saferhub.cases.tests.factories import CaseFactory
from saferhub.cases.tests.test_case_world import build_world
from saferhub.people.models import ContactDetail, ContactKind
from saferhub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    Note.objects.create(case=w.case, text="Invented note: the victim was phoned.", created_by=w.owner)
    w.person = PersonFactory(partnership=w.partnership, first_name="Hester", last_name="Larkspur")
    Participant.objects.create(case=w.case, person=w.person, role=ParticipantRole.DIRECT_VICTIM)
    ContactDetail.objects.create(person=w.person, kind=ContactKind.ADDRESS, value="1 Invented Row", confidential=True)
    ContactDetail.objects.create(person=w.person, kind=ContactKind.PHONE, value="01632 960000")
    police_case = CaseFactory(owning_team=w.police_team, case_type=w.case_type, title="Invented police matter")
    CaseLink.objects.create(from_case=w.case, to_case=police_case, reason="Same address")
    return w


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("colleague", 404), ("other_agency", 404), ("shared", 200), ("analyst", 404)],
)
def test_who_may_read_the_summary(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("casework:case-summary", args=[world.case.reference])).status_code == status
    assert client.get(reverse("casework:case-summary-docx", args=[world.case.reference])).status_code == status


def test_the_restricted_case_summary_is_hidden_from_an_unnamed_teammate(client, world):
    client.force_login(world.teammate)
    url = reverse("casework:case-summary", args=[world.restricted_case.reference])
    assert client.get(url).status_code == 404


def test_the_printable_page_holds_the_chronology_and_the_marking(client, world, django_assert_max_num_queries):
    client.force_login(world.owner)
    url = reverse("casework:case-summary", args=[world.case.reference])
    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()
    assert page.count("OFFICIAL-SENSITIVE") >= 3  # top and foot of every printed page, and once on screen
    assert "Invented note: the victim was phoned." in page
    assert "1 Invented Row" in page  # the owning team sees confidential details
    assert "Invented police matter" not in page  # a linked case the owner may not open
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.case_id == world.case.pk and event.detail == {"what": "case summary", "format": "print"}


def test_a_shared_agency_does_not_see_confidential_details(client, world):
    client.force_login(world.shared)
    page = client.get(reverse("casework:case-summary", args=[world.case.reference])).content.decode()
    assert "01632 960000" in page
    assert "1 Invented Row" not in page and "Confidential details withheld" in page


def test_the_word_document_is_a4_marked_and_numbered(client, world):
    client.force_login(world.owner)
    response = client.get(reverse("casework:case-summary-docx", args=[world.case.reference]))
    assert response["Content-Disposition"].startswith(f'attachment; filename="{world.case.reference}-summary-')
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Invented note: the victim was phoned." in text and "Hester Larkspur" in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__format="docx").count() == 1
