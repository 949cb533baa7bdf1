"""Changing boards, members, meetings, agendas, papers, attendance, minutes, actions and the forward programme.

Each function runs in one transaction and writes its audit row in it. Changes to an existing record carry
the version the user saw and are refused (`StaleEdit`) when someone saved it since.
"""

import datetime
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.boards.models import (
    ActionStatus,
    AgendaItem,
    Attendance,
    Board,
    BoardAction,
    BoardMember,
    Decision,
    ForwardItem,
    Meeting,
    Paper,
)
from saferhub.core.versioning import StaleEdit, claim_version

__all__ = [
    "StaleEdit",
    "add_action",
    "add_agenda_item",
    "add_board",
    "add_decision",
    "add_forward_item",
    "add_member",
    "add_meeting",
    "add_paper",
    "change",
    "complete_action",
    "next_item_number",
    "record_attendance",
    "record_minutes",
]


def _create(actor: Any, model: Any, request: HttpRequest | None, **values: Any) -> Any:
    # `actor` is who makes the change: a member's own `user` (their linked account) is one of the values.
    with transaction.atomic():
        obj = model.objects.create(modified_by=actor, **values)
        log.record(actor, AuditAction.CREATE, obj, request=request, detail={"what": model._meta.verbose_name})
    return obj


def change(actor: Any, obj: Any, *, expected_version: int, request: HttpRequest | None = None, **values: Any) -> Any:
    """Save the form's values over the record if nobody saved it since the form was opened."""
    with transaction.atomic():
        before = {name: str(getattr(obj, name)) for name in values}
        claim_version(obj, expected_version, modified_by=actor, **values)
        changed = sorted(name for name, value in values.items() if before[name] != str(value))
        log.record(actor, AuditAction.UPDATE, obj, request=request, detail={"changed": changed})
    return obj


def add_board(user: Any, *, request: HttpRequest | None = None, **values: Any) -> Board:
    return _create(user, Board, request, partnership_id=user.partnership_id, **values)  # type: ignore[no-any-return]


def add_member(actor: Any, board: Board, *, request: HttpRequest | None = None, **values: Any) -> BoardMember:
    return _create(actor, BoardMember, request, partnership_id=board.partnership_id, board=board, **values)  # type: ignore[no-any-return]


def add_meeting(user: Any, board: Board, *, request: HttpRequest | None = None, **values: Any) -> Meeting:
    return _create(user, Meeting, request, partnership_id=board.partnership_id, board=board, **values)  # type: ignore[no-any-return]


def next_item_number(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("number"))["last"] or 0) + 1


def add_agenda_item(user: Any, meeting: Meeting, *, request: HttpRequest | None = None, **values: Any) -> AgendaItem:
    return _create(user, AgendaItem, request, partnership_id=meeting.partnership_id, meeting=meeting, **values)  # type: ignore[no-any-return]


def add_forward_item(user: Any, board: Board, *, request: HttpRequest | None = None, **values: Any) -> ForwardItem:
    return _create(user, ForwardItem, request, partnership_id=board.partnership_id, board=board, **values)  # type: ignore[no-any-return]


def add_paper(
    user: Any,
    item: AgendaItem,
    *,
    title: str,
    content: bytes,
    filename: str,
    content_type: str,
    request: HttpRequest | None = None,
) -> Paper:
    """Store a checked upload (see `saferhub.boards.papers`) under the media root and attach it to the item."""
    with transaction.atomic():
        paper = Paper(
            partnership_id=item.partnership_id,
            item=item,
            title=title,
            filename=filename,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=user,
        )
        # The storage names the file itself (a random name); the uploaded name is kept only for downloads.
        paper.file.save(filename, ContentFile(content), save=False)
        paper.save()
        log.record(user, AuditAction.CREATE, paper, request=request, detail={"item": item.pk, "size": paper.size})
    return paper


def record_attendance(
    user: Any,
    meeting: Meeting,
    entries: dict[BoardMember, tuple[str, str]],
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> None:
    """Each member's attendance (status, substitute); a blank status removes the member's entry."""
    with transaction.atomic():
        claim_version(meeting, expected_version, modified_by=user)
        for member, (status, substitute) in entries.items():
            if not status:
                Attendance.objects.filter(meeting=meeting, member=member).delete()
                continue
            Attendance.objects.update_or_create(
                meeting=meeting, member=member, defaults={"status": status, "substitute": substitute}
            )
        log.record(
            user,
            AuditAction.UPDATE,
            meeting,
            request=request,
            detail={"attendance": {str(m.pk): status for m, (status, _s) in entries.items()}},
        )


def record_minutes(
    user: Any,
    item: AgendaItem,
    *,
    minutes: str,
    decisions: list[str],
    expected_version: int,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """The item's minute and its decisions ("RESOLVED: …"), replacing those recorded before."""
    with transaction.atomic():
        claim_version(item, expected_version, modified_by=user, minutes=minutes)
        item.decisions.all().delete()
        Decision.objects.bulk_create(
            Decision(item=item, position=index, text=text) for index, text in enumerate(decisions, start=1)
        )
        log.record(
            user, AuditAction.UPDATE, item, request=request, detail={"minutes": True, "decisions": len(decisions)}
        )
    return item


def add_decision(user: Any, item: AgendaItem, text: str, *, request: HttpRequest | None = None) -> Decision:
    """One more decision on the item, after those recorded (the item's version moves on)."""
    with transaction.atomic():
        claim_version(item, item.version, modified_by=user)
        position = (item.decisions.aggregate(last=Max("position"))["last"] or 0) + 1
        decision = Decision.objects.create(item=item, position=position, text=text)
        log.record(user, AuditAction.UPDATE, item, request=request, detail={"decision_added": position})
    return decision


def add_action(user: Any, meeting: Meeting, *, request: HttpRequest | None = None, **values: Any) -> BoardAction:
    return _create(  # type: ignore[no-any-return]
        user,
        BoardAction,
        request,
        partnership_id=meeting.partnership_id,
        board_id=meeting.board_id,
        meeting=meeting,
        **values,
    )


def complete_action(
    user: Any, action: BoardAction, *, on: datetime.date, expected_version: int, request: HttpRequest | None = None
) -> BoardAction:
    return change(  # type: ignore[no-any-return]
        user, action, expected_version=expected_version, request=request, status=ActionStatus.DONE, completed_on=on
    )
