"""Reviewing emergency (break-glass) access after the event."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import BreakGlassGrant


class ReviewError(Exception):
    """The review cannot be recorded; nothing was saved. The message is shown to the reviewer."""


@transaction.atomic
def review_break_glass(
    reviewer: Any, grant: BreakGlassGrant, note: str, request: HttpRequest | None = None
) -> BreakGlassGrant:
    """Record the reviewer's conclusion on one grant. Callers check `policy.can_review_break_glass` first."""
    note = note.strip()
    if len(note) < 10:
        raise ReviewError("The review note must be at least 10 characters.")
    # Locked so two reviewers cannot both record a review of the same grant.
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.reviewed_at is not None:
        raise ReviewError("This emergency access has already been reviewed.")
    if grant.user_id == reviewer.pk:
        raise ReviewError("You cannot review your own emergency access. Ask another reviewer.")
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = reviewer
    grant.review_note = note
    grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    log.record(
        reviewer,
        AuditAction.UPDATE,
        grant,
        request=request,
        reason=note,
        detail={"change": "break_glass_reviewed", "granted_to": grant.user_id},
        partnership=grant.case.partnership,
    )
    return grant
