"""The worker pool on Celery: the same django-tasks task code, run by Celery workers through Redis or RabbitMQ.

Saferhub's tasks are django-tasks ``@task`` functions. Which pool runs them is a setting:
``TASKS_BACKEND=database`` (the default: django-tasks' database backend, workers are
``manage.py db_worker``) or ``TASKS_BACKEND=celery`` (this backend; workers are
``celery -A saferhub.core.celery_backend worker``, the broker is ``CELERY_BROKER_URL``,
``redis://…`` or ``amqp://…``). Enqueuing sends the task's import path and arguments to
one generic Celery task, which imports the django-tasks task and calls it, so a task is
written once and runs on either pool.
"""

import os
from typing import Any

from celery import Celery
from celery.result import AsyncResult
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id, normalize_json

RUN_TASK = "saferhub.run_task"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")
app = Celery("saferhub")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name=RUN_TASK)
def run_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """In the Celery worker: import the django-tasks task and run its function."""
    import django

    django.setup()
    task: Task = import_string(module_path)
    return normalize_json(task.call(*args, **kwargs))


class CeleryBackend(BaseTaskBackend):
    """A django-tasks backend that hands tasks to Celery (broker and results from CELERY_* settings)."""

    supports_defer = False
    supports_async_task = False
    # Results live in Celery's result backend: read them with `outcome` (or Celery's tools).
    supports_get_result = False

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result_id = get_random_id()
        # The task's queue is the Celery queue, so workers can be given queues as db_worker is.
        app.send_task(
            RUN_TASK, args=[task.module_path, list(args), dict(kwargs)], task_id=result_id, queue=task.queue_name
        )
        return TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


def outcome(result_id: str, timeout: float) -> Any:
    """Wait for an enqueued task's return value (Celery keeps it in CELERY_RESULT_BACKEND)."""
    return AsyncResult(result_id, app=app).get(timeout=timeout)
