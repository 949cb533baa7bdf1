"""The hub's lists (queue and open cases), the referral form and a referral's page."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.assessments.models import Assessment
from saferhub.cases.models import CaseStatus, ReferralDecision
from saferhub.core import exports
from saferhub.core.keyset import KeysetPaginator, capped_count
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.people import actions as people_actions
from saferhub.policy import Access
from saferhub.victims import actions
from saferhub.victims import forms as hub_forms
from saferhub.victims.access import get_hub_for_user, require_hub_team
from saferhub.victims.actions import HubError
from saferhub.victims.hub import hub_team, in_hub_team
from saferhub.victims.models import HubReferral, HubReferralQuerySet
from saferhub.victims.views.common import NEEDS_RISK_TEMPLATE, PAGE_SIZE, _today, hub_url

# Hub lists ------------------------------------------------------------------------

COUNT_CAP = 1000


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    works = policy.works_cases(user)
    if not (works or policy.can_view_reports(user) or policy.can_administer(user)):
        raise PermissionDenied("The Victim Care Hub is for casework, reporting and administration roles.")
    hub_member = works and in_hub_team(user)
    context: dict[str, Any] = {
        "hub_member": hub_member,
        "can_refer": policy.can_create_case(user),
        "can_report": policy.can_view_reports(user),
        "can_set_targets": policy.can_set_targets(user),
        "can_configure": policy.can_administer(user),
        "team": hub_team(user.partnership_id),
    }
    if hub_member:
        # The hub's queue is its kind of the team's inbox: counted by the inbox's own functions.
        context["awaiting"] = policy.inbox_count(user, policy.InboxKind.HUB)
        context["overdue"] = policy.inbox_overdue_counts(user, [policy.InboxKind.HUB]).get(policy.InboxKind.HUB, 0)
        context["open_cases"] = capped_count(
            policy.visible_hub_referral_parts(user, with_cases_only=True), COUNT_CAP, _open
        )
        for key in ("awaiting", "overdue", "open_cases"):
            context[f"{key}_label"] = _count_label(context[key])
    return render(request, "victims/index.html", context)


def _count_label(count: int) -> str:
    return f"{COUNT_CAP:,} or more" if count >= COUNT_CAP else f"{count:,}"


# The hub's lists page over the policy's parts of visibility, each refined by the list's filter.


def _awaiting(hubs: HubReferralQuerySet) -> HubReferralQuerySet:
    return hubs.awaiting_first_contact()


def _open(hubs: HubReferralQuerySet) -> HubReferralQuerySet:
    return hubs.filter(referral__decision=ReferralDecision.ACCEPTED).exclude(referral__case__status=CaseStatus.CLOSED)


def _with_waiting(hubs: Any, today: datetime.date) -> Any:
    now = timezone.now()
    for hub in hubs:
        waited = now - hub.referral.received_at
        hub.days_waiting, hub.hours_waiting = waited.days, waited.seconds // 3600
        hub.overdue = hub.first_contact_overdue(today)
        hub.due_today = hub.first_contact_on is None and hub.first_contact_due_on == today
    return hubs


TRIAGE_COLUMNS = [
    # The referral's one number, as the inbox and its pages show it (REF-00192).
    exports.computed("referral", "Referral", lambda hub: hub.referral.reference),
    exports.field("received_on", "Received"),
    exports.field("person", "Person", "referral__person__display_name"),
    exports.field("crime_type", "Crime type"),
    exports.field("referral_kind", "Kind"),
    exports.field("decision", "Decision", "referral__decision"),
    exports.field("first_contact_due_on", "First contact due"),
    exports.field("first_contact_on", "First contact made"),
    exports.field("case", "Case", "referral__case__reference"),
]


@require_http_methods(["GET"])
def triage(request: HttpRequest) -> HttpResponse:
    """The hub's kind of the team's inbox: referrals awaiting a decision or their first contact,
    oldest first (so soonest deadline first), with the first-contact deadline."""
    require_hub_team(request)
    parts = policy.inbox_parts(request.user, policy.InboxKind.HUB)
    if exports.wanted_format(request):
        ordering = ("referral__received_at", "pk")
        base = HubReferral.objects.with_columns()
        return exports.export_parts(request, base, parts, ordering, TRIAGE_COLUMNS, name="hub-triage", title="Triage")
    page_obj = KeysetPaginator(
        HubReferral.objects.with_columns(), parts, ("referral__received_at", "pk"), PAGE_SIZE
    ).page(request.GET)
    _with_waiting(page_obj.object_list, _today())
    awaiting = policy.inbox_count(request.user, policy.InboxKind.HUB)
    context = {"page_obj": page_obj, "awaiting": awaiting, "awaiting_label": _count_label(awaiting), "today": _today()}
    context["export_links"] = exports.export_links(request)
    return render(request, "victims/triage.html", context)


@require_http_methods(["GET"])
def open_cases(request: HttpRequest) -> HttpResponse:
    require_hub_team(request)
    page_obj = KeysetPaginator(
        HubReferral.objects.with_columns().select_related("referral__case__assigned_to"),
        policy.visible_hub_referral_parts(request.user, with_cases_only=True),
        ("-received_on", "-pk"),
        PAGE_SIZE,
        refine=_open,
    ).page(request.GET)
    return render(request, "victims/open_cases.html", {"page_obj": page_obj})


# Referral in ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_create_case(user):
        raise PermissionDenied("Only casework users in a team can refer to the hub.")
    team = hub_team(user.partnership_id)
    form = hub_forms.HubReferralForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = None
                if form.has_details():
                    person = people_actions.create_person(
                        user, partnership=user.partnership, request=request, **form.person_details()
                    )
                hub = actions.create_hub_referral(
                    user,
                    partnership=user.partnership,
                    referral_fields=form.referral_fields(),
                    hub_fields=form.hub_fields(),
                    person=person,
                    request=request,
                )
        except HubError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Referral sent to the Victim Care Hub.")
            return redirect(hub_url(hub))
    return render(request, "victims/referral_form.html", {"form": form, "team": team})


@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    hub = get_hub_for_user(request, pk)
    case = hub.referral.case
    today = _today()
    rights = {record.right_id: record for record in hub.rights.select_related("recorded_by")}
    all_rights = ReferenceCode.objects.of(hub.partnership_id, ReferenceList.VCOP_RIGHT).order_by("sort_order")
    context = {
        "hub": hub,
        "referral": hub.referral,
        "case": case,
        "can_edit": hub.access is Access.EDIT,
        "pending": hub.referral.decision == ReferralDecision.PENDING,
        "closed": case is not None and case.status == CaseStatus.CLOSED,
        "overdue": hub.first_contact_overdue(today),
        "attempts": hub.contact_attempts.select_related("made_by"),
        "care_plan": hub.care_plan_items.select_related("owner"),
        "support": hub.support.select_related("support_type", "recorded_by"),
        "safety_items": hub.safety_items.select_related("issued_by"),
        "onward": hub.onward_referrals.select_related("service"),
        "rights": [(right, rights.get(right.pk)) for right in all_rights],
        "assessments": Assessment.objects.for_case(case).with_list_columns() if case is not None else [],
        "assessment_template": NEEDS_RISK_TEMPLATE,
        "closure_reason": _closure_label(case),
    }
    return render(request, "victims/detail.html", context)


def _closure_label(case: Any) -> str:
    if case is None or not case.closure_reason:
        return ""
    label = (
        ReferenceCode.objects.of(case.partnership_id, ReferenceList.CASE_CLOSURE_REASON)
        .filter(code=case.closure_reason)
        .values_list("label", flat=True)
        .first()
    )
    return label or case.closure_reason
