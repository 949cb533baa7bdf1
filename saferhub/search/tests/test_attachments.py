"""Attachments on cases, referrals and meetings: checked uploads, policy-served downloads, audit, backups."""

import datetime
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.tests.factories import ReferralFactory
from saferhub.cases.tests.test_case_world import build_world
from saferhub.core.uploads import check_upload
from saferhub.search import actions
from saferhub.search.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _checked(name="statement.pdf", content=PDF):
    return check_upload(name, content, kinds=("pdf", "png"), accepted="PDF or PNG", max_bytes=1024 * 1024)


@pytest.fixture
def world(db):
    w = build_world()
    w.attachment = actions.add_attachment(w.owner, w.case, _checked())
    w.restricted_attachment = actions.add_attachment(w.owner, w.restricted_case, _checked("secret.pdf"))
    return w


def _client(client, world, who):
    user = {
        "owner": world.owner,
        "colleague": world.colleague,
        "other_agency": world.other_agency,
        "shared": world.shared,
        "restricted_outsider": world.teammate,
        "analyst": world.analyst,
    }.get(who)
    if user is not None:
        client.force_login(user)
    return client


def _status(response):
    if response.status_code == 302 and "/sign-in/" in response.url:
        return "sign-in"
    return response.status_code


@pytest.mark.parametrize(
    ("who", "download", "upload"),
    [
        ("owner", 200, 200),
        ("colleague", 404, 404),
        ("other_agency", 404, 404),
        ("shared", 200, 200),
        ("restricted_outsider", 404, 404),
        ("analyst", 404, 404),
        ("anonymous", "sign-in", "sign-in"),
    ],
)
def test_who_may_download_and_upload(client, world, who, download, upload):
    client = _client(client, world, who)
    # The restricted outsider is tried on the restricted case's file; everyone else on the ordinary case's.
    attachment = world.restricted_attachment if who == "restricted_outsider" else world.attachment
    case = attachment.case
    assert _status(client.get(reverse("casework:attachment-download", args=[attachment.pk]))) == download
    add_url = reverse("casework:case-attachment-add", args=[case.reference])
    assert _status(client.get(add_url)) == upload


def test_upload_is_sniffed_renamed_stored_apart_and_listed(client, world):
    client.force_login(world.owner)
    url = reverse("casework:case-attachment-add", args=[world.case.reference])
    upload = SimpleUploadedFile("../../etc/Photo <1>.PNG", PNG, content_type="application/pdf")
    response = client.post(url, {"file": upload, "description": "Damage to the door"})
    assert response.status_code == 302
    attachment = Attachment.objects.get(description="Damage to the door")
    assert attachment.filename == "Photo -1.png"
    assert attachment.content_type == "image/png"  # from the content, not from what the browser said
    assert attachment.file.name.startswith(f"attachments/{world.partnership.pk}/")
    assert "Photo" not in attachment.file.name
    created = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="search.attachment", object_id=str(attachment.pk)
    )
    assert created.case_id == world.case.pk
    page = client.get(reverse("cases:detail", args=[world.case.reference])).content.decode()
    assert "Photo -1.png" in page and reverse("casework:attachment-download", args=[attachment.pk]) in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"just some text", "The file must be a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx)"),
        ("statement.docx", PDF, "The file’s name ends .docx but it holds a PDF file: rename it to end .pdf"),
        ("empty.pdf", b"", "The file you chose is empty"),
    ],
)
def test_a_refused_upload_names_the_field_and_writes_nothing(client, world, name, content, message):
    client.force_login(world.owner)
    url = reverse("casework:case-attachment-add", args=[world.case.reference])
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "’").replace("'", "’")
    assert message in page and 'href="#id_file"' in page
    assert Attachment.objects.count() == 2


def test_download_is_audited_as_an_export(client, world):
    client.force_login(world.shared)
    response = client.get(reverse("casework:attachment-download", args=[world.attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, user=world.shared)
    assert event.detail["what"] == "attachment" and event.case_id == world.case.pk


def test_referral_and_meeting_attachments(client, world):
    from saferhub.panels.models import Meeting, PanelKind, PanelType

    referral = ReferralFactory(to_team=world.owner_team, case_type=world.case_type)
    client.force_login(world.owner)
    url = reverse("casework:referral-attachment-add", args=[referral.pk])
    assert client.post(url, {"file": SimpleUploadedFile("r.pdf", PDF)}).status_code == 302
    assert "r.pdf" in client.get(reverse("cases:referral-detail", args=[referral.pk])).content.decode()
    client.force_login(world.other_agency)
    assert client.get(url).status_code == 404

    panel_type = PanelType.objects.create(
        partnership=world.partnership,
        code="invented",
        kind=PanelKind.values[0],
        name="Invented",
        case_type=world.case_type,
    )
    meeting = Meeting.objects.create(
        partnership=world.partnership, panel_type=panel_type, date=datetime.date(2026, 12, 2)
    )
    coordinator = UserFactory(team=world.owner_team, roles=[Role.CASEWORKER, Role.PANEL_COORDINATOR])
    meeting_url = reverse("casework:meeting-attachment-add", args=[meeting.pk])
    assert client.get(meeting_url).status_code == 403  # a caseworker who does not coordinate panels
    client.force_login(coordinator)
    assert client.post(meeting_url, {"file": SimpleUploadedFile("minutes.pdf", PDF)}).status_code == 302
    assert Attachment.objects.filter(meeting=meeting, filename="minutes.pdf").exists()


@pytest.mark.django_db(transaction=True)
def test_attachments_are_in_the_backup(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    w = build_world()
    attachment = actions.add_attachment(w.owner, w.case, _checked())
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        assert tar.extractfile(f"files/{attachment.file.name}").read() == PDF
