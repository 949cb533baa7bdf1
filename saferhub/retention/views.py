"""Retention periods, the review queue of records due, erasure, and subject access exports."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import CaseType
from saferhub.core.versioning import StaleEdit, conflict
from saferhub.retention import actions, rules, subject_access
from saferhub.retention.forms import ErasureForm, PersonLookupForm, RetentionRuleForm
from saferhub.retention.models import DEFAULT_YEARS, Erasure, RetentionRule, keep_until
from saferhub.retention.plan import CASE_SOURCES, PERSON_LINKS

PAGE_SIZE = 50
PEOPLE_RESULTS = 20


def _reviewer(request: HttpRequest) -> None:
    if not policy.can_review_retention(request.user):
        raise PermissionDenied("Only partnership administrators and team managers review retention.")


def _administrator(request: HttpRequest) -> None:
    if not policy.can_manage_retention(request.user):
        raise PermissionDenied("Only partnership administrators can use this page.")


def _partnership_id(request: HttpRequest) -> int:
    return request.user.partnership_id  # type: ignore[union-attr,return-value]


# Review queue and erasure ---------------------------------------------------------


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    today = timezone.localdate()
    years = rules.periods(_partnership_id(request))
    due = (
        rules.due(policy.retention_cases(request.user), _partnership_id(request), today, years)
        .select_related("case_type", "owning_team")
        .order_by("closed_on", "pk")
    )
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("page"))
    # Every case in the queue is closed with a closing date (rules.due).
    rows = [(case, case.closed_on and keep_until(case.closed_on, years[case.case_type_id])) for case in page]
    # Register members past their period (a register holds dozens, so they are listed whole, on every page).
    members = rules.register_due(
        _partnership_id(request), today, policy.retention_register_members(request.user)
    ).order_by("left_on", "pk")
    member_rows = [(member, member.left_on and keep_until(member.left_on, DEFAULT_YEARS)) for member in members]
    context = {
        "page_obj": page,
        "rows": rows,
        "member_rows": member_rows,
        "total_due": page.paginator.count + len(member_rows),
        "default_years": DEFAULT_YEARS,
        "can_manage": policy.can_manage_retention(request.user),
        "today": today,
    }
    return render(request, "retention/queue.html", context)


@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, reference: str) -> HttpResponse:
    _reviewer(request)
    case = policy.get_case_for_erasure(request, reference)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.erase_case(request.user, case, reason=form.cleaned_data["reason"], request=request)
        except actions.ErasureRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"The personal data of case {case.reference} has been erased")
            return redirect("retention:queue")
    context = {
        "form": form,
        "case": case,
        "kept_until": keep_until(case.closed_on, rules.years_for(case)) if case.closed_on else None,
        "due": rules.is_due(case, timezone.localdate()),
    }
    return render(request, "retention/erase.html", context)


@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    erasures = (
        Erasure.objects.filter(case__in=policy.retention_cases(request.user))
        .select_related("case", "case__case_type", "erased_by")
        .order_by("-erased_at", "-pk")
    )
    page = Paginator(erasures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "retention/erased.html", {"page_obj": page, "can_manage": policy.can_manage_retention(request.user)}
    )


# Retention periods ------------------------------------------------------------------


@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    case_types = (
        CaseType.objects.filter(partnership_id=_partnership_id(request))
        .select_related("retention_rule", "retention_rule__modified_by")
        .order_by("name")
    )
    return render(request, "retention/rules.html", {"case_types": case_types, "default_years": rules.DEFAULT_YEARS})


def _rule_values(case_type: CaseType) -> dict[str, Any]:
    rule = getattr(case_type, "retention_rule", None)
    if rule is None:
        return {"years": rules.DEFAULT_YEARS, "basis": "", "version": 0}
    return {"years": rule.years, "basis": rule.basis, "version": rule.version}


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, case_type_pk: int) -> HttpResponse:
    _administrator(request)

    def load() -> CaseType:
        return get_object_or_404(
            CaseType.objects.select_related("retention_rule", "retention_rule__modified_by"),
            pk=case_type_pk,
            partnership_id=_partnership_id(request),
        )

    case_type = load()
    form = RetentionRuleForm(request.POST or None, initial=_rule_values(case_type))
    context = {"case_type": case_type}
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_retention(
                request.user,
                case_type,
                years=form.cleaned_data["years"],
                basis=form.cleaned_data["basis"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEdit:
            case_type = load()
            rule = RetentionRule.objects.filter(case_type=case_type).first()
            if rule is None:  # the page carried a version of a rule that has never existed: not our form
                form.add_error(None, "This page is out of date: open the retention period again and make your change")
                return render(request, "retention/rule_form.html", {**context, "form": form}, status=409)
            current = _rule_values(case_type)
            return conflict(
                request,
                "retention/rule_form.html",
                {"case_type": case_type},
                form_class=RetentionRuleForm,
                stale_form=form,
                instance=rule,
                current=current,
            )
        messages.success(request, f"Retention period for {case_type.name} saved")
        return redirect("retention:rules")
    return render(request, "retention/rule_form.html", {**context, "form": form})


# Subject access -----------------------------------------------------------------------


@require_GET
def subject_access_search(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    form = PersonLookupForm(request.GET or None)
    results = None
    members: list[Any] = []
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        people = policy.subject_access_people(request.user)
        match = Q(pk__in=people.search(text).values("pk")) | Q(external_ref__iexact=text)
        if text.isdigit():
            match |= Q(pk=int(text))
        results = list(people.filter(match).order_by("last_name", "first_name", "pk")[:PEOPLE_RESULTS])
        members = list(subject_access.register_members(_partnership_id(request), text)[:PEOPLE_RESULTS])
        log.record(request.user, AuditAction.SEARCH, request=request, detail={"subject_access": text})
    context = {"form": form, "results": results, "members": members}
    return render(request, "retention/subject_access_search.html", context)


@require_GET
def subject_access_person(request: HttpRequest, pk: int) -> HttpResponse:
    _administrator(request)
    person = policy.get_person_for_subject_access(request, pk)
    log.record(request.user, AuditAction.VIEW, person, request=request, detail={"subject_access": True})
    context = {
        "person": person,
        "case_count": len(subject_access.case_ids(person, policy.subject_access_cases(request.user))),
        "kinds": len(CASE_SOURCES) + len(PERSON_LINKS) + len(subject_access.PERSON_SOURCES),
    }
    return render(request, "retention/subject_access_person.html", context)


@require_GET
def subject_access_export(request: HttpRequest, pk: int) -> HttpResponse:
    _administrator(request)
    person = policy.get_person_for_subject_access(request, pk)
    content, counts = subject_access.build(person, requested_by=request.user)
    log.record(
        request.user,
        AuditAction.EXPORT,
        person,
        request=request,
        reason="Subject access request",
        detail={"subject_access": {name: count for name, count in counts.items() if count}},
    )
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="subject-access-person-{person.pk}-{stamp}.zip"'
    return response
