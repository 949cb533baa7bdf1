"""Meetings: scheduling, the meeting page, agenda building, attendance and the agenda and minutes documents."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import CONFLICT_STATUS, StaleEdit, conflict_form
from saferhub.panels import actions, documents
from saferhub.panels.extensions import agenda_details
from saferhub.panels.forms import (
    AddAgencyForm,
    AttendanceForm,
    CancelMeetingForm,
    HoldMeetingForm,
    MeetingForm,
    MinutesForm,
    OutcomesForm,
    attendance_values,
)
from saferhub.panels.models import (
    MeetingStatus,
)
from saferhub.panels.views.common import _agenda, _back_to_meeting, _docx_response, _meeting, _panel_type


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, code: str) -> HttpResponse:
    panel_type = _panel_type(request, code)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.schedule_meeting(request.user, panel_type, request=request, **form.cleaned_data)
        except actions.PanelError as exc:
            form.add_error("date", str(exc))
        else:
            messages.success(request, f"Meeting scheduled for {meeting.date:%-d %B %Y}")
            return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/meeting_form.html", {"panel_type": panel_type, "form": form})


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    hearings = _agenda(request.user, meeting)
    # What another module knows of a listed person (IOM: the RAG status and next contact due).
    details = agenda_details(hearings)
    for hearing in hearings:
        hearing.details = details.get(hearing.pk, [])  # type: ignore[attr-defined]
    start, end = meeting.window()
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": meeting,
            "hearings": hearings,
            "attendance": meeting.attendance.select_related("agency"),
            "window_start": start,
            "window_end": end,
            "scheduled": meeting.status == MeetingStatus.SCHEDULED,
            "minutes_form": MinutesForm(),
        },
    )


@require_POST
def build_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        added = actions.build_agenda(request.user, meeting, request=request)
    except actions.PanelError as exc:
        return _back_to_meeting(request, meeting, exc)
    # Cases the coordinator may not see (restricted, not named) are listed for those who may, uncounted here.
    shown = policy.visible_hearings(request.user, meeting).filter(pk__in=[h.pk for h in added]).count()
    messages.success(request, f"{shown} case{'s' if shown != 1 else ''} added to the agenda")
    return redirect("panels:meeting", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the meeting as held; when its date is still to come or cases are unheard, say so and ask why."""
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        return _back_to_meeting(
            request, meeting, actions.PanelError("Only a scheduled meeting can be recorded as held.")
        )
    still_open = actions.open_at_holding(meeting, policy.visible_hearings(request.user, meeting), timezone.localdate())
    confirming = request.method == "POST" and "confirm" in request.POST
    form = HoldMeetingForm(request.POST if confirming else None)
    if request.method == "POST" and (not still_open or form.is_valid()):
        reason = form.cleaned_data["reason"] if still_open else ""
        try:
            actions.mark_held(request.user, meeting, request=request, still_open=still_open, reason=reason)
        except actions.PanelError as exc:
            return _back_to_meeting(request, meeting, exc)
        messages.success(request, "The meeting is recorded as held")
        return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/meeting_hold.html", {"meeting": meeting, "form": form, "still_open": still_open})


@require_http_methods(["GET", "POST"])
def cancel_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        return _back_to_meeting(request, meeting, actions.PanelError("Only a meeting not yet held can be cancelled."))
    form = CancelMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_meeting(request.user, meeting, reason=form.cleaned_data["reason"], request=request)
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Meeting cancelled: its cases are waiting for the next meeting")
            return redirect("panels:meeting", pk=meeting.pk)
    return render(
        request,
        "panels/meeting_cancel.html",
        {"meeting": meeting, "form": form, "listed": policy.visible_hearings(request.user, meeting).count()},
    )


@require_http_methods(["GET", "POST"])
def add_agency(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = AddAgencyForm(request.POST or None, partnership=meeting.panel_type.partnership)
    if request.method == "POST" and form.is_valid():
        actions.add_meeting_agency(request.user, meeting, form.cleaned_data["agency"], request=request)
        messages.success(request, f"{form.cleaned_data['agency'].name} invited")
        return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/add_agency.html", {"meeting": meeting, "form": form})


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    rows = list(meeting.attendance.select_related("agency"))
    form = AttendanceForm(request.POST or None, rows=rows, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_attendance(
                request.user,
                meeting,
                {row.pk: (data[f"attendance_{row.pk}"], data[f"representative_{row.pk}"]) for row in rows},
                expected_version=data["version"],
                request=request,
            )
        except StaleEdit:
            meeting.refresh_from_db()
            rows = list(meeting.attendance.select_related("agency"))
            fresh = conflict_form(
                AttendanceForm,
                stale_form=form,
                instance=meeting,
                current=attendance_values(rows),
                form_kwargs={"rows": rows},
            )
            pairs = [(fresh[f"attendance_{row.pk}"], fresh[f"representative_{row.pk}"]) for row in rows]
            context = {"meeting": meeting, "form": fresh, "pairs": pairs}
            return render(request, "panels/attendance.html", context, status=CONFLICT_STATUS)
        messages.success(request, "Attendance saved")
        return redirect("panels:meeting", pk=meeting.pk)
    pairs = [(form[f"attendance_{row.pk}"], form[f"representative_{row.pk}"]) for row in rows]
    return render(request, "panels/attendance.html", {"meeting": meeting, "form": form, "pairs": pairs})


@require_GET
def agenda_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    hearings = _agenda(request.user, meeting)
    log.record(request.user, AuditAction.EXPORT, meeting, request=request, detail={"document": "agenda"})
    content = documents.agenda_docx(meeting, hearings)
    return _docx_response(content, f"{meeting.panel_type.code}-agenda-{meeting.date}.docx")


@require_GET
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MinutesForm(request.GET)
    include_shared = form.is_valid() and form.cleaned_data["include_shared"]
    hearings = _agenda(request.user, meeting)
    log.record(
        request.user,
        AuditAction.EXPORT,
        meeting,
        request=request,
        detail={"document": "minutes", "include_shared": include_shared},
    )
    content = documents.minutes_docx(meeting, hearings, include_shared=include_shared)
    return _docx_response(content, f"{meeting.panel_type.code}-minutes-{meeting.date}.docx")


@require_http_methods(["GET", "POST"])
def meeting_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcomes of several of the meeting's cases at once (all or nothing, each audited)."""
    meeting = _meeting(request, pk)
    hearings = list(
        policy.visible_hearings(request.user, meeting)
        .select_related("panel_case__case", "meeting")
        .order_by("position", "pk")
    )
    form = OutcomesForm(request.POST or None, hearings=hearings)
    if request.method == "POST" and form.is_valid():
        decided = form.decided()
        try:
            count = actions.record_outcomes(
                request.user,
                decided,
                may_record=lambda h: policy.can_coordinate_panel(request.user, meeting.panel_type),
                request=request,
            )
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Outcomes recorded for {count} case{'s' if count != 1 else ''}")
            return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/outcomes.html", {"meeting": meeting, "form": form, "hearings": hearings})
