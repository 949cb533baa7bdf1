"""Meetings: actions carried until done, published and full agenda and minutes, papers, minutes and decisions,
attendance, audit, and the interface the board pack calls."""

import datetime
import io
import zipfile

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.boards import api
from saferhub.boards.models import AgendaItem, Attendance, BoardAction, Decision, Meeting, Paper
from saferhub.boards.papers import PaperRefused, check, safe_filename
from saferhub.boards.tests.world import RESTRICTED_DECISION, RESTRICTED_TITLE, build_world


@pytest.fixture
def world(db):
    return build_world()


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    parts += [p.text for p in document.sections[0].header.paragraphs]
    return "\n".join(parts)


def _docx_bytes(body: str = "Invented paper") -> bytes:
    document = docx.Document()
    document.add_paragraph(body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Carried actions ------------------------------------------------------------------------------------


def test_open_actions_are_carried_to_every_later_meeting_until_done(client, world):
    client.force_login(world.users["admin"])
    page = client.get(reverse("boards:meeting", args=[world.second.pk]))
    arising = page.context["record"].matters_arising
    assert world.carried in arising and world.secret_action in arising
    assert world.done not in arising  # done before the meeting
    assert (
        world.carried
        in client.get(reverse("boards:meeting", args=[world.planned.pk])).context["record"].matters_arising
    )
    response = client.post(
        reverse("boards:action-complete", args=[world.carried.pk]), {"version": world.carried.version}
    )
    assert response.status_code == 302
    world.carried.refresh_from_db()
    assert world.carried.status == "done" and world.carried.completed_on == timezone.localdate()
    # Done today: still shown at the held meeting (done after it), gone from the planned one's matters arising.
    assert world.carried in BoardAction.objects.carried_to(world.second)
    later = Meeting.objects.get(pk=world.planned.pk)
    later.starts_at = later.starts_at + datetime.timedelta(days=1)
    assert world.carried not in BoardAction.objects.carried_to(later)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(world.carried.pk)).exists()


def test_a_stale_mark_done_changes_nothing(client, world):
    client.force_login(world.users["secretariat"])
    response = client.post(reverse("boards:action-complete", args=[world.carried.pk]), {"version": 99})
    assert response.status_code == 302
    world.carried.refresh_from_db()
    assert world.carried.status == "open"


def test_the_published_record_leaves_restricted_items_out(client, world):
    client.force_login(world.users["analyst"])
    page = client.get(reverse("boards:meeting", args=[world.second.pk]))
    body = page.content.decode()
    assert "Invented carried action" in body
    assert "Invented restricted action" not in body
    first = client.get(reverse("boards:meeting", args=[world.first.pk])).content.decode()
    assert "Item 2: restricted" in first and RESTRICTED_TITLE not in first and RESTRICTED_DECISION not in first
    assert "Secret minute" not in first


# Documents ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("document", ["agenda", "minutes"])
def test_published_and_full_documents(client, world, document):
    client.force_login(world.users["member"])
    name = f"boards:{document}-document"
    published = client.get(reverse(name, args=[world.first.pk, "published"]))
    full = client.get(reverse(name, args=[world.first.pk, "full"]))
    assert published["Content-Disposition"].endswith(f'-{document}-published.docx"')
    assert full["Content-Disposition"].endswith(f'-{document}-full-not-for-publication.docx"')
    assert published["Content-Disposition"] != full["Content-Disposition"]
    shown, everything = _text(published.content), _text(full.content)
    assert "Item 2: restricted" in shown and RESTRICTED_TITLE not in shown and "OFFICIAL" in shown
    assert RESTRICTED_TITLE.upper() in everything.upper() and "NOT FOR PUBLICATION" in everything
    if document == "minutes":
        assert "RESOLVED: that the invented report be noted" in shown
        assert RESTRICTED_DECISION not in shown and f"RESOLVED: {RESTRICTED_DECISION}" in everything
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(world.first.pk))
    assert sorted(e.detail["version"] for e in events) == ["full", "published"]


def test_documents_are_a4_with_page_numbers_and_the_same_bytes_each_time(client, world):
    client.force_login(world.users["admin"])
    url = reverse("boards:minutes-document", args=[world.first.pk, "published"])
    data = client.get(url).content
    assert client.get(url).content == data
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = zipfile.ZipFile(io.BytesIO(data)).read("word/footer1.xml").decode()
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_the_minutes_of_the_next_meeting_list_matters_arising(client, world):
    client.force_login(world.users["analyst"])
    text = _text(client.get(reverse("boards:minutes-document", args=[world.second.pk, "published"])).content)
    assert "Invented carried action" in text and "Invented restricted action" not in text


# Minutes, attendance, agenda items ------------------------------------------------------------------


def test_recording_minutes_and_decisions(client, world):
    client.force_login(world.users["secretariat"])
    item = world.open_item
    response = client.post(
        reverse("boards:item-minutes", args=[item.pk]),
        {
            "minutes": "The board discussed it.",
            "decisions": "RESOLVED: that it be noted\n\nthat it come back",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    assert list(Decision.objects.filter(item=item).values_list("text", flat=True)) == [
        "that it be noted",
        "that it come back",
    ]


def test_recording_attendance_and_apologies(client, world):
    client.force_login(world.users["secretariat"])
    url = reverse("boards:attendance", args=[world.second.pk])
    form = client.get(url).context["form"]
    seats = world.seats
    assert seats["former"] not in form.members  # not on the board on the day
    data = {"version": world.second.version}
    data[f"status_{seats['member'].pk}"] = "present"
    data[f"status_{seats['caseworker_member'].pk}"] = "apologies"
    data[f"substitute_{seats['member'].pk}"] = "Invented Deputy"
    assert client.post(url, data).status_code == 302
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=world.second)}
    assert rows[seats["member"].pk].status == "present" and rows[seats["member"].pk].substitute == "Invented Deputy"
    assert rows[seats["caseworker_member"].pk].status == "apologies"
    assert seats["secretariat"].pk not in rows


def test_an_item_number_is_unique_and_a_restricted_item_needs_a_reason(client, world):
    client.force_login(world.users["admin"])
    url = reverse("boards:item-add", args=[world.first.pk])
    response = client.post(url, {"number": 1, "title": "Invented", "restricted": "on"})
    errors = response.context["form"].errors
    assert "has an item 1 already" in str(errors["number"])
    assert "Enter why the item is exempt" in str(errors["restriction_reason"])
    assert client.post(url, {"number": 3, "title": "Invented new item"}).status_code == 302
    assert AgendaItem.objects.filter(meeting=world.first, number=3).exists()


def test_adding_a_meeting_and_a_member(client, world):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("boards:meeting-add", args=[world.board.pk]),
        {"date": "2026-12-04", "time": "10:00", "place": "Invented Hall", "status": "planned"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("boards:member-add", args=[world.board.pk]),
        {
            "name": "Invented Person",
            "agency": world.council.pk,
            "organisation": "Also this",
            "role": "member",
            "started_on": "2026-01-01",
        },
    )
    assert "Leave the other organisation blank" in str(response.context["form"].errors["organisation"])
    member = world.users["analyst"]
    data = {"name": "Invented Person", "agency": world.council.pk, "role": "adviser", "started_on": "2026-01-01"}
    assert (
        client.post(reverse("boards:member-add", args=[world.board.pk]), {**data, "user": member.pk}).status_code == 302
    )
    seat = world.board.members.get(name="Invented Person")
    assert seat.user == member and seat.modified_by == world.users["secretariat"]
    # The linked account now reads the board's full papers.
    client.force_login(member)
    assert client.get(reverse("boards:agenda-document", args=[world.first.pk, "full"])).status_code == 200


# Papers ---------------------------------------------------------------------------------------------


def test_a_paper_is_sniffed_stored_and_served_only_through_the_policy(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["secretariat"])
    content = _docx_bytes()
    upload = io.BytesIO(content)
    upload.name = "../../Invented <report>.docx"
    response = client.post(
        reverse("boards:paper-add", args=[world.secret.pk]), {"title": "Invented paper", "file": upload}
    )
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert paper.filename == "Invented -report.docx"
    assert paper.file.name.startswith(f"board-papers/{world.partnership.pk}/") and "Invented" not in paper.file.name
    got = client.get(reverse("boards:paper", args=[paper.pk]))
    assert got.status_code == 200 and got["X-Content-Type-Options"] == "nosniff"
    assert b"".join(got.streaming_content) == content
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="boards.paper").exists()
    # A paper of a restricted item is 404 to readers of the published papers.
    client.force_login(world.users["analyst"])
    assert client.get(reverse("boards:paper", args=[paper.pk])).status_code == 404


def test_a_file_that_is_not_what_it_claims_is_refused(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["admin"])
    upload = io.BytesIO(b"<html><script>alert(1)</script></html>")
    upload.name = "report.pdf"
    response = client.post(
        reverse("boards:paper-add", args=[world.open_item.pk]), {"title": "Invented", "file": upload}
    )
    assert response.status_code == 200
    assert "must be a PDF, Word" in str(response.context["form"].errors["file"])
    assert not Paper.objects.exists()


def test_paper_checks():
    assert check("a.pdf", b"%PDF-1.7 invented").content_type == "application/pdf"
    with pytest.raises(PaperRefused, match="rename it to end .docx"):
        check("report.pdf", _docx_bytes())
    with pytest.raises(PaperRefused, match="empty"):
        check("a.pdf", b"")
    with pytest.raises(PaperRefused, match="must be a"):
        check("a.zip", b"PK\x03\x04 not really a zip")
    assert safe_filename("C:\\x\\..\\Évaluation\x00.PDF", "pdf") == "Evaluation.pdf"
    assert safe_filename("....", "pdf") == "paper.pdf"


# The board pack's interface ------------------------------------------------------------------------


def test_the_board_pack_interface(world):
    analyst, secretariat = world.users["analyst"], world.users["secretariat"]
    entries = api.agenda_items(analyst, world.first)
    assert [e.title for e in entries] == ["Invented performance report", "Item 2: restricted"]
    assert entries[1].pk is None and entries[0].decisions == ("that the invented report be noted",)
    assert api.agenda_items(secretariat, world.first)[1].title == RESTRICTED_TITLE
    decision = api.record_pack_considered(
        secretariat,
        world.planned,
        title="Quarterly performance report 2026/27 Q2",
        decision="the board noted the quarterly performance report 2026/27 Q2",
    )
    assert str(decision) == "RESOLVED: the board noted the quarterly performance report 2026/27 Q2"
    assert decision.item.title == "Quarterly performance report 2026/27 Q2" and decision.item.number == 1
    again = api.record_pack_considered(secretariat, world.planned, title="x", decision="another", item_number=1)
    assert again.item == decision.item and again.position == 2
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        api.record_pack_considered(analyst, world.planned, title="x", decision="y")
    assert list(api.meetings_for(analyst)) == [world.planned, world.second, world.first]
