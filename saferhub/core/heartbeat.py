"""The background worker's heartbeat, written by `manage.py run_worker` and read by /healthz."""

import datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone

from saferhub.core.models import WorkerHeartbeat

# Rows of workers that stopped this long ago are removed when a worker starts.
FORGET_AFTER = datetime.timedelta(days=7)


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"started_at": started_at, "beat_at": timezone.now()}
    )


def forget_stopped_workers() -> int:
    deleted, _ = WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - FORGET_AFTER).delete()
    return deleted


def status(stale_after_seconds: int) -> dict[str, Any]:
    """The newest heartbeat's age and how many workers beat within `stale_after_seconds`; no worker names."""
    now = timezone.now()
    last = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    if last is None:
        return {"status": "never seen", "last_beat_seconds_ago": None, "alive": 0}
    age = max(0, int((now - last).total_seconds()))
    alive = WorkerHeartbeat.objects.filter(beat_at__gte=now - datetime.timedelta(seconds=stale_after_seconds)).count()
    return {"status": "ok" if age <= stale_after_seconds else "stale", "last_beat_seconds_ago": age, "alive": alive}
