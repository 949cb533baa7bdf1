"""Case pages: list and search, create, the case file, and one view per change.

Every case is fetched through `policy.get_case_for_user` (404 for outsiders, 403
for too little access, audited views); every change goes through `actions`.
"""

from collections.abc import Iterable
from itertools import chain
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions
from saferhub.cases.closure_views import closure_reason_label, closure_timeline
from saferhub.cases.extensions import case_links
from saferhub.cases.forms import (
    ActionForm,
    BreakGlassForm,
    BreakGlassStartForm,
    CaseCreateForm,
    CaseEditForm,
    CaseFilterForm,
    CloseCaseForm,
    ExistingParticipantForm,
    LinkCaseForm,
    NameUserForm,
    NewPersonForm,
    NoteForm,
    PersonSearchForm,
    ShareForm,
    StatusChangeForm,
)
from saferhub.cases.models import (
    Action,
    ActionStatus,
    Case,
    CaseLink,
    CaseLocation,
    CaseShare,
    CaseStatus,
    ClosureRequest,
    Referral,
    RestrictedAccess,
    StageLog,
)
from saferhub.core import exports
from saferhub.core.keyset import KeysetPaginator, union_queryset
from saferhub.core.types import AuthenticatedHttpRequest, model_choice_field
from saferhub.core.versioning import conflict
from saferhub.people import matching
from saferhub.people.models import Person
from saferhub.people.summaries import summarise
from saferhub.policy import Access

CASES_PER_PAGE = 25
# The case list's download (saferhub.core.exports): codes in CSV, labels in XLSX.
CASE_COLUMNS = [
    exports.field("reference", "Reference"),
    exports.field("title", "Title"),
    exports.field("case_type", "Case type"),
    exports.field("status", "Status"),
    exports.field("risk_level", "Risk level"),
    exports.field("owning_team", "Owning team", "owning_team__name"),
    exports.field("assigned_to", "Assigned to", "assigned_to__full_name"),
    exports.field("opened_on", "Opened"),
    exports.field("closed_on", "Closed"),
]
PEOPLE_RESULTS = 20

STALE_MESSAGE = (
    "This case was changed by someone else after you opened it. Your changes have not been saved. "
    "The form now shows the case as it is: check it and make your changes again."
)


def _require_caseworker(user: Any) -> None:
    if not policy.works_cases(user):
        raise PermissionDenied("Only caseworkers can open case files.")


def _version(case: Case) -> dict[str, int]:
    return {"version": case.version}


# List and create ---------------------------------------------------------------


@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_caseworker(user)
    form = CaseFilterForm(request.GET or None, user=user)
    refine = None
    search_text = ""
    parts = policy.visible_case_parts(user)
    if form.is_bound and form.is_valid():
        refine = form.filter_parts
        search_text = form.cleaned_data.get("q", "").strip()
        if search_text:
            log.record(user, AuditAction.SEARCH, request=request, detail={"text": search_text, "what": "cases"})
    elif form.is_bound:
        parts = []
    base = Case.objects.with_list_columns().select_related("assigned_to")
    if exports.wanted_format(request):
        rows = union_queryset(base, parts, refine).order_by("-opened_on", "-pk")
        return exports.export_response(request, rows, CASE_COLUMNS, name="cases", title="Cases")
    page = KeysetPaginator(base, parts, ("-opened_on", "-pk"), CASES_PER_PAGE, refine=refine).page(request.GET)
    return render(
        request,
        "cases/list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "search_text": search_text,
            "filtered": form.is_bound,
            "can_create": policy.can_create_case(user),
            "export_links": exports.export_links(request),
        },
    )


@require_http_methods(["GET", "POST"])
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can_create_case(user):
        raise PermissionDenied("Only caseworkers in a team can open cases.")
    form = CaseCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = actions.create_case(
            user,
            case_type=data["case_type"],
            owning_team=user.team,
            title=data["title"],
            summary=data["summary"],
            risk_level=data["risk_level"],
            assigned_to=data["assigned_to"],
            opened_on=data["opened_on"],
            request=request,
        )
        messages.success(request, f"Case {case.reference} opened")
        return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/create.html", {"form": form})


# The case file ---------------------------------------------------------------------


def _timeline(case: Case, closures: list[ClosureRequest]) -> list[dict[str, Any]]:
    notes = case.notes.select_related("created_by", "agency")
    stages = StageLog.objects.filter(case=case).select_related("by")
    entries: Iterable[dict[str, Any]] = chain(
        ({"kind": "note", "at": n.created_at, "by": n.created_by, "agency": n.agency, "text": n.text} for n in notes),
        ({"kind": "status", "at": s.at, "by": s.by, "stage": s} for s in stages),
        closure_timeline(closures),
    )
    return sorted(entries, key=lambda e: e["at"], reverse=True)


def _visible_links(user: Any, case: Case) -> list[dict[str, Any]]:
    """Links to cases the user may open; the others are left out without a trace."""
    links = list(CaseLink.objects.filter(models.Q(from_case=case) | models.Q(to_case=case)).order_by("created_at"))
    other_ids = {link.to_case_id if link.from_case_id == case.pk else link.from_case_id for link in links}
    if not other_ids:
        return []
    visible = {c.pk: c for c in policy.visible_cases(user).filter(pk__in=other_ids).select_related("case_type")}
    rows = []
    for link in links:
        other = visible.get(link.to_case_id if link.from_case_id == case.pk else link.from_case_id)
        if other is not None:
            rows.append({"case": other, "reason": link.reason})
    return rows


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference)
    user = request.user
    access = case.access
    can_edit = access == Access.EDIT
    can_contribute = access.value >= Access.CONTRIBUTE.value
    action_rows = list(case.actions.select_related("owner"))
    for action in action_rows:
        # A per-page flag for the template, not a model attribute.
        action.can_change = (  # type: ignore[attr-defined]
            action.status == ActionStatus.OPEN and (can_edit or action.owner_id == user.pk)
        )
    closures = list(ClosureRequest.objects.filter(case=case).select_related("requested_by", "decided_by"))
    pending = None if case.is_closed else next((c for c in closures if c.is_pending), None)
    context = {
        "case": case,
        "pending_closure": pending,
        "pending_closure_reason": closure_reason_label(case, pending.closure_reason) if pending else "",
        "closure_reason": closure_reason_label(case, case.closure_reason) if case.closure_reason else "",
        "can_decide_closure": pending is not None and policy.can_approve_closure(user, case),
        "must_ask_to_close": can_edit and not case.is_closed and policy.must_ask_to_close(user, case),
        "can_edit": can_edit,
        "can_contribute": can_contribute,
        "break_glass": access == Access.VIEW,
        "participants": case.participants.select_related("person"),
        "timeline": _timeline(case, closures),
        "actions": action_rows,
        "any_action_changeable": any(a.can_change for a in action_rows),  # type: ignore[attr-defined]
        "referrals": Referral.objects.filter(case=case).select_related(
            "from_team__agency", "from_agency", "to_team__agency"
        ),
        "shares": CaseShare.objects.current().filter(case=case).select_related("agency", "team__agency"),
        "links": _visible_links(user, case),
        "locations": CaseLocation.objects.filter(case=case).select_related("location__ward"),
        "named_count": RestrictedAccess.objects.filter(case=case).count() if case.restricted else None,
        "today": timezone.localdate(),
        "module_links": case_links(case, user, access),
    }
    return render(request, "cases/detail.html", context)


# Edit and status ---------------------------------------------------------------


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "title": case.title,
        "summary": case.summary,
        "risk_level": case.risk_level,
        "assigned_to": case.assigned_to_id,
        "restricted": case.restricted,
        **_version(case),
    }


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    form = CaseEditForm(request.POST or None, initial=_case_values(case), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_case_details(
                request.user,
                case,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                request=request,
            )
        except actions.StaleEdit:
            case.refresh_from_db()
            current = {name: value for name, value in _case_values(case).items() if name != "version"}
            return conflict(
                request,
                "cases/edit.html",
                {"case": case},
                form_class=CaseEditForm,
                stale_form=form,
                instance=case,
                current=current,
                form_kwargs={"case": case},
            )
        else:
            messages.success(request, "Case details saved")
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/edit.html", {"form": form, "case": case})


def _status_view(
    request: HttpRequest, reference: str, *, to_status: str, template: str, case: Case | None = None
) -> HttpResponse:
    case = case or policy.get_case_for_user(request, reference, need=Access.EDIT)
    closing = to_status == CaseStatus.CLOSED
    form_kwargs: dict[str, Any] = {"partnership": case.partnership} if closing else {}
    form_class = CloseCaseForm if closing else StatusChangeForm
    form = form_class(request.POST or None, initial=_version(case), **form_kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_status(
                request.user,
                case,
                to_status,
                expected_version=data["version"],
                reason=data.get("reason", ""),
                closure_reason=data.get("closure_reason", ""),
                request=request,
            )
        except actions.StaleEdit:
            case.refresh_from_db()
            form = form_class(data={**request.POST.dict(), "version": case.version}, **form_kwargs)
            form.is_valid()
            form.add_error(None, STALE_MESSAGE)
        except actions.InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Case {CaseStatus(to_status).label.lower()}")
            return redirect("cases:detail", reference=case.reference)
    return render(request, template, {"form": form, "case": case, "to_status": CaseStatus(to_status)})


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    if not case.is_closed and actions.pending_closure(case) is not None:
        messages.info(request, "A closure of this case is awaiting approval: a team manager approves or returns it")
        return redirect("cases:detail", reference=case.reference)
    if not case.is_closed and policy.must_ask_to_close(request.user, case):
        return redirect("cases:closure-request", reference=case.reference)
    return _status_view(request, reference, to_status=CaseStatus.CLOSED, template="cases/close.html", case=case)


@require_http_methods(["GET", "POST"])
def case_reopen(request: HttpRequest, reference: str) -> HttpResponse:
    return _status_view(request, reference, to_status=CaseStatus.OPEN, template="cases/status.html")


@require_http_methods(["GET", "POST"])
def case_hold(request: HttpRequest, reference: str) -> HttpResponse:
    return _status_view(request, reference, to_status=CaseStatus.ON_HOLD, template="cases/status.html")


@require_http_methods(["GET", "POST"])
def case_resume(request: HttpRequest, reference: str) -> HttpResponse:
    return _status_view(request, reference, to_status=CaseStatus.OPEN, template="cases/status.html")


# Notes and actions ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.CONTRIBUTE)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_note(request.user, case, form.cleaned_data["text"], request=request)
        messages.success(request, "Note added")
        return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/add_note.html", {"form": form, "case": case})


@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.CONTRIBUTE)
    form = ActionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_action(
            request.user, case, title=data["title"], owner=data["owner"], due_on=data["due_on"], request=request
        )
        messages.success(request, "Action added")
        return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/add_action.html", {"form": form, "case": case})


def _set_action_status(request: HttpRequest, reference: str, pk: int, status: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.VIEW)
    action = get_object_or_404(Action, pk=pk, case=case)
    if not (case.access == Access.EDIT or action.owner_id == request.user.pk):
        raise PermissionDenied("Only the action's owner or the owning team can change it.")
    if action.status != ActionStatus.OPEN:
        messages.info(request, f"That action is already {action.get_status_display().lower()}")
    else:
        actions.set_action_status(request.user, action, status, request=request)
        messages.success(request, f"Action marked {ActionStatus(status).label.lower()}")
    return redirect("cases:detail", reference=case.reference)


@require_POST
def action_done(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _set_action_status(request, reference, pk, ActionStatus.DONE)


@require_POST
def action_cancel(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _set_action_status(request, reference, pk, ActionStatus.CANCELLED)


# Participants ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def add_participant(request: HttpRequest, reference: str) -> HttpResponse:
    """Add someone already in the index: search among the people the user may see, then choose.

    Each result shows the date of birth, age, address and the cases the user may see, so the right
    person is picked; the role has no default.
    """
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    user = request.user
    search = PersonSearchForm(request.GET or None)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    people = policy.visible_people(user)
    form = ExistingParticipantForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        actions.add_participant(user, case, form.cleaned_data["person"], form.cleaned_data["role"], request=request)
        messages.success(request, f"{form.cleaned_data['person'].display_name} added to the case")
        return redirect("cases:detail", reference=case.reference)
    found: list[Person | matching.Match] = []
    if text:
        log.record(user, AuditAction.SEARCH, request=request, detail={"text": text, "what": "people"})
        found = [*matching.similar_people(people, text, limit=PEOPLE_RESULTS)]
        seen = {m.person.pk for m in found if isinstance(m, matching.Match)}
        # An identifier (a police or NHS number) is no name: it is matched exactly.
        found += list(people.search(text).exclude(pk__in=seen)[: PEOPLE_RESULTS - len(found)])
    elif form.is_bound and form.data.get("person"):
        found = list(people.filter(pk__in=[form.data.get("person")]))
    results = summarise(user, found)
    model_choice_field(form, "person").queryset = people.filter(pk__in=[r.pk for r in results])
    context = {"form": form, "search_form": search, "case": case, "results": results, "search_text": text}
    return render(request, "cases/add_participant.html", context)


@require_http_methods(["GET", "POST"])
def add_new_participant(request: HttpRequest, reference: str) -> HttpResponse:
    """Create a new person (anonymous allowed) and add them to the case.

    When people the user may see have the same date of birth and a similar name, they are shown
    first, each with a button to add them instead; the form comes back to be sent again if the
    person is someone else.
    """
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    data = request.POST or None
    form = NewPersonForm(data, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        duplicates = []
        if not fields["confirmed_new"]:
            duplicates = matching.likely_duplicates(
                policy.visible_people(request.user), fields["first_name"], fields["last_name"], fields["date_of_birth"]
            )
        if duplicates:
            form = NewPersonForm({**request.POST.dict(), "confirmed_new": "True"}, partnership=case.partnership)
            context = {
                "form": form,
                "case": case,
                "duplicates": summarise(request.user, duplicates),
                "role": fields["role"],
            }
            return render(request, "cases/add_new_participant.html", context)
        participant = actions.add_new_participant(
            request.user, case, role=fields["role"], person_fields=form.person_fields(), request=request
        )
        messages.success(request, f"{participant.person.display_name} added to the case")
        return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/add_new_participant.html", {"form": form, "case": case})


# Sharing ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    form = ShareForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = actions.share_case(
            request.user,
            case,
            purpose=data["purpose"],
            lawful_basis=data["lawful_basis"],
            expires_on=data["expires_on"],
            request=request,
            **data["recipient"],
        )
        messages.success(request, f"Case shared with {created.shared_with}")
        return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/share.html", {"form": form, "case": case})


@require_POST
def revoke_share(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    case_share = get_object_or_404(CaseShare.objects.select_related("agency", "team__agency"), pk=pk, case=case)
    if case_share.revoked_at is None:
        actions.revoke_share(request.user, case_share, request=request)
        messages.success(request, f"Sharing with {case_share.shared_with} revoked")
    return redirect("cases:detail", reference=case.reference)


# Links ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def link_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    form = LinkCaseForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["reference"]
        try:
            actions.link_cases(request.user, case, other, reason=form.cleaned_data["reason"], request=request)
        except actions.InvalidTransition as exc:
            form.add_error("reference", str(exc))
        else:
            messages.success(request, f"Linked to {other.reference}")
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/link.html", {"form": form, "case": case})


# Restriction ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def restricted_access(request: HttpRequest, reference: str) -> HttpResponse:
    """Named users: who may see the case while it is restricted. POST names one more."""
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    form = NameUserForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        named = form.cleaned_data["user"]
        actions.name_user_on_case(request.user, case, named, request=request)
        messages.success(request, f"{named.full_name} can now see this case")
        return redirect("cases:restricted-access", reference=case.reference)
    named_users = (
        RestrictedAccess.objects.filter(case=case).select_related("user__team__agency").order_by("user__full_name")
    )
    return render(request, "cases/restricted_access.html", {"form": form, "case": case, "named_users": named_users})


@require_POST
def restricted_access_remove(request: HttpRequest, reference: str, user_pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    access = get_object_or_404(RestrictedAccess.objects.select_related("user"), case=case, user_id=user_pk)
    if access.user_id == request.user.pk:
        messages.error(request, "You cannot remove yourself: ask another named user in your team to do it")
    else:
        actions.unname_user_on_case(request.user, case, access.user, request=request)
        messages.success(request, f"{access.user.full_name} removed from the named users")
    return redirect("cases:restricted-access", reference=case.reference)


# Emergency access ---------------------------------------------------------------------


NOT_FOUND_FOR_BREAK_GLASS = "We could not find a case you can open in an emergency with that reference"


@require_http_methods(["GET", "POST"])
def break_glass_start(request: HttpRequest) -> HttpResponse:
    _require_caseworker(request.user)
    form = BreakGlassStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = policy.find_case_for_break_glass(request.user, form.cleaned_data["reference"])
        except Http404:
            # The same answer whether the case is missing, restricted, or already open to the user.
            form.add_error("reference", NOT_FOUND_FOR_BREAK_GLASS)
        else:
            return redirect("cases:break-glass", reference=case.reference)
    return render(request, "cases/break_glass_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.find_case_for_break_glass(request.user, reference)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy.grant_break_glass(request.user, case, form.cleaned_data["reason"], request=request)
        except ValueError as exc:
            form.add_error("reason", str(exc))
        else:
            return redirect("cases:detail", reference=case.reference)
    context = {"form": form, "case": case, "minutes": settings.BREAK_GLASS_MINUTES}
    return render(request, "cases/break_glass.html", context)


urlpatterns = [
    path("", case_list, name="list"),
    path("new/", case_create, name="create"),
    path("emergency-access/", break_glass_start, name="break-glass-start"),
    path("<caseref:reference>/", case_detail, name="detail"),
    path("<caseref:reference>/edit/", case_edit, name="edit"),
    path("<caseref:reference>/close/", case_close, name="close"),
    path("<caseref:reference>/reopen/", case_reopen, name="reopen"),
    path("<caseref:reference>/hold/", case_hold, name="hold"),
    path("<caseref:reference>/resume/", case_resume, name="resume"),
    path("<caseref:reference>/notes/new/", add_note, name="add-note"),
    path("<caseref:reference>/actions/new/", add_action, name="add-action"),
    path("<caseref:reference>/actions/<int:pk>/done/", action_done, name="action-done"),
    path("<caseref:reference>/actions/<int:pk>/cancel/", action_cancel, name="action-cancel"),
    path("<caseref:reference>/participants/new/", add_participant, name="add-participant"),
    path("<caseref:reference>/participants/new-person/", add_new_participant, name="add-new-participant"),
    path("<caseref:reference>/share/", share, name="share"),
    path("<caseref:reference>/shares/<int:pk>/revoke/", revoke_share, name="revoke-share"),
    path("<caseref:reference>/links/new/", link_case, name="link"),
    path("<caseref:reference>/restricted-access/", restricted_access, name="restricted-access"),
    path(
        "<caseref:reference>/restricted-access/<int:user_pk>/remove/",
        restricted_access_remove,
        name="restricted-access-remove",
    ),
    path("<caseref:reference>/emergency-access/", break_glass, name="break-glass"),
]
