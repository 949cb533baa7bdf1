"""Writing audit events. Call inside the same transaction as the change being recorded."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from saferhub.audit.models import AuditAction, AuditEvent


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    user: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    request: HttpRequest | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
    flagged: bool = False,
    partnership: Any = None,
) -> AuditEvent:
    """Append one audit event. `obj` may be a case, a person or anything else with a pk."""
    from saferhub.cases.models import Case
    from saferhub.people.models import Person

    user = user if getattr(user, "is_authenticated", False) else None
    event = AuditEvent(
        user=user,
        action=action,
        reason=_printable(reason),
        detail=_printable(detail or {}),
        flagged=flagged,
        ip_address=_client_ip(request),
        path=request.get_full_path()[:500] if request is not None else "",
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_repr = _printable(str(obj)[:200])
        if isinstance(obj, Case):
            event.case_id = obj.pk
        elif isinstance(obj, Person):
            event.person_id = obj.pk
        elif getattr(obj, "case_id", None):
            event.case_id = obj.case_id  # type: ignore[attr-defined]
    event.partnership = partnership or getattr(obj, "partnership", None) or getattr(user, "partnership", None)
    event.save()
    return event


def _printable(value: Any) -> Any:
    """The value with NUL characters shown as U+FFFD: PostgreSQL stores none in text or JSON, and a
    search for one (typed or fuzzed) must still be audited rather than fail."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_printable(key): _printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(item) for item in value]
    return value


__all__ = ["AuditAction", "record"]
