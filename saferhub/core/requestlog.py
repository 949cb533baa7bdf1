"""Structured logs: one JSON line per request, and request context on every other log line.

A line carries the request id (also sent back as ``X-Request-ID``), the user's id,
the method, the path, the status and the duration. It never carries personal data:
no names or e-mail addresses, no query string (searches hold names), no secret URL
parts (password-reset tokens), and for errors the exception's type and stack but not
its message (database errors quote the row's values).
"""

import contextvars
import datetime
import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("saferhub.requests")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
request_var: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("request", default=None)

# A proxy's request id is kept when it looks like one, so lines can be matched across systems.
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# URL parts that are credentials.
SECRET_URL_KWARGS = ("uidb64", "token")
REDACTED = "[redacted]"


def loggable_path(request: HttpRequest) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SECRET_URL_KWARGS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), REDACTED)
    return path


def user_id(request: HttpRequest | None, *, load: bool) -> int | None:
    """The signed-in user's id; with load=False only if the request has already looked the user up."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if not load and isinstance(user, SimpleLazyObject) and user._wrapped is empty:  # type: ignore[attr-defined]
        # A log line must not query the database, least of all while handling a database error.
        return None
    try:
        return user.pk if user.is_authenticated else None
    except DatabaseError:
        return None


class RequestLogMiddleware:
    """First in MIDDLEWARE, so it times and logs everything, static files and errors included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex
        id_token = request_id_var.set(request_id)
        request_token = request_var.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            # Django would log 4xx/5xx responses again once this middleware has returned, without the request id.
            response._has_been_logged = True  # type: ignore[attr-defined]
            logger.log(
                logging.ERROR if response.status_code >= 500 else logging.INFO,
                "request",
                extra={
                    "user_id": user_id(request, load=True),
                    "method": request.method,
                    "path": loggable_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(id_token)
            request_var.reset(request_token)


class RequestContextFilter(logging.Filter):
    """Adds the current request's id and user id to every record logged while it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = user_id(request_var.get(), load=False)
        return True


# Attributes a record may carry that go into the line as they are.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "worker_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            line["exception"] = exc_type.__qualname__
            line["stack"] = [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]
        # Django's request loggers attach the request object; it is neither JSON nor safe to print.
        return json.dumps(line, default=str)
