"""The worker pool on Celery: a django-tasks task enqueued with TASKS_BACKEND=celery runs in a real Celery
worker through the real Redis broker at CELERY_BROKER_URL (127.0.0.1:6379 by default).

Skipped only when Redis cannot be reached outside CI; in CI, where Redis runs, an unreachable
broker fails the test.
"""

import os
import socket
import uuid
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import override_settings

BROKER = settings.CELERY_BROKER_URL


def _redis_reachable() -> bool:
    url = urlparse(BROKER)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


# A queue of this run's own, so a worker started by another checkout on the same Redis never takes its task.
QUEUE = f"saferhub-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def celery_worker():
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {BROKER}: CI must start it.")
        pytest.skip(f"Redis is not reachable at {BROKER}")
    from celery.contrib.testing.worker import start_worker

    from saferhub.core.celery_backend import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[QUEUE]):
        yield app


def test_the_setting_picks_the_pool():
    assert settings.TASKS_BACKENDS["celery"] == "saferhub.core.celery_backend.CeleryBackend"
    assert settings.TASKS_BACKENDS["database"] == "django_tasks_db.DatabaseBackend"


def test_a_task_runs_through_redis_in_a_celery_worker(celery_worker):
    from saferhub.core.celery_backend import CeleryBackend, outcome
    from saferhub.core.tests.celery_tasks import count_words

    backend = {"BACKEND": "saferhub.core.celery_backend.CeleryBackend", "QUEUES": [QUEUE]}
    with override_settings(TASKS={"default": backend}):
        from django_tasks import task_backends

        assert isinstance(task_backends["default"], CeleryBackend)
        result = count_words.using(queue_name=QUEUE).enqueue("the same task code on either pool The")
        assert outcome(result.id, timeout=30) == {"words": 8, "distinct": 7}
