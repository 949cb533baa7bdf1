"""Changing action plans and the activities register from the pages.

Each function runs in one transaction and writes its audit row in it. Changes to an
existing record carry the version the user saw and are refused (`StaleEdit`) when
someone saved it since.
"""

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import StaleEdit, claim_version
from saferhub.governance.models import ActionPlan, Activity, Commitment, CommitmentUpdate, derived_rag

__all__ = ["StaleEdit", "add_commitment", "record_activity", "record_status", "update_activity"]


def _entry(status: str, rag: str) -> str:
    return rag or derived_rag(status)


def record_status(
    user: Any,
    commitment: Commitment,
    *,
    status: str,
    rag: str,
    updated_on: datetime.date,
    text: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> CommitmentUpdate:
    """A dated status for the commitment: a new entry in its history, or that day's entry changed."""
    with transaction.atomic():
        claim_version(commitment, expected_version, modified_by=user)
        update, created = CommitmentUpdate.objects.update_or_create(
            commitment=commitment,
            updated_on=updated_on,
            defaults={"status": status, "rag": _entry(status, rag), "text": text, "recorded_by": user},
        )
        log.record(
            user,
            AuditAction.UPDATE,
            commitment,
            request=request,
            detail={
                "status": status,
                "rag": update.rag,
                "updated_on": updated_on.isoformat(),
                "entry": "added" if created else "changed",
            },
        )
    return update


def add_commitment(
    user: Any,
    plan: ActionPlan,
    *,
    priority: str,
    text: str,
    owner: Any,
    phase: str,
    due_on: datetime.date | None,
    status: str,
    rag: str,
    updated_on: datetime.date,
    note: str,
    owner_user: Any = None,
    request: HttpRequest | None = None,
) -> Commitment:
    with transaction.atomic():
        commitment = Commitment.objects.create(
            partnership_id=plan.partnership_id,
            plan=plan,
            priority=priority,
            text=text,
            owner=owner,
            owner_user=owner_user,
            phase=phase,
            due_on=due_on,
            modified_by=user,
        )
        CommitmentUpdate.objects.create(
            commitment=commitment,
            updated_on=updated_on,
            status=status,
            rag=_entry(status, rag),
            text=note,
            recorded_by=user,
        )
        log.record(user, AuditAction.CREATE, commitment, request=request, detail={"plan": plan.name, "status": status})
    return commitment


def record_activity(user: Any, *, request: HttpRequest | None = None, **values: Any) -> Activity:
    with transaction.atomic():
        activity = Activity.objects.create(partnership_id=user.partnership_id, modified_by=user, **values)
        log.record(user, AuditAction.CREATE, activity, request=request, detail={"title": activity.title})
    return activity


def update_activity(
    user: Any, activity: Activity, *, expected_version: int, request: HttpRequest | None = None, **values: Any
) -> Activity:
    with transaction.atomic():
        before = {name: str(getattr(activity, name)) for name in values}
        claim_version(activity, expected_version, modified_by=user, **values)
        changed = {name: str(value) for name, value in values.items() if before[name] != str(value)}
        log.record(user, AuditAction.UPDATE, activity, request=request, detail={"changed": sorted(changed)})
    return activity
