"""Assessment pages: start one on a case, read one, and list a case's assessments.

Cases are fetched through `policy.get_case_for_user` (404 outsiders, 403 too little access,
audited); an assessment is fetched, then its case checked with `policy.can_view_case`.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.assessments.actions import record_assessment
from saferhub.assessments.forms import AssessmentForm
from saferhub.assessments.models import Answer, AnswerKind, Assessment, AssessmentTemplate, Option, Stage
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.actions import StaleEdit
from saferhub.cases.models import Case
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.people.models import Person
from saferhub.policy import Access

STALE_MESSAGE = (
    "The case was changed by someone else while you were answering, so the assessment has not been saved. "
    "Your answers are still here: check them and save again."
)


def _current_template(case: Case, code: str) -> AssessmentTemplate:
    template = (
        AssessmentTemplate.objects.current()
        .filter(partnership_id=case.partnership_id, code=code)
        .prefetch_related(Prefetch("questions__options", queryset=Option.objects.order_by("order", "pk")), "bands")
        .order_by("-version")
        .first()
    )
    if template is None:
        raise Http404("No such assessment")
    return template


def _people_on_case(case: Case) -> Any:
    return Person.objects.filter(participations__case=case).distinct().order_by("last_name", "first_name", "pk")


def _next_url(request: HttpRequest) -> str:
    """`?next=`: where the worker came from (e.g. the hub referral), if it is a path on this site; else ""."""
    candidate = request.GET.get("next", "")
    # Only a path: no scheme, no host ("//evil.example" and "https:..." fail the check or the slash test).
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, reference: str, template_code: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.CONTRIBUTE)
    template = _current_template(case, template_code)
    first = not Assessment.objects.filter(case=case, template__code=template.code).exists()
    form = AssessmentForm(
        request.POST or None,
        template=template,
        people=_people_on_case(case),
        initial={"stage": Stage.INITIAL if first else Stage.REVIEW},
    )
    can_set_risk = case.access == Access.EDIT
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = record_assessment(
                request.user,
                case,
                template,
                form.answers(),
                stage=form.cleaned_data["stage"],
                person=form.cleaned_data.get("person"),
                notes=form.cleaned_data["notes"],
                update_case_risk=can_set_risk,
                request=request,
            )
        except ValidationError as exc:
            form.add_answer_errors(exc)
        except StaleEdit:
            form.add_error(None, STALE_MESSAGE)
        else:
            messages.success(request, f"{template.name} saved: score {assessment.score}, {assessment.band_label}")
            if next_url:
                return redirect(next_url)
            return redirect("assessments:detail", pk=assessment.pk)
    return render(
        request,
        "assessments/start.html",
        {"case": case, "template": template, "form": form, "can_set_risk": can_set_risk, "next_url": next_url},
    )


def _answer_rows(assessment: Assessment) -> list[dict[str, Any]]:
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment).order_by()}
    questions = assessment.template.questions.prefetch_related("options").order_by("number")
    rows = []
    for question in questions:
        answer = answers.get(question.pk)
        value = answer.value if answer else ""
        if question.answer_kind == AnswerKind.CHOICE:
            value = next((o.label for o in question.options.all() if o.code == value), value)
        elif question.is_yes_no:
            value = {"yes": "Yes", "no": "No", "unknown": "Not known"}.get(value, value)
        rows.append({"question": question, "value": value, "score": answer.score if answer else 0})
    return rows


@require_http_methods(["GET"])
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    assessment = (
        Assessment.objects.select_related("case", "case__case_type", "template", "completed_by", "person")
        .filter(partnership_id=user.partnership_id, pk=pk)  # type: ignore[misc]
        .first()
    )
    if assessment is None or not policy.can_view_case(user, assessment.case):
        raise Http404("No such assessment")
    log.record(user, AuditAction.VIEW, assessment, request=request, partnership=user.partnership)
    context = {
        "assessment": assessment,
        "case": assessment.case,
        "rows": _answer_rows(assessment),
        "bands": list(assessment.template.bands.all()),
    }
    return render(request, "assessments/detail.html", context)


def _with_changes(assessments: list[Assessment]) -> list[dict[str, Any]]:
    """Rows oldest first, each with its change in score since the first (initial) assessment
    of the same template on the case: the ASB start/middle/end comparison."""
    baseline: dict[str, Assessment] = {}
    for a in assessments:
        current = baseline.get(a.template.code)
        if current is None or (a.stage == Stage.INITIAL and current.stage != Stage.INITIAL):
            baseline[a.template.code] = a
    rows = []
    for a in assessments:
        base = baseline[a.template.code]
        rows.append({"assessment": a, "change": None if base.pk == a.pk else a.score - base.score})
    return rows


def _summaries(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per template: first (initial) and latest score, for templates assessed more than once."""
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        latest[row["assessment"].template.code] = row
    return [
        {
            "name": row["assessment"].template.name,
            "latest": row["assessment"],
            "change": row["change"],
            "size": abs(row["change"]),
            "initial": row["assessment"].score - row["change"],
        }
        for row in latest.values()
        if row["change"] is not None
    ]


@require_http_methods(["GET"])
def case_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference)
    assessments = list(Assessment.objects.for_case(case).with_list_columns().order_by("completed_at", "pk"))
    rows = _with_changes(assessments)
    can_contribute = case.access.value >= Access.CONTRIBUTE.value
    templates = (
        AssessmentTemplate.objects.current().filter(partnership_id=case.partnership_id).latest_by_code()
        if can_contribute
        else {}
    )
    context = {
        "case": case,
        "rows": list(reversed(rows)),
        "summaries": _summaries(rows),
        "templates": sorted(templates.values(), key=lambda t: t.name),
        "can_contribute": can_contribute,
    }
    return render(request, "assessments/case_list.html", context)
