"""Pages of a meeting: the meeting page (agenda, attendance, minutes, actions) and the forms that add and
change meetings and agenda items, attach papers, record attendance and minutes, and add and complete actions."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.boards import actions
from saferhub.boards.forms import (
    ActionChangeForm,
    ActionForm,
    AgendaItemChangeForm,
    AgendaItemForm,
    AttendanceForm,
    CompleteActionForm,
    MeetingChangeForm,
    MeetingForm,
    MinutesForm,
    PaperForm,
    meeting_initial,
)
from saferhub.boards.record import meeting_record, members_on
from saferhub.boards.views.common import must_manage, readers
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import conflict


@require_http_methods(["GET", "POST"])
@readers
def meeting_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    board = policy.get_board_for_user(request.user, pk)
    must_manage(request.user, board)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = actions.add_meeting(request.user, board, request=request, **form.values())
        messages.success(request, "Meeting added")
        return redirect("boards:meeting", pk=meeting.pk)
    return render(request, "boards/meeting_form.html", {"form": form, "board": board, "creating": True})


@require_http_methods(["GET"])
@readers
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = policy.get_meeting_for_user(request.user, pk)
    variant = policy.board_access(request.user, meeting.board)
    log.record(request.user, AuditAction.VIEW, meeting, request=request, detail={"version": variant})
    record = meeting_record(meeting, variant)
    context = {
        "meeting": meeting,
        "board": meeting.board,
        "record": record,
        "can_manage": policy.can_manage_board(request.user, meeting.board),
        "full": variant == policy.BOARD_FULL,
        "open_statuses": ["open", "in_progress"],
    }
    return render(request, "boards/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
@readers
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = policy.get_meeting_for_user(request.user, pk)
    must_manage(request.user, meeting.board)
    form = MeetingChangeForm(request.POST or None, initial={**meeting_initial(meeting), "version": meeting.version})
    context = {"board": meeting.board, "meeting": meeting}
    if request.method == "POST" and form.is_valid():
        try:
            actions.change(
                request.user, meeting, expected_version=form.cleaned_data["version"], request=request, **form.values()
            )
        except actions.StaleEdit:
            meeting = policy.get_meeting_for_user(request.user, pk)
            return conflict(
                request,
                "boards/meeting_form.html",
                {**context, "meeting": meeting},
                form_class=MeetingChangeForm,
                stale_form=form,
                instance=meeting,
                current=meeting_initial(meeting),
            )
        messages.success(request, "Meeting saved")
        return redirect("boards:meeting", pk=meeting.pk)
    return render(request, "boards/meeting_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
@readers
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = policy.get_meeting_for_user(request.user, pk)
    must_manage(request.user, meeting.board)
    day = timezone.localtime(meeting.starts_at).date()
    recorded = {row.member_id: row for row in meeting.attendance.select_related("member__agency")}
    members = members_on(meeting.board_id, day)
    members += [row.member for member_id, row in recorded.items() if member_id not in {m.pk for m in members}]

    def current() -> dict[str, Any]:
        rows = {row.member_id: row for row in meeting.attendance.all()}
        values: dict[str, Any] = {}
        for member in members:
            row = rows.get(member.pk)
            values[f"status_{member.pk}"] = row.status if row else ""
            values[f"substitute_{member.pk}"] = row.substitute if row else ""
        return values

    form = AttendanceForm(request.POST or None, members=members, initial={**current(), "version": meeting.version})
    context = {"board": meeting.board, "meeting": meeting}
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_attendance(
                request.user, meeting, form.entries(), expected_version=form.cleaned_data["version"], request=request
            )
        except actions.StaleEdit:
            meeting = policy.get_meeting_for_user(request.user, pk)
            return conflict(
                request,
                "boards/attendance_form.html",
                {**context, "meeting": meeting},
                form_class=AttendanceForm,
                stale_form=form,
                instance=meeting,
                current=current(),
                form_kwargs={"members": members},
            )
        messages.success(request, "Attendance recorded")
        return redirect("boards:meeting", pk=meeting.pk)
    return render(request, "boards/attendance_form.html", {**context, "form": form})


ITEM_FIELDS = ["number", "title", "owner", "minutes_allotted", "restricted", "restriction_reason"]


@require_http_methods(["GET", "POST"])
@readers
def item_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = policy.get_meeting_for_user(request.user, pk)
    must_manage(request.user, meeting.board)
    form = AgendaItemForm(request.POST or None, meeting=meeting, initial={"number": actions.next_item_number(meeting)})
    if request.method == "POST" and form.is_valid():
        actions.add_agenda_item(request.user, meeting, request=request, **form.cleaned_data)
        messages.success(request, "Agenda item added")
        return redirect("boards:meeting", pk=meeting.pk)
    context = {"form": form, "board": meeting.board, "meeting": meeting, "creating": True}
    return render(request, "boards/item_form.html", context)


@require_http_methods(["GET", "POST"])
@readers
def item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = policy.get_agenda_item_for_user(request.user, pk)
    meeting = item.meeting
    must_manage(request.user, meeting.board)
    current = {name: getattr(item, name) for name in ITEM_FIELDS}
    form = AgendaItemChangeForm(
        request.POST or None, meeting=meeting, item=item, initial={**current, "version": item.version}
    )
    context = {"board": meeting.board, "meeting": meeting, "item": item}
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.change(request.user, item, expected_version=form.cleaned_data["version"], request=request, **values)
        except actions.StaleEdit:
            item = policy.get_agenda_item_for_user(request.user, pk)
            return conflict(
                request,
                "boards/item_form.html",
                {**context, "item": item},
                form_class=AgendaItemChangeForm,
                stale_form=form,
                instance=item,
                current={name: getattr(item, name) for name in ITEM_FIELDS},
                form_kwargs={"meeting": meeting, "item": item},
            )
        messages.success(request, f"Item {item.number} saved")
        return redirect("boards:meeting", pk=meeting.pk)
    return render(request, "boards/item_form.html", {**context, "form": form})


def _minutes_values(item: Any) -> dict[str, Any]:
    return {"minutes": item.minutes, "decisions": "\n".join(d.text for d in item.decisions.order_by("position"))}


@require_http_methods(["GET", "POST"])
@readers
def item_minutes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = policy.get_agenda_item_for_user(request.user, pk)
    meeting = item.meeting
    must_manage(request.user, meeting.board)
    form = MinutesForm(request.POST or None, initial={**_minutes_values(item), "version": item.version})
    context = {"board": meeting.board, "meeting": meeting, "item": item}
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_minutes(
                request.user,
                item,
                minutes=form.cleaned_data["minutes"],
                decisions=form.decision_lines(),
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except actions.StaleEdit:
            item = policy.get_agenda_item_for_user(request.user, pk)
            return conflict(
                request,
                "boards/minutes_form.html",
                {**context, "item": item},
                form_class=MinutesForm,
                stale_form=form,
                instance=item,
                current=_minutes_values(item),
            )
        messages.success(request, f"Minutes of item {item.number} recorded")
        return redirect("boards:meeting", pk=meeting.pk)
    return render(request, "boards/minutes_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
@readers
def paper_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = policy.get_agenda_item_for_user(request.user, pk)
    meeting = item.meeting
    must_manage(request.user, meeting.board)
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked = form.cleaned_data["file"]
        actions.add_paper(
            request.user,
            item,
            title=form.cleaned_data["title"],
            content=checked.content,
            filename=checked.filename,
            content_type=checked.content_type,
            request=request,
        )
        messages.success(request, f"Paper attached to item {item.number}")
        return redirect("boards:meeting", pk=meeting.pk)
    context = {"form": form, "board": meeting.board, "meeting": meeting, "item": item}
    return render(request, "boards/paper_form.html", context)


@require_http_methods(["GET", "POST"])
@readers
def action_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = policy.get_meeting_for_user(request.user, pk)
    must_manage(request.user, meeting.board)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        actions.add_action(request.user, meeting, request=request, **form.cleaned_data)
        messages.success(request, "Action added")
        return redirect("boards:meeting", pk=meeting.pk)
    context = {"form": form, "board": meeting.board, "meeting": meeting, "creating": True}
    return render(request, "boards/action_form.html", context)


ACTION_FIELDS = ["text", "owner", "due_on", "status", "completed_on", "update"]


@require_http_methods(["GET", "POST"])
@readers
def action_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = policy.get_board_action_for_user(request.user, pk)
    must_manage(request.user, action.board)
    current = {name: getattr(action, name) for name in ACTION_FIELDS}
    form = ActionChangeForm(request.POST or None, initial={**current, "version": action.version})
    context = {"board": action.board, "meeting": action.meeting, "action": action}
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.change(
                request.user, action, expected_version=form.cleaned_data["version"], request=request, **values
            )
        except actions.StaleEdit:
            action = policy.get_board_action_for_user(request.user, pk)
            return conflict(
                request,
                "boards/action_form.html",
                {**context, "action": action},
                form_class=ActionChangeForm,
                stale_form=form,
                instance=action,
                current={name: getattr(action, name) for name in ACTION_FIELDS},
            )
        messages.success(request, "Action saved")
        return redirect("boards:meeting", pk=action.meeting_id)
    return render(request, "boards/action_form.html", {**context, "form": form})


@require_http_methods(["POST"])
@readers
def action_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark an action done today (the button beside an open action); back to the page it was pressed on."""
    action = policy.get_board_action_for_user(request.user, pk)
    must_manage(request.user, action.board)
    form = CompleteActionForm(request.POST)
    back = request.POST.get("meeting") or str(action.meeting_id)
    target = (
        policy.get_meeting_for_user(request.user, int(back)) if back.isdigit() and len(back) < 18 else action.meeting
    )
    if not form.is_valid():
        messages.error(request, "The page was out of date: the action was not changed. Try again.")
        return redirect("boards:meeting", pk=target.pk)
    try:
        actions.complete_action(
            request.user,
            action,
            on=timezone.localdate(),
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except actions.StaleEdit:
        messages.error(request, "Someone changed the action after you opened the page: check it and try again.")
        return redirect("boards:meeting", pk=target.pk)
    messages.success(request, "Action marked done")
    return redirect("boards:meeting", pk=target.pk)
