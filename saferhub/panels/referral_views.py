"""Online referrals from member agencies, the coordinator's review queue, corrections to a
referral, and the people involved in a serious incident.

A caseworker of a member agency refers (policy.can_refer_to_panel); the referral waits as
"submitted" until a coordinator accepts it onto the panel or returns it with a reason.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.core import exports
from saferhub.core.versioning import CONFLICT_STATUS, StaleEdit, conflict_message, differing_fields, values_of
from saferhub.panels import actions
from saferhub.panels.forms import (
    AcceptReferralForm,
    AgencyReferralForm,
    IncidentPersonForm,
    PersonSearchForm,
    ReturnReferralForm,
    referral_edit_form,
)
from saferhub.panels.models import IncidentPerson, PanelCase, PanelReferral, PanelType, ReferralStatus
from saferhub.panels.views.common import _require_casework
from saferhub.panels.views.referrals import _chosen_person, _referable_people
from saferhub.people.models import Person

MATCHES = 10


def _referable_panel_type(request: HttpRequest, code: str) -> PanelType:
    _require_casework(request)
    panel_type = get_object_or_404(
        PanelType.objects.select_related("partnership"),
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
        code=code,
    )
    if not policy.can_refer_to_panel(request.user, panel_type):
        raise PermissionDenied(f"Your agency is not a member of {panel_type.name}, so you cannot refer to it.")
    return panel_type


def _referral(request: HttpRequest, pk: int, *, coordinate: bool = True) -> PanelReferral:
    """The referral if the policy lets the user read it (coordinators only, unless `coordinate` is False)."""
    _require_casework(request)
    referral = get_object_or_404(
        PanelReferral.objects.select_related(
            "panel_type__partnership", "person", "referring_agency", "panel_case__case", "repeat_of", "decided_by"
        ),
        pk=pk,
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
    )
    access = policy.panel_referral_access(request.user, referral)
    if access is None or (coordinate and access != "coordinator"):
        raise Http404("No such referral")
    referral.access = access  # type: ignore[attr-defined]
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, referral, request=request, detail={"access": access})
    return referral


# Member agencies refer -----------------------------------------------------------------


@require_GET
def submit_search(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: find the person, so the coordinator can tell a repeat referral."""
    panel_type = _referable_panel_type(request, code)
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"]
        log.record(request.user, AuditAction.SEARCH, request=request, detail={"text": text, "what": "panel people"})
        results = list(_referable_people(request.user).search(text).order_by("last_name", "first_name", "pk")[:20])
    return render(
        request,
        "panels/refer.html",
        {
            "panel_type": panel_type,
            "form": form,
            "results": results,
            "agency_view": True,
            "details_url": reverse("panels:submit-details", kwargs={"code": panel_type.code}),
        },
    )


@require_http_methods(["GET", "POST"])
def submit_details(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the referral, sent to the coordinator's queue."""
    panel_type = _referable_panel_type(request, code)
    person = _chosen_person(request)
    data = request.POST if request.method == "POST" else None
    form = AgencyReferralForm(data, panel_type=panel_type, new_person=person is None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            referral = _submit(request, panel_type, person, form)
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Referral sent to the {panel_type.name} coordinator")
            return redirect("panels:referral", pk=referral.pk)
    return render(
        request,
        "panels/referral_form.html",
        {"panel_type": panel_type, "form": form, "person": person, "agency_view": True, "submit": "Send referral"},
    )


def _submit(request: HttpRequest, panel_type: PanelType, person: Person | None, form: AgencyReferralForm) -> Any:
    with transaction.atomic():
        if person is None:
            person = case_actions.create_person(
                request.user, partnership=panel_type.partnership, request=request, **form.person_fields()
            )
        role = form.cleaned_data.get("role_in_incident")
        checklist = None
        if form.checklist_answers:
            checklist = (form.template, form.checklist_answers, form.cleaned_data["dash_score"])
        return actions.submit_referral(
            request.user,
            panel_type,
            person=person,
            people_involved=[(person, role)] if role else (),
            checklist=checklist,
            request=request,
            **form.referral_fields(),
        )


@require_GET
def my_referrals(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    referrals = (
        policy.own_panel_referrals(request.user)
        .select_related("panel_type", "person")
        .order_by("-referral_date", "-pk")[:100]
    )
    panel_types = policy.referable_panel_types(request.user).order_by("name")
    return render(request, "panels/my_referrals.html", {"referrals": referrals, "panel_types": panel_types})


# The coordinator reviews ---------------------------------------------------------------


REVIEW_QUEUE_COLUMNS = [
    exports.computed("referral", "Referral", lambda r: r.reference),
    exports.field("referral_date", "Referred"),
    exports.computed("panel_type", "Panel", lambda r: r.panel_type.code, lambda r: r.panel_type.name),
    exports.field("person", "Person", "person__display_name"),
    exports.field("referring_agency", "Referring agency", "referring_agency__name"),
    exports.field("referrer_name", "Referrer"),
    exports.field("repeat", "Repeat", "is_repeat"),
]


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    if not policy.can_coordinate_panel(request.user):
        raise PermissionDenied("Only panel coordinators review referrals.")
    # The panels' kind of the coordinator's inbox: the same items the inbox and home page count.
    referrals = list(
        policy.inbox_queryset(request.user, policy.InboxKind.PANEL)
        .select_related("panel_type", "person", "referring_agency", "repeat_of")
        .order_by("referral_date", "pk")
    )
    dated = policy.readable_repeat_referrals(request.user, [referral.repeat_of_id for referral in referrals])
    if exports.wanted_format(request):
        columns = [
            *REVIEW_QUEUE_COLUMNS,
            # The earlier referral's date only where the coordinator may read it, as the page shows it.
            exports.computed(
                "repeat_of_referred",
                "Repeat of the referral of",
                lambda r: r.repeat_of.referral_date if r.repeat_of_id in dated else None,
            ),
        ]
        return exports.export_response(
            request, referrals, columns, name="panel-referrals-awaiting-review", title="Awaiting review"
        )
    context = {"referrals": referrals, "dated_repeats": dated, "export_links": exports.export_links(request)}
    return render(request, "panels/review_queue.html", context)


def _possible_matches(user: Any, referral: PanelReferral) -> Any:
    """People already on this panel's cases with the same name (and no conflicting date of birth)."""
    person = referral.person
    if person is None or not person.last_name.strip():
        return Person.objects.none()
    known = PanelCase.objects.filter(panel_type=referral.panel_type, case__in=policy.visible_panel_cases(user)).values(
        "person_id"
    )
    matches = Person.objects.live().filter(
        partnership_id=referral.partnership_id,
        pk__in=known,
        first_name__iexact=person.first_name.strip(),
        last_name__iexact=person.last_name.strip(),
    )
    if person.date_of_birth:
        matches = matches.filter(Q(date_of_birth=person.date_of_birth) | Q(date_of_birth__isnull=True))
    ids = list(matches.exclude(pk=person.pk).order_by("last_name", "first_name", "pk").values_list("pk", flat=True))
    return Person.objects.filter(pk__in=ids[:MATCHES]).order_by("last_name", "first_name", "pk")


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    if referral.status != ReferralStatus.SUBMITTED:
        raise Http404("This referral is not awaiting review")
    matches = _possible_matches(request.user, referral)
    form = AcceptReferralForm(request.POST if request.method == "POST" else None, matches=matches)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = actions.accept_referral(
                request.user, referral, same_person_as=form.cleaned_data.get("same_person_as"), request=request
            )
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            note = " It is a repeat referral." if accepted.is_repeat else ""
            messages.success(request, f"Referral accepted onto {accepted.panel_case.case.reference}.{note}")  # type: ignore[union-attr]  # accepting sets panel_case
            return redirect("panels:referral", pk=accepted.pk)
    repeat_dated = bool(policy.readable_repeat_referrals(request.user, [referral.repeat_of_id]))
    return render(
        request,
        "panels/referral_accept.html",
        {"referral": referral, "form": form, "matches": matches, "repeat_dated": repeat_dated},
    )


@require_http_methods(["GET", "POST"])
def return_referral(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    if referral.status != ReferralStatus.SUBMITTED:
        raise Http404("This referral is not awaiting review")
    form = ReturnReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.return_referral(request.user, referral, reason=form.cleaned_data["reason"], request=request)
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Referral returned to the referrer")
            return redirect("panels:review-queue")
    return render(request, "panels/referral_return.html", {"referral": referral, "form": form})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    if referral.status == ReferralStatus.RETURNED:
        raise Http404("A returned referral cannot be changed")
    form = referral_edit_form(referral, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        changes = form.referral_fields()
        changes.pop("version", None)  # checked by update_referral, never written from the form
        for name in ("referral_date", "referring_agency"):
            if name in form.cleaned_data:
                changes[name] = form.cleaned_data[name]
        try:
            updated = actions.update_referral(
                request.user, referral, changes=changes, expected_version=form.cleaned_data["version"], request=request
            )
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        except StaleEdit:
            current_referral = _referral(request, pk)
            not_saved = differing_fields(form, values_of(current_referral, form.fields))
            fresh = referral_edit_form(current_referral)
            fresh.cleaned_data = {}
            fresh.add_error(None, conflict_message(current_referral, not_saved))
            context = {"referral": current_referral, "form": fresh}
            return render(request, "panels/referral_edit.html", context, status=CONFLICT_STATUS)
        else:
            note = " It is a repeat referral." if updated.is_repeat else ""
            messages.success(request, f"Referral updated.{note}")
            return redirect("panels:referral", pk=referral.pk)
    return render(request, "panels/referral_edit.html", {"referral": referral, "form": form})


# People involved in a serious incident -------------------------------------------------


@require_http_methods(["GET", "POST"])
def add_incident_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Search for the person (GET ?q=), choose them (?person=) or someone new, and give their part."""
    referral = _referral(request, pk)
    if not referral.panel_type.is_sirm or referral.status == ReferralStatus.RETURNED:
        raise Http404("No people involved to record on this referral")
    search = PersonSearchForm(request.GET if "q" in request.GET else None)
    results = None
    if search.is_bound and search.is_valid():
        text = search.cleaned_data["q"]
        log.record(request.user, AuditAction.SEARCH, request=request, detail={"text": text, "what": "panel people"})
        results = list(_referable_people(request.user).search(text).order_by("last_name", "first_name", "pk")[:20])
    person = _chosen_person(request)
    form = IncidentPersonForm(request.POST if request.method == "POST" else None, new_person=person is None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if person is None:
                    person = case_actions.create_person(
                        request.user, partnership=referral.partnership, request=request, **form.person_fields()
                    )
                actions.add_incident_person(request.user, referral, person, form.cleaned_data["role"], request=request)
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{person.display_name} added to the people involved")
            return redirect("panels:referral", pk=referral.pk)
    return render(
        request,
        "panels/incident_person.html",
        {"referral": referral, "form": form, "search": search, "results": results, "person": person},
    )


@require_POST
def remove_incident_person(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    referral = _referral(request, pk)
    involved = get_object_or_404(IncidentPerson.objects.select_related("person"), pk=row, referral=referral)
    actions.remove_incident_person(request.user, involved, request=request)
    messages.success(request, f"{involved.person.display_name} removed from the people involved")
    return redirect("panels:referral", pk=referral.pk)


urlpatterns = [
    path("types/<slug:code>/submit/", submit_search, name="submit"),
    path("types/<slug:code>/submit/details/", submit_details, name="submit-details"),
    path("referrals/mine/", my_referrals, name="my-referrals"),
    path("referrals/awaiting-review/", review_queue, name="review-queue"),
    path("referrals/<int:pk>/accept/", accept, name="accept-referral"),
    path("referrals/<int:pk>/return/", return_referral, name="return-referral"),
    path("referrals/<int:pk>/edit/", edit, name="edit-referral"),
    path("referrals/<int:pk>/people/add/", add_incident_person, name="add-incident-person"),
    path("referrals/<int:pk>/people/<int:row>/remove/", remove_incident_person, name="remove-incident-person"),
]
