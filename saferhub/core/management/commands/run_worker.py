"""Run the background worker: django-tasks' database worker, with a heartbeat for /healthz."""

import os
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from saferhub.core import heartbeat


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks' db_worker) and record a heartbeat that /healthz reports. "
        "Run one or more beside the web server (`make worker`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name", default=DEFAULT_TASK_QUEUE_NAME, help="queues to take tasks from, comma-separated"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="seconds to wait when there is no task")
        parser.add_argument("--beat-every", type=float, default=30.0, help="seconds between heartbeats")
        parser.add_argument("--batch", action="store_true", help="run every waiting task, beat once, and stop")

    def handle(
        self, *args: Any, queue_name: str, interval: float, beat_every: float, batch: bool, **options: Any
    ) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        started_at = timezone.now()
        # Batch mode makes each run() take every waiting task and return, so the loop can beat between
        # rounds; the heartbeat then means "this worker is taking tasks", not only "the process exists".
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        heartbeat.forget_stopped_workers()
        if batch:
            worker.run()
            heartbeat.beat(worker_id, started_at)
            return
        worker.configure_signals()  # SIGTERM: finish the current task, then stop
        self.stdout.write(f"Worker {worker_id} taking tasks from {queue_name}; heartbeat every {beat_every:g} s.")
        last_beat = float("-inf")
        while worker.running:
            if time.monotonic() - last_beat >= beat_every:
                heartbeat.beat(worker_id, started_at)
                last_beat = time.monotonic()
            worker.run()
            if worker.running:
                time.sleep(interval)
