"""Changing board packs: start a draft, change its cover sheet and sections, issue it, start a new version.

Each function runs in one transaction and writes its audit row in it. Changes to a draft
carry the version the user saw (`StaleEdit` when someone saved it since); an issued pack
is never changed (`PackIssuedError`).
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.boardpack.contents import build_contents, spec_of
from saferhub.boardpack.document import render_docx
from saferhub.boardpack.models import BoardPack, IssuedPack, PackStatus
from saferhub.boardpack.sections import offered_sections
from saferhub.core.versioning import StaleEdit, claim_version
from saferhub.reporting.outputs import to_json

__all__ = [
    "PackIssuedError",
    "StaleEdit",
    "begin_issue",
    "change_cover",
    "choose_sections",
    "complete_issue",
    "fail_issue",
    "issue",
    "new_version",
    "record_considered",
    "start_pack",
]

COVER_FIELDS = ("title", "meeting_title", "meeting_date", "report_of", "summary", "recommendations")


class PackIssuedError(Exception):
    """An issued pack keeps what the board saw: start a new version to change it."""


def _draft_only(pack: BoardPack) -> None:
    if not pack.is_draft:
        raise PackIssuedError(f"{pack} has been issued and cannot be changed: start a new version instead.")


def start_pack(
    user: Any,
    partnership: Any,
    *,
    period_label: str,
    date_from: datetime.date,
    date_to: datetime.date,
    request: HttpRequest | None = None,
    **cover: Any,
) -> BoardPack:
    """A draft for the period holding every offered section in the default order."""
    with transaction.atomic():
        pack = BoardPack.objects.create(
            partnership=partnership,
            period_label=period_label,
            date_from=date_from,
            date_to=date_to,
            sections=[section.key for section in offered_sections(partnership)],
            created_by=user,
            modified_by=user,
            **{name: value for name, value in cover.items() if name in COVER_FIELDS},
        )
        log.record(user, AuditAction.CREATE, pack, request=request, detail={"period": period_label})
    return pack


def change_cover(
    user: Any, pack: BoardPack, *, expected_version: int, request: HttpRequest | None = None, **cover: Any
) -> BoardPack:
    """The cover sheet: title, meeting, report of, summary and recommendations."""
    _draft_only(pack)
    with transaction.atomic():
        claim_version(pack, expected_version, modified_by=user)
        changed = sorted(name for name in COVER_FIELDS if name in cover and getattr(pack, name) != cover[name])
        for name in COVER_FIELDS:
            if name in cover:
                setattr(pack, name, cover[name])
        pack.save(update_fields=[*COVER_FIELDS, "modified_at"])
        log.record(user, AuditAction.UPDATE, pack, request=request, detail={"changed": changed})
    return pack


def choose_sections(
    user: Any, pack: BoardPack, keys: list[str], *, expected_version: int, request: HttpRequest | None = None
) -> BoardPack:
    """The sections to print, in order (keys of offered sections)."""
    _draft_only(pack)
    with transaction.atomic():
        claim_version(pack, expected_version, modified_by=user)
        pack.sections = list(keys)
        pack.save(update_fields=["sections", "modified_at"])
        log.record(user, AuditAction.UPDATE, pack, request=request, detail={"sections": list(keys)})
    return pack


def begin_issue(user: Any, pack: BoardPack, *, expected_version: int, request: HttpRequest | None = None) -> None:
    """Mark the draft as being issued (no more changes); `complete_issue` builds and keeps it."""
    _draft_only(pack)
    with transaction.atomic():
        claim_version(pack, expected_version, modified_by=user)
        pack.status = PackStatus.ISSUING
        pack.issue_error = ""
        pack.save(update_fields=["status", "issue_error", "modified_at"])
        log.record(user, AuditAction.UPDATE, pack, request=request, detail={"issuing": True})


def complete_issue(user: Any, pack: BoardPack, *, request: HttpRequest | None = None) -> IssuedPack:
    """Build the pack from the data as it is now and keep it: the DOCX, the publishable DOCX and the JSON."""
    with transaction.atomic():
        if not BoardPack.objects.filter(pk=pack.pk, status=PackStatus.ISSUING).update(status=PackStatus.ISSUED):
            raise PackIssuedError(f"{pack} is not waiting to be issued.")
        now = timezone.now()
        pack.status = PackStatus.ISSUED
        contents = build_contents(pack.partnership, spec_of(pack))
        contents["issued_on"] = timezone.localdate(now).isoformat()
        issued = IssuedPack.objects.create(
            pack=pack,
            issued_at=now,
            issued_by=user,
            contents_json=to_json(contents).decode("utf-8"),
            docx=render_docx(contents, publish=False),
            publishable_docx=render_docx(contents, publish=True),
        )
        log.record(
            user,
            AuditAction.UPDATE,
            pack,
            request=request,
            detail={"issued": True, "sections": [entry["key"] for entry in contents["sections"]]},
        )
    return issued


def fail_issue(pack: BoardPack, error: str) -> None:
    """A background issue failed: the pack is a draft again, saying why."""
    BoardPack.objects.filter(pk=pack.pk, status=PackStatus.ISSUING).update(
        status=PackStatus.DRAFT, issue_error=error[:2000]
    )


def issue(user: Any, pack: BoardPack, *, expected_version: int, request: HttpRequest | None = None) -> IssuedPack:
    """Issue the pack in one go (in the request)."""
    with transaction.atomic():
        begin_issue(user, pack, expected_version=expected_version, request=request)
        return complete_issue(user, pack, request=request)


def new_version(user: Any, pack: BoardPack, *, request: HttpRequest | None = None) -> BoardPack:
    """A draft copy of an issued pack, numbered after the latest version of it."""
    if not pack.is_issued:
        raise ValueError("Only an issued pack can be the start of a new version: change the draft itself.")
    with transaction.atomic():
        latest = BoardPack.objects.of(pack.partnership_id).filter(period_label=pack.period_label)
        number = max(latest.aggregate(n=Max("number"))["n"] or 0, pack.number) + 1
        copy = BoardPack.objects.create(
            partnership=pack.partnership,
            period_label=pack.period_label,
            date_from=pack.date_from,
            date_to=pack.date_to,
            sections=list(pack.sections),
            number=number,
            previous=pack,
            created_by=user,
            modified_by=user,
            **{name: getattr(pack, name) for name in COVER_FIELDS},
        )
        log.record(user, AuditAction.CREATE, copy, request=request, detail={"new_version_of": pack.pk})
    return copy


def record_considered(
    user: Any, pack: BoardPack, *, meeting: Any, decision: str, request: HttpRequest | None = None
) -> Any:
    """Write "RESOLVED: <decision>" into the minutes of the meeting that considered the issued pack, under
    an agenda item named after the pack, and link the pack to that meeting. Returns the decision."""
    from saferhub.boards import api as boards

    if not pack.is_issued:
        raise PackIssuedError("Only an issued pack can have been considered by a board: issue it first.")
    with transaction.atomic():
        recorded = boards.record_pack_considered(
            user, meeting, title=f"{pack.title}: {pack.period_label}", decision=decision.strip()
        )
        BoardPack.objects.filter(pk=pack.pk).update(meeting=meeting)
        pack.meeting = meeting
        log.record(user, AuditAction.UPDATE, pack, request=request, detail={"considered_at_meeting": meeting.pk})
    return recorded
