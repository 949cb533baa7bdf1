"""Big uploads are imported by the task worker; the request returns to a progress page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Agency, Role
from saferhub.accounts.tests.factories import PartnershipFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.imports.management.commands.import_records import ProgressBar
from saferhub.imports.models import ImportRun, ImportStatus
from saferhub.imports.tasks import RunProgress, import_upload
from saferhub.imports.tests.helpers import HEADER

pytestmark = pytest.mark.django_db


def csv_bytes(count, bad_line=None):
    rows = [f"R{n},Organisation {n},council,\n" for n in range(2, count + 2)]
    if bad_line:
        rows[bad_line - 2] = f"R{bad_line},Organisation {bad_line},spaceship,\n"
    return (HEADER + "".join(rows)).encode()


@pytest.fixture
def background(settings, tmp_path):
    settings.IMPORT_BACKGROUND_ROWS = 10
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings


@pytest.fixture
def admin(client):
    user = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    client.force_login(user)
    return user


def upload(client, content, **data):
    payload = {"kind": "organisations", "file": SimpleUploadedFile("big.csv", content, "text/csv")} | data
    return client.post(reverse("imports:upload"), payload)


def test_a_big_file_goes_to_the_worker_and_the_page_shows_its_result(client, background, admin):
    response = upload(client, csv_bytes(40))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    # The immediate backend (tests) has run it already.
    assert (run.status, run.created_count, run.rows_total, run.rows_done) == (ImportStatus.SUCCEEDED, 40, 40, 40)
    assert run.user == admin and run.finished_at is not None
    assert Agency.objects.filter(partnership=admin.partnership, external_ref__startswith="R").count() == 40
    # The kept upload is gone once imported.
    assert run.upload_name == ""
    assert list((background.IMPORT_UPLOAD_DIR).iterdir()) == []
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, object_id=str(run.pk)).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "File imported" in page and "40 created, 0 updated, 0 unchanged" in page
    assert 'hx-trigger="every' not in page  # no polling once finished (the header bell loads once)


def test_a_small_file_is_imported_in_the_request(client, background, admin):
    response = upload(client, csv_bytes(10))
    assert response.status_code == 200
    assert "10 created" in response.content.decode()


def test_a_bad_big_file_writes_nothing_and_lists_its_problems(client, background, admin):
    response = upload(client, csv_bytes(40, bad_line=30), dry_run="")
    run = ImportRun.objects.get()
    assert (run.status, run.error_count) == (ImportStatus.FAILED, 1)
    assert not Agency.objects.filter(external_ref__startswith="R").exists()
    page = client.get(response["Location"]).content.decode()
    assert "line 30, column kind: &#x27;spaceship&#x27; is not one of" in page
    assert "Nothing has been imported" in page


# Committed for real: the worker closes connections between tasks, as it does in production.
@pytest.mark.django_db(transaction=True)
def test_the_request_only_queues_the_import_and_the_worker_runs_it(client, background, admin):
    background.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = upload(client, csv_bytes(40), dry_run="")
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.QUEUED and run.finished_at is None
    assert not Agency.objects.filter(external_ref__startswith="R").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to import big.csv" in page
    assert 'hx-trigger="every 2s"' in page
    assert "0 of about 40 rows read (0%)" in page
    assert f'href="{reverse("imports:run", args=[run.pk])}">Refresh' in page

    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)

    run.refresh_from_db()
    assert (run.status, run.created_count) == (ImportStatus.SUCCEEDED, 40)
    assert Agency.objects.filter(external_ref__startswith="R").count() == 40


def test_a_task_whose_file_has_gone_fails_visibly(background):
    partnership = PartnershipFactory()
    run = ImportRun.objects.create(
        partnership=partnership,
        kind="organisations",
        filename="gone.csv",
        started_at=timezone.now(),
        status=ImportStatus.QUEUED,
        upload_name="missing.csv",
    )
    with pytest.raises(FileNotFoundError):
        import_upload.call(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.errors == ["the import stopped unexpectedly (FileNotFoundError): try again or ask for help"]
    # Delivered again, it is not run twice.
    assert import_upload.call(run.pk) == ImportStatus.FAILED


def test_a_running_import_shows_its_progress(client, admin):
    run = ImportRun.objects.create(
        partnership=admin.partnership,
        kind="organisations",
        filename="big.csv",
        started_at=timezone.now(),
        status=ImportStatus.RUNNING,
        rows_total=4000,
        rows_done=1000,
        error_count=2,
    )
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Importing big.csv" in page
    assert "1000 of about 4000 rows read (25%). 2 problems found so far." in page
    assert '<progress class="saferhub-progress" max="100" value="25">' in page
    assert page.count("<h1") == 1
    listing = client.get(reverse("imports:index")).content.decode()
    assert "Importing: 1000 of about 4000 rows" in listing


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("analyst", 200), ("caseworker", 403), ("other partnership admin", 404), ("anonymous", 302)],
)
def test_who_sees_a_run(client, who, status):
    owner = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    run = ImportRun.objects.create(
        partnership=owner.partnership,
        kind="organisations",
        filename="big.csv",
        started_at=timezone.now(),
        status=ImportStatus.QUEUED,
    )
    users = {
        "admin": owner,
        "analyst": UserFactory(roles=[Role.ANALYST], partnership=owner.partnership),
        "caseworker": UserFactory(roles=[Role.CASEWORKER], partnership=owner.partnership),
        "other partnership admin": UserFactory(roles=[Role.PARTNERSHIP_ADMIN]),
    }
    if who in users:
        client.force_login(users[who])
    assert client.get(reverse("imports:run", args=[run.pk])).status_code == status


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: no progress mid-run")
def test_progress_is_committed_while_the_import_transaction_is_open():
    run = ImportRun.objects.create(
        partnership=PartnershipFactory(),
        kind="organisations",
        filename="big.csv",
        started_at=timezone.now(),
        status=ImportStatus.RUNNING,
        rows_total=100,
    )
    progress = RunProgress(run)
    other = connections.create_connection("default")
    try:
        with transaction.atomic():
            Agency.objects.create(partnership=run.partnership, name="Uncommitted")
            progress(60, 3)
            with other.cursor() as cursor:
                cursor.execute("SELECT rows_done, error_count FROM imports_importrun WHERE id = %s", [run.pk])
                assert cursor.fetchone() == (60, 3)
    finally:
        progress.close()
        other.close()


def test_the_command_line_progress_bar():
    out = io.StringIO()
    bar = ProgressBar(out, 1000)
    bar(250, 1)
    assert out.getvalue() == "\r[########----------------------]  25% 250 of about 1,000 rows, 1 problem\x1b[K"
    bar.error("line 3, column kind: bad")
    assert out.getvalue().endswith("\r\x1b[Kline 3, column kind: bad\n")
