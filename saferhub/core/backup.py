"""Backing up and restoring an installation: the database and the uploaded files, in one archive.

The archive is a gzipped tar holding ``manifest.json``, the database (``database.dump``, PostgreSQL's
custom format from ``pg_dump``, or ``database.sqlite3``, a copy made with SQLite's backup API) and the
uploaded files under ``files/``. It holds everything, personal data included: it is written readable
by its owner only, and belongs wherever the partnership keeps its other protected backups.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FILES = "files"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def default_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"saferhub-{stamp}.tar.gz"


def files_root() -> Path | None:
    """The directory of uploaded files, or None when they are not on the local file system."""
    location = getattr(storages["default"], "location", None)
    return Path(location) if location else None


def _applied_migrations() -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def _pg_args_and_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed program, our arguments
    except FileNotFoundError:
        raise BackupError(f"{command[0]} was not found: install the PostgreSQL client tools.") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_database(into: Path) -> str:
    if connection.vendor == "postgresql":
        args, env = _pg_args_and_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(into / PG_DUMP), *args], env)
        return PG_DUMP
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(into / SQLITE_COPY)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return SQLITE_COPY
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def backup(path: Path) -> dict[str, Any]:
    """Write the archive to `path`; returns its manifest."""
    if path.exists():
        raise BackupError(f"{path} already exists: choose another file name.")
    root = files_root()
    if root and path.resolve().is_relative_to(root.resolve()):
        raise BackupError(f"Write the backup outside the uploaded files ({root}), or it would archive itself.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Recorded first, so the backup itself holds the record that it was made.
    log.record(None, AuditAction.EXPORT, detail={"what": "backup", "file": path.name})
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        database = _dump_database(work)
        manifest = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database": database,
            "migrations": _applied_migrations(),
            "files": sum(1 for p in root.rglob("*") if p.is_file()) if root and root.is_dir() else 0,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = path.with_name(path.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(work / database, arcname=database)
            if root and root.is_dir():
                archive.add(root, arcname=FILES)
        partial.rename(path)
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except (tarfile.TarError, KeyError, json.JSONDecodeError, OSError):
        raise BackupError(f"{path} is not a Saferhub backup (made by `manage.py backup`).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is a backup in format {manifest.get('format')}; this Saferhub reads format {FORMAT}."
        )
    return manifest


def check_restorable(manifest: dict[str, Any]) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest['vendor']} database but DATABASE_URL points at {connection.vendor}: "
            "restore it into the same kind of database."
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    newer = sorted(set(manifest["migrations"]) - known)
    if newer:
        raise BackupError(
            f"This backup was made by a newer Saferhub (it has migrations this one lacks, such as {newer[0]}): "
            "upgrade first, then restore."
        )


def _restore_database(work: Path, manifest: dict[str, Any]) -> None:
    if manifest["vendor"] == "postgresql":
        connection.close()
        args, env = _pg_args_and_env()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(work / PG_DUMP),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(work / SQLITE_COPY)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def _restore_files(work: Path) -> None:
    root = files_root()
    saved = work / FILES
    if root is None:
        if saved.is_dir():
            raise BackupError("The backup holds uploaded files, but the file storage is not a local directory.")
        return
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if saved.is_dir():
        shutil.copytree(saved, root, dirs_exist_ok=True)


def restore(path: Path) -> dict[str, Any]:
    """Replace the database and the uploaded files with those in the archive at `path`."""
    manifest = read_manifest(path)
    check_restorable(manifest)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(path, mode="r:gz") as archive:
            archive.extractall(work, filter="data")
        if not (work / manifest["database"]).is_file():
            raise BackupError(f"{path} has no database in it: it is incomplete.")
        _restore_database(work, manifest)
        _restore_files(work)
    log.record(None, AuditAction.IMPORT, detail={"what": "restore", "file": path.name, "made_at": manifest["made_at"]})
    return manifest
