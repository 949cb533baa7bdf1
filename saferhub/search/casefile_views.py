"""A case's summary and chronology (printable page and Word document), and attachments.

Every page fetches its case, referral or meeting through the policy (404 for outsiders);
summaries and downloads are audited as exports.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.panels.models import Meeting
from saferhub.search import actions, summary
from saferhub.search.forms import AttachmentForm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

app_name = "casework"


# Summary and chronology -------------------------------------------------------------------------


def _audit_export(request: HttpRequest, obj: models.Model, what: str, fmt: str) -> None:
    with transaction.atomic():
        log.record(request.user, AuditAction.EXPORT, obj, request=request, detail={"what": what, "format": fmt})


@require_http_methods(["GET"])
def case_summary(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference)
    built = summary.build(request.user, case)
    _audit_export(request, case, "case summary", "print")
    return render(request, "casework/summary.html", {"summary": built, "case": case})


@require_http_methods(["GET"])
def case_summary_docx(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference)
    content = summary.to_docx(summary.build(request.user, case), produced_by=request.user)
    _audit_export(request, case, "case summary", "docx")
    response = HttpResponse(content, content_type=DOCX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-summary-{stamp}.docx"'
    response["Cache-Control"] = "no-store"
    return response


# Attachments --------------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    user: Any = request.user
    meeting = get_object_or_404(Meeting.objects.select_related("panel_type"), pk=pk, partnership_id=user.partnership_id)
    if not policy.can_see_attachments_of(user, meeting):
        raise PermissionDenied("Only panel coordinators manage meetings.")
    return meeting


def _upload_page(request: HttpRequest, parent: Any, title: str, back: str) -> HttpResponse:
    if not policy.can_attach(request.user, parent):
        log.record(request.user, AuditAction.DENIED, parent, request=request, detail={"needed": "attach a file"})
        raise PermissionDenied("You may read this record but not add files to it.")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        attachment = actions.add_attachment(
            request.user,
            parent,
            form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            request=request,
        )
        messages.success(request, f"{attachment.filename} was attached to {title}")
        return redirect(back)
    return render(request, "casework/attachment_form.html", {"form": form, "title": title, "back": back})


@require_http_methods(["GET", "POST"])
def case_attachment_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference)
    return _upload_page(request, case, f"case {case.reference}", reverse("cases:detail", args=[case.reference]))


@require_http_methods(["GET", "POST"])
def referral_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    return _upload_page(request, referral, f"referral {referral.pk}", reverse("cases:referral-detail", args=[pk]))


@require_http_methods(["GET", "POST"])
def meeting_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    title = f"the {meeting.panel_type.name} meeting of {meeting.date:%-d %B %Y}"
    return _upload_page(request, meeting, title, reverse("panels:meeting", args=[pk]))


@require_http_methods(["GET"])
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = policy.get_attachment_for_user(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The attachment's file is missing") from missing
    detail = {"what": "attachment", "filename": attachment.filename, "sha256": attachment.sha256}
    with transaction.atomic():
        log.record(request.user, AuditAction.EXPORT, attachment, request=request, detail=detail)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.filename, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("cases/<caseref:reference>/summary/", case_summary, name="case-summary"),
    path("cases/<caseref:reference>/summary.docx", case_summary_docx, name="case-summary-docx"),
    path("cases/<caseref:reference>/attachments/new/", case_attachment_add, name="case-attachment-add"),
    path("cases/referrals/<int:pk>/attachments/new/", referral_attachment_add, name="referral-attachment-add"),
    path("panels/meetings/<int:pk>/attachments/new/", meeting_attachment_add, name="meeting-attachment-add"),
    path("attachments/<int:pk>/", attachment_download, name="attachment-download"),
]
