"""Panel pages: panel types, referrals, meetings, hearings, summaries and actions.

Coordinators (policy.can_coordinate_panel) manage everything here. Other caseworkers
see the panel summaries the policy allows and the panel actions they own. Every
change goes through `saferhub.panels.actions`.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.panels import actions, documents
from saferhub.panels.forms import (
    AddAgencyForm,
    AgreedActionForm,
    CancelMeetingForm,
    InformationForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    PanelReferralForm,
    PanelTypeForm,
    PersonSearchForm,
    attendance_form,
)
from saferhub.panels.models import (
    Hearing,
    HearingAction,
    Meeting,
    MeetingStatus,
    PanelCase,
    PanelReferral,
    PanelType,
    ReferralStatus,
)
from saferhub.panels.repeats import previous_referral
from saferhub.people.models import Person

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECENT = 25


def _require_casework(request: HttpRequest) -> None:
    if not policy.works_cases(request.user):
        raise PermissionDenied("Only caseworkers and panel coordinators use the panel pages.")


def _panel_type(request: HttpRequest, code: str, *, coordinate: bool = True) -> PanelType:
    _require_casework(request)
    panel_type = get_object_or_404(
        PanelType.objects.select_related("case_type", "coordinating_team"),
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
        code=code,
    )
    if coordinate and not policy.can_coordinate_panel(request.user, panel_type):
        raise PermissionDenied("Only panel coordinators manage panels.")
    return panel_type


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    _require_casework(request)
    meeting = get_object_or_404(
        Meeting.objects.select_related("panel_type"),
        pk=pk,
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
    )
    if not policy.can_coordinate_panel(request.user, meeting.panel_type):
        raise PermissionDenied("Only panel coordinators manage meetings.")
    return meeting


def _hearing(request: HttpRequest, pk: int) -> Hearing:
    _require_casework(request)
    hearing = get_object_or_404(
        Hearing.objects.select_related("meeting__panel_type", "panel_case__case", "panel_case__person"),
        pk=pk,
        meeting__partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
    )
    if not policy.can_coordinate_panel(request.user, hearing.meeting.panel_type):
        raise PermissionDenied("Only panel coordinators record hearings.")
    if hearing.panel_case.case.restricted and not policy.can_view_case(request.user, hearing.panel_case.case):
        raise Http404("No such hearing")
    return hearing


def _agenda(meeting: Meeting) -> list[Hearing]:
    return list(
        meeting.hearings.select_related("panel_case__case", "panel_case__person").prefetch_related(
            Prefetch("information", queryset=_information()),
            Prefetch("agreed_actions", queryset=_agreed()),
        )
    )


def _information() -> Any:
    from saferhub.panels.models import SharedInformation

    return SharedInformation.objects.select_related("agency")


def _agreed() -> Any:
    return HearingAction.objects.select_related("action", "action__owner", "owner_agency")


# Index and panel types ------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    user: Any = request.user
    coordinator = policy.can_coordinate_panel(user)
    today = timezone.localdate()
    context: dict[str, Any] = {"coordinator": coordinator, "today": today}
    if coordinator:
        context["panel_types"] = PanelType.objects.filter(partnership_id=user.partnership_id).annotate(
            open_cases=Count("cases", filter=~Q(cases__case__status="closed")),
        )
        context["upcoming"] = (
            Meeting.objects.filter(partnership_id=user.partnership_id, date__gte=today)
            .exclude(status=MeetingStatus.CANCELLED)
            .select_related("panel_type")
            .annotate(listed=Count("hearings"))
            .order_by("date", "pk")[:10]
        )
        context["overdue"] = list(actions.overdue_panel_actions(user.partnership, today)[:RECENT])
        context["awaiting_review"] = (
            PanelReferral.objects.awaiting_review().filter(partnership_id=user.partnership_id).count()
        )
    else:
        context["referable"] = list(policy.referable_panel_types(user).order_by("name"))
        context["summaries"] = list(
            policy.visible_panel_cases(user, today)
            .select_related("panel__panel_type", "panel__person")
            .order_by("reference")[:50]
        )
    my_actions = list(
        policy.panel_actions_for_owner(user).select_related("case", "panel_action__owner_agency").order_by("due_on")
    )
    # Outside a meeting's window an owner may not read the summary: the action is listed without a link.
    readable = set(
        policy.visible_panel_cases(user, today)
        .filter(pk__in={a.case_id for a in my_actions})
        .values_list("pk", flat=True)
    )
    for action in my_actions:
        action.summary_readable = action.case_id in readable
    context["my_actions"] = my_actions
    return render(request, "panels/index.html", context)


@require_GET
def panel_type_detail(request: HttpRequest, code: str) -> HttpResponse:
    panel_type = _panel_type(request, code)
    referrals = (
        PanelReferral.objects.filter(panel_type=panel_type)
        .select_related("person", "referring_agency", "panel_case__case")
        .order_by("-referral_date", "-pk")[:RECENT]
    )
    meetings = Meeting.objects.filter(panel_type=panel_type).annotate(listed=Count("hearings")).order_by("-date")[:12]
    return render(
        request,
        "panels/panel_type.html",
        {
            "panel_type": panel_type,
            "awaiting_review": PanelReferral.objects.awaiting_review().filter(panel_type=panel_type).count(),
            "referrals": referrals,
            "meetings": meetings,
            "agencies": panel_type.member_agencies.order_by("name"),
        },
    )


@require_http_methods(["GET", "POST"])
def panel_type_settings(request: HttpRequest, code: str) -> HttpResponse:
    panel_type = _panel_type(request, code)
    form = PanelTypeForm(request.POST or None, instance=panel_type)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "member_agencies"}
        actions.update_panel_type(
            request.user, panel_type, changes=changes, agencies=form.cleaned_data["member_agencies"], request=request
        )
        messages.success(request, f"{panel_type.name} settings saved")
        return redirect("panels:type", code=panel_type.code)
    return render(request, "panels/panel_type_settings.html", {"panel_type": panel_type, "form": form})


# Referrals ------------------------------------------------------------------------


def _referable_people(user: Any) -> Any:
    """People the coordinator may pick: on panel cases they can see, or in their ordinary view."""
    on_panels = PanelCase.objects.filter(case__in=policy.visible_panel_cases(user)).values("person_id")
    return (
        Person.objects.live()
        .filter(partnership_id=user.partnership_id)
        .filter(Q(pk__in=on_panels) | Q(pk__in=policy.visible_people(user).values("pk")))
    )


@require_GET
def refer(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: find the person, so a repeat referral lands on the same person."""
    panel_type = _panel_type(request, code)
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"]
        log.record(request.user, AuditAction.SEARCH, request=request, detail={"text": text, "what": "panel people"})
        results = list(_referable_people(request.user).search(text).order_by("last_name", "first_name", "pk")[:20])
        last = dict(
            PanelReferral.objects.accepted()
            .filter(panel_type=panel_type, person__in=results)
            .values_list("person_id")
            .annotate(latest=Count("pk"))
            .values_list("person_id", "latest")
        )
        for person in results:
            person.panel_referrals_count = last.get(person.pk, 0)
    return render(
        request,
        "panels/refer.html",
        {
            "panel_type": panel_type,
            "form": form,
            "results": results,
            "details_url": reverse("panels:referral-create", kwargs={"code": panel_type.code}),
        },
    )


def _chosen_person(request: HttpRequest) -> Person | None:
    pk = request.GET.get("person") or request.POST.get("person")
    if not pk:
        return None
    if not str(pk).isdigit():
        raise Http404("No such person")
    person = _referable_people(request.user).filter(pk=int(pk)).first()
    if person is None:
        raise Http404("No such person")
    return person


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the referral, for a chosen person or a new one; a repeat is flagged before saving."""
    panel_type = _panel_type(request, code)
    person = _chosen_person(request)
    data = request.POST if request.method == "POST" else None
    form = PanelReferralForm(data, panel_type=panel_type, new_person=person is None)
    repeat = previous_referral(panel_type.pk, person.pk, timezone.localdate()) if person else None
    if request.method == "POST" and form.is_valid():
        try:
            referral = _save_referral(request, panel_type, person, form)
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            note = " It is a repeat referral." if referral.is_repeat else ""
            messages.success(request, f"Referral recorded on {referral.panel_case.case.reference}.{note}")  # type: ignore[union-attr]  # create_referral sets panel_case
            return redirect("panels:referral", pk=referral.pk)
    return render(
        request,
        "panels/referral_form.html",
        {"panel_type": panel_type, "form": form, "person": person, "repeat": repeat},
    )


def _save_referral(
    request: HttpRequest, panel_type: PanelType, person: Person | None, form: PanelReferralForm
) -> PanelReferral:
    with transaction.atomic():
        if person is None:
            person = case_actions.create_person(
                request.user, partnership=panel_type.partnership, request=request, **form.person_fields()
            )
        fields = form.referral_fields()
        role = form.cleaned_data.get("role_in_incident")
        return actions.create_referral(
            request.user,
            panel_type,
            person=person,
            referral_date=form.cleaned_data["referral_date"],
            referring_agency=form.cleaned_data["referring_agency"],
            people_involved=[(person, role)] if role else (),
            checklist=(form.template, form.checklist_answers) if form.checklist_answers else None,
            request=request,
            **fields,
        )


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators see the whole referral; the agency referrer sees what they sent and its status."""
    _require_casework(request)
    referral = get_object_or_404(
        PanelReferral.objects.select_related(
            "panel_type", "person", "referring_agency", "panel_case__case", "repeat_of", "decided_by"
        ).prefetch_related("people_involved__person"),
        pk=pk,
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
    )
    access = policy.panel_referral_access(request.user, referral)
    if access is None:
        raise Http404("No such referral")
    case = referral.panel_case.case if referral.panel_case else None
    log.record(
        request.user,
        AuditAction.VIEW,
        referral,
        request=request,
        partnership=referral.panel_type.partnership,
        detail={"access": access},
    )
    return render(
        request,
        "panels/referral_detail.html",
        {
            "referral": referral,
            "case": case,
            "coordinator": access == "coordinator",
            "can_read_summary": case is not None and policy.can_view_panel_summary(request.user, case),
            "awaiting_review": referral.status == ReferralStatus.SUBMITTED,
            "editable": access == "coordinator" and referral.status != ReferralStatus.RETURNED,
        },
    )


# Meetings -------------------------------------------------------------------------


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
            messages.success(request, f"Meeting scheduled for {meeting.date:%d %B %Y}")
            return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/meeting_form.html", {"panel_type": panel_type, "form": form})


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    hearings = _agenda(meeting)
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


def _back_to_meeting(request: HttpRequest, meeting: Meeting, exc: Exception) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("panels:meeting", pk=meeting.pk)


@require_POST
def build_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        added = actions.build_agenda(request.user, meeting, request=request)
    except actions.PanelError as exc:
        return _back_to_meeting(request, meeting, exc)
    messages.success(request, f"{len(added)} case{'s' if len(added) != 1 else ''} added to the agenda")
    return redirect("panels:meeting", pk=meeting.pk)


@require_POST
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        actions.mark_held(request.user, meeting, request=request)
    except actions.PanelError as exc:
        return _back_to_meeting(request, meeting, exc)
    messages.success(request, "The meeting is recorded as held")
    return redirect("panels:meeting", pk=meeting.pk)


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
        request, "panels/meeting_cancel.html", {"meeting": meeting, "form": form, "listed": meeting.hearings.count()}
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
    form = attendance_form(rows, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.record_attendance(
            request.user,
            meeting,
            {row.pk: (data[f"attendance_{row.pk}"], data[f"representative_{row.pk}"]) for row in rows},
            request=request,
        )
        messages.success(request, "Attendance saved")
        return redirect("panels:meeting", pk=meeting.pk)
    pairs = [(form[f"attendance_{row.pk}"], form[f"representative_{row.pk}"]) for row in rows]
    return render(request, "panels/attendance.html", {"meeting": meeting, "form": form, "pairs": pairs})


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def agenda_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    hearings = _agenda(meeting)
    log.record(request.user, AuditAction.EXPORT, meeting, request=request, detail={"document": "agenda"})
    content = documents.agenda_docx(meeting, hearings)
    return _docx_response(content, f"{meeting.panel_type.code}-agenda-{meeting.date}.docx")


@require_GET
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MinutesForm(request.GET)
    include_shared = form.is_valid() and form.cleaned_data["include_shared"]
    hearings = _agenda(meeting)
    log.record(
        request.user,
        AuditAction.EXPORT,
        meeting,
        request=request,
        detail={"document": "minutes", "include_shared": include_shared},
    )
    content = documents.minutes_docx(meeting, hearings, include_shared=include_shared)
    return _docx_response(content, f"{meeting.panel_type.code}-minutes-{meeting.date}.docx")


# Hearings -------------------------------------------------------------------------


@require_GET
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    case = hearing.panel_case.case
    log.record(request.user, AuditAction.VIEW, case, request=request, detail={"hearing": hearing.pk})
    referrals = PanelReferral.objects.filter(panel_case=hearing.panel_case).select_related("referring_agency")
    return render(
        request,
        "panels/hearing.html",
        {
            "hearing": hearing,
            "meeting": hearing.meeting,
            "case": case,
            "referrals": referrals,
            "information": hearing.information.select_related("agency", "recorded_by"),
            "agreed": hearing.agreed_actions.select_related("action", "action__owner", "owner_agency"),
            "history": hearing.panel_case.hearings.select_related("meeting").exclude(pk=hearing.pk).heard(),
        },
    )


@require_http_methods(["GET", "POST"])
def add_information(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    form = InformationForm(request.POST or None, partnership=hearing.meeting.panel_type.partnership)
    if request.method == "POST" and form.is_valid():
        actions.share_information(request.user, hearing, request=request, **form.cleaned_data)
        messages.success(request, f"Information from {form.cleaned_data['agency'].name} recorded")
        return redirect("panels:hearing", pk=hearing.pk)
    return render(
        request,
        "panels/hearing_form.html",
        {"hearing": hearing, "form": form, "heading": "Record information shared", "submit": "Save information"},
    )


@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    form = AgreedActionForm(request.POST or None, partnership=hearing.meeting.panel_type.partnership)
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["owner"]
        actions.agree_action(
            request.user,
            hearing,
            title=form.cleaned_data["title"],
            owner=owner,
            owner_agency=owner.agency,
            due_on=form.cleaned_data["due_on"],
            request=request,
        )
        messages.success(request, f"Action agreed for {owner}")
        return redirect("panels:hearing", pk=hearing.pk)
    return render(
        request,
        "panels/hearing_form.html",
        {"hearing": hearing, "form": form, "heading": "Add an agreed action", "submit": "Save action"},
    )


@require_http_methods(["GET", "POST"])
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    initial = {"risks": hearing.risks, "decisions": hearing.decisions, "outcome": hearing.outcome or None}
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.record_outcome(request.user, hearing, request=request, **form.cleaned_data)
        messages.success(request, f"Outcome recorded for {hearing.panel_case.case.reference}")
        return redirect("panels:meeting", pk=hearing.meeting_id)
    return render(
        request,
        "panels/hearing_form.html",
        {"hearing": hearing, "form": form, "heading": "Record the outcome", "submit": "Save outcome"},
    )


def _move(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    try:
        actions.move_hearing(request.user, hearing, step, request=request)
    except actions.PanelError as exc:
        return _back_to_meeting(request, hearing.meeting, exc)
    messages.success(request, f"{hearing.panel_case.case.reference} moved {'up' if step < 0 else 'down'} the agenda")
    return redirect("panels:meeting", pk=hearing.meeting_id)


@require_POST
def move_hearing_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, -1)


@require_POST
def move_hearing_down(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, 1)


@require_POST
def remove_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    meeting = hearing.meeting
    try:
        actions.remove_from_agenda(request.user, hearing, request=request)
    except actions.PanelError as exc:
        return _back_to_meeting(request, meeting, exc)
    messages.success(request, "Case taken off the agenda")
    return redirect("panels:meeting", pk=meeting.pk)


# Summaries and actions ----------------------------------------------------------------


@require_GET
def panel_summary(request: HttpRequest, reference: str) -> HttpResponse:
    """What an attending agency sees in the meeting window: no notes, no shared information."""
    case = policy.get_panel_summary_for_user(request, reference)
    panel_case = case.panel
    referrals = PanelReferral.objects.filter(panel_case=panel_case).select_related("referring_agency")
    hearings = (
        panel_case.hearings.select_related("meeting")
        .prefetch_related(Prefetch("agreed_actions", queryset=_agreed()))
        .order_by("-meeting__date")
    )
    return render(
        request,
        "panels/summary.html",
        {
            "case": case,
            "panel_case": panel_case,
            "referrals": referrals,
            "hearings": hearings,
            "can_open_case": case.summary_access == "case",  # type: ignore[attr-defined]
        },
    )


@require_GET
def overdue_actions(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    if not policy.can_coordinate_panel(request.user):
        raise PermissionDenied("Only panel coordinators see every overdue panel action.")
    rows = actions.overdue_panel_actions(request.user.partnership)  # type: ignore[union-attr]
    return render(request, "panels/overdue.html", {"rows": rows, "today": timezone.localdate()})


@require_POST
def complete_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner (or a coordinator) marks a panel action done."""
    _require_casework(request)
    user: Any = request.user
    row = get_object_or_404(
        HearingAction.objects.select_related("action", "hearing__meeting__panel_type"),
        pk=pk,
        hearing__meeting__partnership_id=user.partnership_id,
    )
    if row.action.owner_id != user.pk and not policy.can_coordinate_panel(user):
        raise PermissionDenied("Only the action's owner or a panel coordinator can mark it done.")
    if row.action.status == "open":
        case_actions.set_action_status(user, row.action, "done", request=request)
        messages.success(request, f"'{row.action.title}' marked done")
    return redirect(request.POST.get("next", "") if _safe_next(request) else reverse("panels:index"))


def _safe_next(request: HttpRequest) -> bool:
    target = request.POST.get("next", "")
    return target.startswith("/panels/") and "//" not in target
