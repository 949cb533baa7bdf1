"""Backup and restore on whichever database the suite runs on (CI runs it on SQLite and on PostgreSQL):
backup, wipe, restore gives back the same cases, audit trail and uploaded files."""

import json
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from saferhub.audit import log
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Case
from saferhub.cases.tests.test_case_world import build_world

# pg_dump reads from its own connection, so the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _files_apart_from_backups(settings, tmp_path):
    files = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "files")}}
    settings.STORAGES = {**settings.STORAGES, "default": files}


def _cases():
    return list(Case.objects.order_by("pk").values_list("pk", "reference", "title", "status", "restricted"))


def _audit():
    return list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "user_id", "case_id", "detail", "at"))


def _files():
    root = Path(default_storage.location)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def world():
    w = build_world()
    client = Client()
    client.force_login(w.owner)
    assert client.get(f"/cases/{w.case.reference}/").status_code == 200  # audited as a view
    log.record(w.owner, AuditAction.EXPORT, w.case, detail={"invented": "export"})
    default_storage.save("letters/invented-letter.txt", ContentFile(b"An invented letter\n"))
    default_storage.save("invented-photo.bin", ContentFile(bytes(range(256))))
    return w


def test_backup_wipe_restore_gives_the_same_cases_audit_trail_and_files(world, tmp_path):
    archive = tmp_path / "backups" / "backup.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    cases, audit, files = _cases(), _audit(), _files()
    assert len(cases) == 2 and len(files) == 2
    assert audit[-1][1] == AuditAction.EXPORT and audit[-1][4]["what"] == "backup"

    call_command("flush", "--noinput", verbosity=0)
    for name in files:
        default_storage.delete(name)
    default_storage.save("made-after-the-backup.txt", ContentFile(b"gone after restore"))
    assert not Case.objects.exists() and not AuditEvent.objects.exists()

    call_command("restore", str(archive), "--yes", verbosity=0)

    assert _cases() == cases
    restored = _audit()
    assert restored[:-1] == audit
    assert restored[-1][1] == AuditAction.IMPORT and restored[-1][4]["what"] == "restore"
    assert _files() == files
    # The restored database is usable: new rows follow the restored ones.
    assert log.record(None, AuditAction.EXPORT).pk > restored[-1][0]


def test_archive_is_private_and_says_what_it_holds(world, tmp_path):
    archive = tmp_path / "backups" / "backup.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    database = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert {"manifest.json", database, "files/letters/invented-letter.txt", "files/invented-photo.bin"} <= names
    assert manifest["vendor"] == connection.vendor and manifest["files"] == 2
    assert "core.0001_reference_codes" in manifest["migrations"]


def test_backup_never_overwrites(world, tmp_path):
    archive = tmp_path / "backups" / "backup.tar.gz"
    archive.parent.mkdir()
    archive.write_bytes(b"an earlier file")
    with pytest.raises(CommandError, match="already exists: choose another file name"):
        call_command("backup", "--output", str(archive), verbosity=0)
    assert archive.read_bytes() == b"an earlier file"


def test_restore_refuses_what_is_not_a_backup(world, tmp_path):
    other = tmp_path / "backups" / "notes.tar.gz"
    other.parent.mkdir()
    other.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="is not a Saferhub backup"):
        call_command("restore", str(other), "--yes")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")
    assert Case.objects.count() == 2


def _rewrite_manifest(archive, change):
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    change(manifest)
    path = archive.with_name("changed.tar.gz")
    manifest_file = archive.with_name("manifest.json")
    manifest_file.write_text(json.dumps(manifest))
    with tarfile.open(path, "w:gz") as tar:
        tar.add(manifest_file, arcname="manifest.json")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(vendor="oracle"), "This backup is of a oracle database"),
        (lambda m: m["migrations"].append("core.9999_from_the_future"), "made by a newer Saferhub"),
    ],
    ids=["another-database", "newer-saferhub"],
)
def test_restore_refuses_another_database_or_a_newer_saferhub(world, tmp_path, change, message):
    archive = tmp_path / "backups" / "backup.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    before = _cases()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(_rewrite_manifest(archive, change)), "--yes")
    assert _cases() == before


def test_restore_asks_for_the_database_name(world, tmp_path, monkeypatch):
    archive = tmp_path / "backups" / "backup.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    Case.objects.filter(pk=world.case.pk).update(title="Changed after the backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "not-the-name")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(archive), stdout=None)
    assert Case.objects.get(pk=world.case.pk).title == "Changed after the backup"

    monkeypatch.setattr("builtins.input", lambda prompt: str(connection.settings_dict["NAME"]))
    call_command("restore", str(archive), verbosity=0)
    assert Case.objects.get(pk=world.case.pk).title == "Invented case one"


def test_backup_is_not_written_among_the_files_it_archives(world):
    inside = Path(default_storage.location) / "backup.tar.gz"
    with pytest.raises(CommandError, match="outside the uploaded files"):
        call_command("backup", "--output", str(inside), verbosity=0)
    assert not inside.exists()
