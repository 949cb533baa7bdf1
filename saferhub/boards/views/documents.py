"""Downloads: a meeting's agenda and minutes as Word documents (published or full), and its papers.

Each download is audited as an export. The full version is 404 to readers of the published papers only;
a paper of a restricted item is 404 to them too.
"""

from typing import Any, TypeVar

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.boards.documents import agenda_docx, filename, minutes_docx
from saferhub.boards.record import meeting_record
from saferhub.boards.views.common import readers
from saferhub.core.types import AuthenticatedHttpRequest

Response = TypeVar("Response", HttpResponse, FileResponse)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RENDER = {"agenda": agenda_docx, "minutes": minutes_docx}
VARIANTS = {policy.BOARD_FULL, policy.BOARD_PUBLISHED}


def _attachment(response: Response, name: str) -> Response:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _document(request: AuthenticatedHttpRequest, pk: int, variant: str, document: str) -> HttpResponse:
    meeting = policy.get_meeting_for_user(request.user, pk)
    if variant not in VARIANTS:
        raise Http404("No such version")
    if variant == policy.BOARD_FULL and policy.board_access(request.user, meeting.board) != policy.BOARD_FULL:
        raise Http404("No such version")
    record = meeting_record(meeting, variant)
    name = filename(record, document)
    log.record(
        request.user,
        AuditAction.EXPORT,
        meeting,
        request=request,
        detail={"document": document, "version": variant, "file": name},
    )
    return _attachment(HttpResponse(RENDER[document](record), content_type=DOCX), name)


@require_http_methods(["GET"])
@readers
def agenda_document(request: AuthenticatedHttpRequest, pk: int, variant: str) -> HttpResponse:
    return _document(request, pk, variant, "agenda")


@require_http_methods(["GET"])
@readers
def minutes_document(request: AuthenticatedHttpRequest, pk: int, variant: str) -> HttpResponse:
    return _document(request, pk, variant, "minutes")


@require_http_methods(["GET"])
@readers
def paper_download(request: AuthenticatedHttpRequest, pk: int) -> Any:
    paper = policy.get_paper_for_user(request.user, pk)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The paper's file is missing") from missing
    log.record(request.user, AuditAction.EXPORT, paper, request=request, detail={"file": paper.filename})
    return _attachment(FileResponse(handle, content_type=paper.content_type), paper.filename)
