"""Board pack pages: list, start a pack for a quarter, cover sheet, sections, preview, issue, download.

Analysts and partnership administrators assemble and issue packs; board members read issued
ones (`saferhub.policy.boardpack`). Another partnership's pack (or a draft, to a board
member) is 404. Changes go through `saferhub.boardpack.actions`. A preview builds one
section at a time so each request reads one report's data.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.boardpack import actions
from saferhub.boardpack.contents import build_section, section_tables
from saferhub.boardpack.document import FULL_MARKING, PUBLIC_MARKING
from saferhub.boardpack.forms import (
    ConsideredForm,
    CoverForm,
    IssueForm,
    NewVersionForm,
    SectionsForm,
    StartPackForm,
)
from saferhub.boardpack.models import BoardPack, IssuedPack
from saferhub.boardpack.sections import Section, chosen_sections, offered_sections
from saferhub.boardpack.tasks import issue_board_pack
from saferhub.core.guards import require
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import conflict
from saferhub.reporting.builds import needs_background, queue_build, rows_covered
from saferhub.reporting.outputs import table_context
from saferhub.reporting.service import FORMATS

readers = require(
    policy.can_read_board_packs, "Only analysts, partnership administrators and board members can see board packs."
)
managers = require(policy.can_manage_board_packs, "Only analysts and partnership administrators can change packs.")

ISSUED_CANNOT_CHANGE = "This pack has been issued and cannot be changed: start a new version to change it."


def _draft(user: Any, pk: int) -> BoardPack:
    pack = policy.get_board_pack_for_user(user, pk)
    if not pack.is_draft:
        raise PermissionDenied(ISSUED_CANNOT_CHANGE)
    return pack


def _rows(sections: list[Section], pack: BoardPack) -> int:
    """The source rows the sections' returns read for the period (their `count_rows`)."""
    return sum(rows_covered(section.kind, pack.partnership, pack.date_from, pack.date_to) for section in sections)


@require_http_methods(["GET"])
@readers
def pack_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    packs = (
        policy.visible_board_packs(request.user)
        .select_related("issue__issued_by")
        .defer("issue__docx", "issue__publishable_docx", "issue__contents_json")
    )
    context = {"packs": packs, "can_manage": policy.can_manage_board_packs(request.user)}
    return render(request, "boardpack/pack_list.html", context)


@require_http_methods(["GET", "POST"])
@managers
def pack_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StartPackForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        period = form.period()
        data = form.cleaned_data
        pack = actions.start_pack(
            request.user,
            request.user.partnership,
            period_label=period.label,
            date_from=period.start,
            date_to=period.end,
            title=data["title"],
            meeting_title=data["meeting_title"],
            meeting_date=data["meeting_date"],
            report_of=data["report_of"],
            request=request,
        )
        messages.success(request, f"Draft pack for {period.label} started")
        return redirect("boardpack:pack", pk=pack.pk)
    return render(request, "boardpack/pack_start.html", {"form": form})


@require_http_methods(["GET"])
@readers
def pack_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pack = policy.get_board_pack_for_user(request.user, pk)
    issue = (
        IssuedPack.objects.filter(pack=pack)
        .select_related("issued_by")
        .only("issued_at", "issued_by__full_name", "pack_id")
        .first()
    )
    context = {
        "pack": pack,
        "issue": issue,
        "sections": chosen_sections(pack.partnership, list(pack.sections)),
        "can_manage": policy.can_manage_board_packs(request.user),
        "can_record_considered": policy.can_record_pack_considered(request.user, pack),
        "new_version_form": NewVersionForm(),
        "full_marking": FULL_MARKING,
        "public_marking": PUBLIC_MARKING,
    }
    return render(request, "boardpack/pack_detail.html", context)


def _cover_values(pack: BoardPack) -> dict[str, Any]:
    return {name: getattr(pack, name) for name in actions.COVER_FIELDS}


@require_http_methods(["GET", "POST"])
@managers
def pack_cover(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pack = _draft(request.user, pk)
    form = CoverForm(request.POST or None, initial={**_cover_values(pack), "version": pack.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_cover(
                request.user, pack, expected_version=form.cleaned_data["version"], request=request, **form.changes()
            )
        except actions.StaleEdit:
            pack = _draft(request.user, pk)
            return conflict(
                request,
                "boardpack/pack_cover.html",
                {"pack": pack},
                form_class=CoverForm,
                stale_form=form,
                instance=pack,
                current=_cover_values(pack),
            )
        messages.success(request, "Cover sheet saved")
        return redirect("boardpack:pack", pk=pack.pk)
    return render(request, "boardpack/pack_cover.html", {"pack": pack, "form": form})


@require_http_methods(["GET", "POST"])
@managers
def pack_sections(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pack = _draft(request.user, pk)
    offered = offered_sections(pack.partnership)
    form = SectionsForm(
        request.POST or None, offered=offered, chosen=list(pack.sections), initial={"version": pack.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.choose_sections(
                request.user, pack, form.ordered_keys(), expected_version=form.cleaned_data["version"], request=request
            )
        except actions.StaleEdit:
            pack = _draft(request.user, pk)
            return conflict(
                request,
                "boardpack/pack_sections.html",
                {"pack": pack},
                form_class=SectionsForm,
                stale_form=form,
                instance=pack,
                current={"sections": list(pack.sections)},
                form_kwargs={"offered": offered, "chosen": list(pack.sections)},
            )
        messages.success(request, "Sections saved")
        return redirect("boardpack:pack", pk=pack.pk)
    return render(request, "boardpack/pack_sections.html", {"pack": pack, "form": form})


@require_http_methods(["GET"])
@managers
def section_preview(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    """One section as it would be printed now, from the live data (one report's data per request)."""
    pack = policy.get_board_pack_for_user(request.user, pk)
    sections = chosen_sections(pack.partnership, list(pack.sections))
    if not 1 <= number <= len(sections):
        raise Http404("No such section in this pack")
    section = sections[number - 1]
    publish = request.GET.get("publish") == "1"
    rows = needs_background(section.kind, pack.partnership, pack.date_from, pack.date_to)
    if rows is not None:
        # A big return is built by the worker, as on the reports page; its page offers the result.
        build = queue_build(
            kind=section.kind,
            partnership=pack.partnership,
            user=request.user,
            date_from=pack.date_from,
            date_to=pack.date_to,
            fmt="html",
            publish=publish,
            options=dict(section.options),
            rows_total=rows,
        )
        return redirect("reporting:build", pk=build.pk)
    with transaction.atomic():
        entry = build_section(section, pack.partnership, pack.date_from, pack.date_to)
        log.record(
            request.user,
            AuditAction.VIEW,
            pack,
            request=request,
            detail={"preview": section.key, "report": section.report, "publish": publish},
        )
    context = {
        "pack": pack,
        "entry": entry,
        "number": number,
        "count": len(sections),
        "publish": publish,
        "tables": table_context(section_tables(entry, number, publish=publish)),
    }
    return render(request, "boardpack/section_preview.html", context)


@require_http_methods(["GET", "POST"])
@managers
def pack_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pack = _draft(request.user, pk)
    form = IssueForm(request.POST or None, initial={"version": pack.version})
    sections = chosen_sections(pack.partnership, list(pack.sections))
    context = {"pack": pack, "form": form, "sections": sections}
    if request.method == "POST" and form.is_valid():
        if not sections:
            form.add_error(None, "Choose at least one section before issuing the pack")
            return render(request, "boardpack/pack_issue.html", context)
        background = _rows(sections, pack) > settings.REPORT_BACKGROUND_ROWS
        try:
            if background:
                actions.begin_issue(request.user, pack, expected_version=form.cleaned_data["version"], request=request)
                user_id = request.user.pk
                transaction.on_commit(lambda: issue_board_pack.enqueue(pack.pk, user_id))
            else:
                actions.issue(request.user, pack, expected_version=form.cleaned_data["version"], request=request)
        except actions.StaleEdit:
            pack = _draft(request.user, pk)
            return conflict(
                request,
                "boardpack/pack_issue.html",
                {**context, "pack": pack},
                form_class=IssueForm,
                stale_form=form,
                instance=pack,
                current={},
            )
        if background:
            messages.success(request, f"Pack for {pack.period_label} is being issued: refresh this page in a minute")
        else:
            messages.success(request, f"Pack for {pack.period_label} issued")
        return redirect("boardpack:pack", pk=pack.pk)
    return render(request, "boardpack/pack_issue.html", context)


@require_http_methods(["POST"])
@managers
def pack_new_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pack = policy.get_board_pack_for_user(request.user, pk)
    if not pack.is_issued:
        raise PermissionDenied("This pack is still a draft: change it rather than starting a new version.")
    copy = actions.new_version(request.user, pack, request=request)
    messages.success(request, f"Version {copy.number} started from the issued pack")
    return redirect("boardpack:pack", pk=copy.pk)


@require_http_methods(["GET", "POST"])
@readers
def pack_considered(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record in a board meeting's minutes that it considered this issued pack, and what it resolved."""
    pack = policy.get_board_pack_for_user(request.user, pk)
    if not policy.can_record_pack_considered(request.user, pack):
        raise PermissionDenied(
            "Only a board's secretariat or a partnership administrator can record a board's decision on an issued pack."
        )
    meetings = policy.managed_meetings(request.user).select_related("board").order_by("-starts_at")
    initial = {
        "meeting": pack.meeting_id,
        "decision": f"The board noted the {pack.title.lower()} for {pack.period_label}.",
    }
    form = ConsideredForm(request.POST or None, meetings=meetings, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        actions.record_considered(
            request.user, pack, meeting=meeting, decision=form.cleaned_data["decision"], request=request
        )
        messages.success(request, f"The decision is recorded in the minutes of {meeting}")
        return redirect("boardpack:pack", pk=pack.pk)
    return render(request, "boardpack/pack_considered.html", {"pack": pack, "form": form})


VARIANTS = {
    "full": ("docx", "contents"),
    "publishable": ("docx", "publishable"),
    "json": ("json", "contents"),
}


def file_name(pack: BoardPack, variant: str) -> str:
    period = pack.period_label.replace("/", "-").replace(" ", "-")
    stem = f"board-pack-{pack.partnership.slug}-{period}-v{pack.number}"
    if variant == "publishable":
        return f"{stem}-publishable-{PUBLIC_MARKING}.docx"
    if variant == "json":
        return f"{stem}-contents.json"
    return f"{stem}-{FULL_MARKING}.docx"


@require_http_methods(["GET"])
@readers
def pack_download(request: AuthenticatedHttpRequest, pk: int, variant: str) -> HttpResponse:
    """An issued pack exactly as issued; audited as an export."""
    pack = policy.get_board_pack_for_user(request.user, pk)
    issue = IssuedPack.objects.filter(pack=pack).first()
    if issue is None:
        raise Http404("This pack has not been issued yet")
    fmt = VARIANTS[variant][0]
    content = {
        "full": lambda: bytes(issue.docx),
        "publishable": lambda: bytes(issue.publishable_docx),
        "json": lambda: issue.contents_json.encode("utf-8"),
    }[variant]()
    name = file_name(pack, variant)
    log.record(
        request.user,
        AuditAction.EXPORT,
        pack,
        request=request,
        detail={"report": "board-pack", "variant": variant, "publish": variant == "publishable", "file": name},
    )
    response = HttpResponse(content, content_type=FORMATS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
