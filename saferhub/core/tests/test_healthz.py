"""/healthz: 200 when the database answers and every migration is applied, 503 otherwise; it reports the worker's
heartbeat, is open without signing in, and reveals no data. The worker command records that heartbeat."""

import datetime

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from saferhub.core import health
from saferhub.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

URL = "/healthz"
KEYS = {"status", "database", "migrations", "worker"}


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


@task()
def invented_chore(value: int) -> int:
    return value * 2


def test_url_is_the_named_route():
    assert reverse("core:healthz") == URL


def test_healthy_without_signing_in_and_reveals_nothing_else(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert set(body) == KEYS
    assert body["status"] == body["database"] == body["migrations"] == "ok"
    assert body["worker"] == {"status": "never seen", "last_beat_seconds_ago": None, "alive": 0}


def test_head_is_allowed_and_post_is_not(client):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_unapplied_migration_gives_503(client):
    MigrationRecorder.Migration.objects.filter(app="core").order_by("-applied", "-id").first().delete()
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "migrations": "1 unapplied",
        "worker": None,
    }


def test_unreachable_database_gives_503(client, monkeypatch):
    def refuse():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["status"] == "unavailable"


def test_reports_the_newest_heartbeat_and_calls_an_old_one_stale(client, settings):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 300
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="invented-host-1", started_at=now, beat_at=now - datetime.timedelta(seconds=20)
    )
    WorkerHeartbeat.objects.create(
        worker_id="invented-host-2", started_at=now, beat_at=now - datetime.timedelta(hours=2)
    )
    worker = client.get(URL).json()["worker"]
    assert worker["status"] == "ok" and worker["alive"] == 1
    assert 20 <= worker["last_beat_seconds_ago"] < 60
    assert "invented-host" not in client.get(URL).content.decode()

    WorkerHeartbeat.objects.filter(worker_id="invented-host-1").update(beat_at=now - datetime.timedelta(minutes=10))
    response = client.get(URL)
    assert response.status_code == 200  # a stopped worker is reported, not fatal
    assert response.json()["worker"]["status"] == "stale"
    assert response.json()["worker"]["alive"] == 0


# The worker closes its database connection between rounds, as it would in production.
@pytest.mark.django_db(transaction=True)
def test_worker_runs_waiting_tasks_and_beats(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    WorkerHeartbeat.objects.create(
        worker_id="long-gone", started_at=timezone.now(), beat_at=timezone.now() - datetime.timedelta(days=30)
    )
    result = invented_chore.enqueue(21)
    assert DBTaskResult.objects.get(id=result.id).status == "READY"

    call_command("run_worker", "--batch")

    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(id=result.id).return_value == 42
    beat = WorkerHeartbeat.objects.get()  # the long-stopped worker's row is forgotten
    assert timezone.now() - beat.beat_at < datetime.timedelta(seconds=30)
    assert client.get(URL).json()["worker"]["status"] == "ok"
