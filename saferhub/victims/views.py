"""Victim Care Hub pages: the hub's queue and cases, the referral form, one page per recorded thing.

Hub referrals are fetched through `saferhub.victims.access.get_hub_for_user`, which
asks `saferhub.policy` (404 for outsiders). Every change goes through
`saferhub.victims.actions`.
"""

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.assessments.models import Assessment
from saferhub.cases.actions import StaleEdit
from saferhub.cases.models import Case, CaseStatus, ReferralDecision
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.directory.models import Category
from saferhub.people import actions as people_actions
from saferhub.policy import Access, visible_hub_referrals
from saferhub.reporting.periods import financial_year_start
from saferhub.victims import actions
from saferhub.victims import forms as hub_forms
from saferhub.victims.access import get_hub_for_user, require_hub_team
from saferhub.victims.actions import HubError
from saferhub.victims.hub import hub_team, in_hub_team
from saferhub.victims.models import CarePlanItem, HubReferral, HubSetting, OnwardReferral, QuarterlyTarget, RightRecord

PAGE_SIZE = 25
NEEDS_RISK_TEMPLATE = "victim_needs_risk"


def hub_url(hub: HubReferral) -> str:
    return reverse("victims:referral", args=[hub.pk])


def _today() -> datetime.date:
    return timezone.localdate()


# Hub lists ------------------------------------------------------------------------


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
        queue = _queue(user)
        context["awaiting"] = queue.count()
        context["overdue"] = queue.filter(first_contact_due_on__lt=_today()).count()
        context["open_cases"] = _open_cases(user).count()
    return render(request, "victims/index.html", context)


def _queue(user: Any) -> Any:
    return visible_hub_referrals(user).awaiting_first_contact()


def _open_cases(user: Any) -> Any:
    return (
        visible_hub_referrals(user)
        .filter(referral__decision=ReferralDecision.ACCEPTED)
        .exclude(referral__case__status=CaseStatus.CLOSED)
    )


def _with_waiting(hubs: Any, today: datetime.date) -> Any:
    now = timezone.now()
    for hub in hubs:
        waited = now - hub.referral.received_at
        hub.days_waiting, hub.hours_waiting = waited.days, waited.seconds // 3600
        hub.overdue = hub.first_contact_overdue(today)
        hub.due_today = hub.first_contact_on is None and hub.first_contact_due_on == today
    return hubs


@require_http_methods(["GET"])
def triage(request: HttpRequest) -> HttpResponse:
    """Referrals still to be contacted, oldest first, with the first-contact deadline."""
    require_hub_team(request)
    queue = _queue(request.user).with_columns().order_by("first_contact_due_on", "referral__received_at", "pk")
    page_obj = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_waiting(page_obj.object_list, _today())
    return render(request, "victims/triage.html", {"page_obj": page_obj, "today": _today()})


@require_http_methods(["GET"])
def open_cases(request: HttpRequest) -> HttpResponse:
    require_hub_team(request)
    hubs = _open_cases(request.user).with_columns().select_related("referral__case__assigned_to")
    page_obj = Paginator(hubs.order_by("-received_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
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


# One page per recorded thing --------------------------------------------------------


def _form_page(
    request: HttpRequest,
    hub: HubReferral,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    submit: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    """Show `form`; on a valid POST call `save(cleaned_data)` and go back to the referral."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except HubError as exc:
            form.add_error(None, str(exc))
        except StaleEdit as exc:
            form.add_error(None, f"{exc} Nothing was saved: check the case and try again.")
        else:
            messages.success(request, done)
            return redirect(hub_url(hub))
    context = {"hub": hub, "form": form, "title": title, "submit": submit, "intro": intro}
    return render(request, "victims/form_page.html", context)


def _editable(request: HttpRequest, pk: int) -> HubReferral:
    return get_hub_for_user(request, pk, need=Access.EDIT)


class NotNow(Exception):
    """A change that this referral's state does not allow yet (or any more): explained on the referral page."""

    def __init__(self, hub: HubReferral, message: str) -> None:
        super().__init__(message)
        self.hub = hub


def _explained(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    # A 403 page would tell a hub worker they may not see the record; say what to do instead.
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotNow as exc:
            messages.error(request, str(exc))
            return redirect(hub_url(exc.hub))

    return wrapped


def _accepted(request: HttpRequest, pk: int) -> HubReferral:
    hub = _editable(request, pk)
    if hub.referral.case_id is None:
        raise NotNow(hub, "Accept the referral first: that opens the hub case this is recorded on.")
    return hub


def _recording(hub: HubReferral) -> HubReferral:
    """The referral, if its case is not closed: a closed case's record is complete."""
    if hub.referral.case is not None and hub.referral.case.status == CaseStatus.CLOSED:
        raise NotNow(hub, "The case is closed. To record more, reopen it from the case page.")
    return hub


def _case(hub: HubReferral) -> Case:
    """The case of a hub referral that `_accepted` has already checked."""
    case = hub.referral.case
    if case is None:
        raise PermissionDenied("Accept the referral first.")
    return case


@require_http_methods(["GET", "POST"])
def edit_details(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _editable(request, pk)
    initial = {name: getattr(hub, name) for name in hub_forms.HubFieldsForm.HUB_FIELDS}
    form = hub_forms.HubDetailsForm(request.POST or None, initial=initial, partnership_id=hub.partnership_id)
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.update_hub_details(request.user, hub, form.hub_fields(), request=request),
        title="Change the referral’s details",
        submit="Save details",
        done="Details saved.",
    )


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _editable(request, pk)
    if hub.referral.decision != ReferralDecision.PENDING:
        messages.error(request, f"This referral was already {hub.referral.get_decision_display().lower()}.")
        return redirect(hub_url(hub))
    form = hub_forms.AcceptForm(request.POST or None, team_id=hub.referral.to_team_id)
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.accept_hub_referral(request.user, hub, assigned_to=data["assigned_to"], request=request),
        title="Accept the referral",
        submit="Accept and open a case",
        done="Referral accepted: a Victim Care Hub case is open.",
        intro="Accepting opens a Victim Care Hub case owned by the hub team.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def contact_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _recording(_editable(request, pk))
    form = hub_forms.ContactAttemptForm(request.POST or None, initial={"made_on": _today()})
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.record_contact_attempt(request.user, hub, request=request, **data),
        title="Record a contact attempt",
        submit="Save attempt",
        done="Contact attempt recorded.",
        intro="Record every attempt, including those where you could not speak to the person.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def start_scores(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _recording(_editable(request, pk))
    initial = {"satisfaction": hub.satisfaction_start, "safety": hub.safety_start}
    form = hub_forms.StartScoresForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.record_start_scores(request.user, hub, request=request, **data),
        title="Scores at the start of support",
        submit="Save scores",
        done="Scores saved.",
        intro="Ask how satisfied the person is with the support they have had, and how safe they feel.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def care_plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _recording(_accepted(request, pk))
    form = hub_forms.CarePlanItemForm(request.POST or None, team_id=_case(hub).owning_team_id)
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.add_care_plan_item(request.user, hub, request=request, **data),
        title="Add to the Victim Hub Care Plan",
        submit="Add item",
        done="Care plan item added.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def care_plan_update(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    hub = _recording(_accepted(request, pk))
    item = get_object_or_404(CarePlanItem, pk=item_pk, hub_referral=hub)
    form = hub_forms.CarePlanOutcomeForm(request.POST or None, initial={"status": item.status, "outcome": item.outcome})
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.update_care_plan_item(request.user, item, request=request, **data),
        title=f"Outcome: {item.description}",
        submit="Save outcome",
        done="Care plan item updated.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def support_add(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _recording(_editable(request, pk))
    form = hub_forms.SupportForm(
        request.POST or None, partnership_id=hub.partnership_id, initial={"delivered_on": _today()}
    )
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.record_support(request.user, hub, request=request, **data),
        title="Record support given",
        submit="Save support",
        done="Support recorded.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def safety_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _recording(_accepted(request, pk))
    form = hub_forms.SafetyItemForm(request.POST or None, initial={"issued_on": _today(), "quantity": 1})
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.issue_safety_item(request.user, hub, request=request, **data),
        title="Record a safety item issued",
        submit="Save item",
        done="Safety item recorded.",
    )


def _onward_page(request: HttpRequest, pk: int, category: str, title: str) -> HttpResponse:
    hub = _recording(_accepted(request, pk))
    form = hub_forms.OnwardReferralForm(
        request.POST or None, partnership_id=hub.partnership_id, category=category, initial={"referred_on": _today()}
    )
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.make_onward_referral(request.user, hub, request=request, **data),
        title=title,
        submit="Save referral",
        done="Onward referral recorded.",
        intro="Services come from the partnership’s directory of support services.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def onward_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _onward_page(request, pk, "", "Refer to a support service")


@require_http_methods(["GET", "POST"])
@_explained
def rj_referral(request: HttpRequest, pk: int) -> HttpResponse:
    return _onward_page(request, pk, Category.RESTORATIVE_JUSTICE, "Refer to a restorative justice provider")


@require_http_methods(["GET", "POST"])
@_explained
def onward_outcome(request: HttpRequest, pk: int, onward_pk: int) -> HttpResponse:
    hub = _recording(_accepted(request, pk))
    onward = get_object_or_404(OnwardReferral.objects.select_related("service"), pk=onward_pk, hub_referral=hub)
    initial = {"outcome": onward.outcome, "outcome_on": onward.outcome_on or _today()}
    form = hub_forms.OnwardOutcomeForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.record_onward_outcome(request.user, onward, request=request, **data),
        title=f"Outcome of the referral to {onward.service.name}",
        submit="Save outcome",
        done="Outcome recorded.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def right_record(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _recording(_editable(request, pk))
    initial: dict[str, Any] = {}
    if request.GET.get("right"):
        record = RightRecord.objects.filter(hub_referral=hub, right__code=request.GET["right"]).first()
        right = (
            ReferenceCode.objects.of(hub.partnership_id, ReferenceList.VCOP_RIGHT)
            .filter(code=request.GET["right"])
            .first()
        )
        initial = {"right": right, "informed_on": record.informed_on if record else _today()}
        if record:
            initial |= {"met_on": record.met_on, "notes": record.notes}
    form = hub_forms.RightForm(request.POST or None, partnership_id=hub.partnership_id, initial=initial)
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.record_right(request.user, hub, request=request, **data),
        title="Record a Victims' Code right",
        submit="Save right",
        done="Victims' Code right recorded.",
        intro="Record when the person was informed of the right, when it was met, or both.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def rj_informed(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _recording(_editable(request, pk))
    form = hub_forms.RjInformedForm(request.POST or None, initial={"informed_on": hub.rj_informed_on or _today()})
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.record_rj_information(request.user, hub, request=request, **data),
        title="Right to restorative justice (Right 3)",
        submit="Save date",
        done="Restorative justice information recorded.",
    )


@require_http_methods(["GET", "POST"])
@_explained
def close(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _accepted(request, pk)
    case = _case(hub)
    if case.status == CaseStatus.CLOSED:
        messages.error(request, "The case is already closed.")
        return redirect(hub_url(hub))
    form = hub_forms.CloseForm(
        request.POST or None,
        partnership_id=hub.partnership_id,
        initial={"closed_on": _today(), "version": case.version},
    )
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.close_hub_case(
            request.user,
            hub,
            closure_reason=data["closure_reason"],
            closed_on=data["closed_on"],
            satisfaction_end=data["satisfaction_end"],
            safety_end=data["safety_end"],
            expected_version=data["version"],
            request=request,
        ),
        title="Close the case",
        submit="Close the case",
        done="Case closed.",
        intro="Ask the person for their satisfaction and feeling-of-safety scores before closing, if you can.",
    )


# Analyst and administrator pages ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_set_targets(user):
        raise PermissionDenied("Only analysts and partnership administrators set the hub's targets.")
    chosen = hub_forms.TargetYearForm(request.GET)
    year = chosen.cleaned_data["year"] if chosen.is_valid() else financial_year_start(_today())
    form = hub_forms.TargetsForm(request.POST or None, initial=_target_initial(user.partnership_id, year))
    if request.method == "POST" and form.is_valid():
        saved = form.cleaned_data["year"]
        actions.set_targets(user, user.partnership, saved, form.targets(), request=request)
        messages.success(request, f"Targets for {saved}/{(saved + 1) % 100:02d} saved.")
        return redirect(f"{reverse('victims:targets')}?year={saved}")
    rows = QuarterlyTarget.objects.filter(partnership_id=user.partnership_id).order_by("-year", "quarter")
    context = {
        "form": form,
        "year_form": hub_forms.TargetYearForm(initial={"year": year}),
        "year_label": f"{year}/{(year + 1) % 100:02d}",
        "targets": rows,
    }
    return render(request, "victims/targets.html", context)


def _target_initial(partnership_id: int, year: int) -> dict[str, Any]:
    """The chosen financial year, with the targets already set for it."""
    set_targets = QuarterlyTarget.objects.filter(partnership_id=partnership_id, year=year)
    return {"year": year} | {f"q{t.quarter}": t.referrals for t in set_targets}


@require_http_methods(["GET"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_administer(user):
        raise PermissionDenied("Only partnership administrators change the hub's settings.")
    context = {
        "team": hub_team(user.partnership_id),
        "team_form": hub_forms.HubTeamForm(partnership_id=user.partnership_id),
        "setting_form": hub_forms.FirstContactSettingForm(),
        "settings": HubSetting.objects.filter(partnership_id=user.partnership_id).select_related("set_by"),
    }
    return render(request, "victims/settings.html", context)


def _settings_post(request: HttpRequest, form: forms.Form, save: Callable[[], Any]) -> HttpResponse:
    user: Any = request.user
    if form.is_valid():
        save()
        messages.success(request, "Setting saved.")
        return redirect("victims:settings")
    context = {
        "team": hub_team(user.partnership_id),
        "team_form": form
        if isinstance(form, hub_forms.HubTeamForm)
        else hub_forms.HubTeamForm(partnership_id=user.partnership_id),
        "setting_form": form
        if isinstance(form, hub_forms.FirstContactSettingForm)
        else hub_forms.FirstContactSettingForm(),
        "settings": HubSetting.objects.filter(partnership_id=user.partnership_id).select_related("set_by"),
        "form": form,
    }
    return render(request, "victims/settings.html", context)


@require_http_methods(["POST"])
def set_team(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_administer(user):
        raise PermissionDenied("Only partnership administrators change the hub's settings.")
    form = hub_forms.HubTeamForm(request.POST, partnership_id=user.partnership_id)
    return _settings_post(
        request, form, lambda: actions.set_hub_team(user, user.partnership, form.cleaned_data["team"], request=request)
    )


@require_http_methods(["POST"])
def add_setting(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_administer(user):
        raise PermissionDenied("Only partnership administrators change the hub's settings.")
    form = hub_forms.FirstContactSettingForm(request.POST)
    return _settings_post(
        request, form, lambda: actions.add_setting(user, user.partnership, request=request, **form.cleaned_data)
    )
