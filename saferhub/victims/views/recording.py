"""One page per thing the hub records on an accepted referral, from first contact to closure."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.cases import actions as case_actions
from saferhub.cases.models import CaseStatus, ReferralDecision
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.versioning import conflict_form, values_of
from saferhub.directory.models import Category
from saferhub.victims import actions
from saferhub.victims import forms as hub_forms
from saferhub.victims.models import CarePlanItem, OnwardReferral, RightRecord
from saferhub.victims.views.common import (
    _accepted,
    _case,
    _editable,
    _explained,
    _form_page,
    _recording,
    _today,
    hub_url,
)


def _reloaded_conflict(form_class: type[forms.Form], record: Any, fields: list[str]) -> Any:
    """The conflict form for a stale edit of `record`: the user's entries beside the record as it is now."""

    def on_conflict(stale: forms.Form) -> forms.BaseForm:
        record.refresh_from_db()
        return conflict_form(form_class, stale_form=stale, instance=record, current=values_of(record, fields))

    return on_conflict


@require_http_methods(["GET", "POST"])
def edit_details(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _editable(request, pk)
    names = (*hub_forms.HubFieldsForm.HUB_FIELDS, *hub_forms.HubFieldsForm.CONTACT_FIELDS)
    initial = {name: getattr(hub, name) for name in names}
    form = hub_forms.HubDetailsForm(
        request.POST or None, initial={**initial, "version": hub.version}, partnership_id=hub.partnership_id
    )

    def on_conflict(stale: forms.Form) -> forms.BaseForm:
        hub.refresh_from_db()
        current = values_of(hub, names)
        return conflict_form(
            hub_forms.HubDetailsForm,
            stale_form=stale,
            instance=hub,
            current=current,
            form_kwargs={"partnership_id": hub.partnership_id},
        )

    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.update_hub_details(
            request.user, hub, form.hub_fields(), request=request, expected_version=data["version"]
        ),
        title="Change the referral’s details",
        submit="Save details",
        done="Details saved.",
        on_conflict=on_conflict,
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
    initial = {"satisfaction": hub.satisfaction_start, "safety": hub.safety_start, "version": hub.version}
    form = hub_forms.StartScoresForm(request.POST or None, initial=initial)

    def on_conflict(stale: forms.Form) -> forms.BaseForm:
        hub.refresh_from_db()
        current = {"satisfaction": hub.satisfaction_start, "safety": hub.safety_start}
        return conflict_form(hub_forms.StartScoresForm, stale_form=stale, instance=hub, current=current)

    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.record_start_scores(
            request.user,
            hub,
            satisfaction=data["satisfaction"],
            safety=data["safety"],
            expected_version=data["version"],
            request=request,
        ),
        title="Scores at the start of support",
        submit="Save scores",
        done="Scores saved.",
        intro="Ask how satisfied the person is with the support they have had, and how safe they feel.",
        on_conflict=on_conflict,
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
    initial = {"status": item.status, "outcome": item.outcome, "version": item.version}
    form = hub_forms.CarePlanOutcomeForm(request.POST or None, initial=initial)

    on_conflict = _reloaded_conflict(hub_forms.CarePlanOutcomeForm, item, ["status", "outcome"])
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.update_care_plan_item(
            request.user,
            item,
            status=data["status"],
            outcome=data["outcome"],
            expected_version=data["version"],
            request=request,
        ),
        title=f"Outcome: {item.description}",
        submit="Save outcome",
        done="Care plan item updated.",
        on_conflict=on_conflict,
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
    initial = {"outcome": onward.outcome, "outcome_on": onward.outcome_on or _today(), "version": onward.version}
    form = hub_forms.OnwardOutcomeForm(request.POST or None, initial=initial)

    on_conflict = _reloaded_conflict(hub_forms.OnwardOutcomeForm, onward, ["outcome", "outcome_on"])
    return _form_page(
        request,
        hub,
        form,
        lambda data: actions.record_onward_outcome(
            request.user,
            onward,
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
            expected_version=data["version"],
            request=request,
        ),
        title=f"Outcome of the referral to {onward.service.name}",
        submit="Save outcome",
        done="Outcome recorded.",
        on_conflict=on_conflict,
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
def rights_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Several Victims' Code rights informed or met on the same day, in one go."""
    hub = _recording(_editable(request, pk))
    records = RightRecord.objects.filter(hub_referral=hub)
    seen = ";".join(f"{r.right_id}@{actions.right_stamp(r)}" for r in records)
    form = hub_forms.SeveralRightsForm(
        request.POST or None, partnership_id=hub.partnership_id, initial={"informed_on": _today(), "seen": seen}
    )

    def save(data: dict[str, Any]) -> int:
        return actions.record_rights(
            request.user,
            hub,
            rights=list(data["rights"]),
            informed_on=data["informed_on"],
            met_on=data["met_on"],
            notes=data["notes"],
            seen=form.seen_stamps(),
            request=request,
        )

    return _form_page(
        request,
        hub,
        form,
        save,
        title="Record several Victims' Code rights",
        submit="Save rights",
        done="Victims' Code rights recorded.",
        intro="Choose the rights the person was informed of, or that were met, on the same day.",
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


ASKED = "Closure sent to your team manager for approval. The case stays open until they approve it."
ASK_INTRO = (
    "Closing a Victim Care Hub case needs a team manager's approval. Ask the person for their "
    "satisfaction and feeling-of-safety scores first, if you can: they are recorded now."
)
CLOSE_INTRO = "Ask the person for their satisfaction and feeling-of-safety scores before closing, if you can."


@require_http_methods(["GET", "POST"])
@_explained
def close(request: HttpRequest, pk: int) -> HttpResponse:
    hub = _accepted(request, pk)
    case = _case(hub)
    if case.status == CaseStatus.CLOSED:
        messages.error(request, "The case is already closed.")
        return redirect(hub_url(hub))
    still_open = actions.open_at_closing(hub)
    # Where a team manager approves closures (the case type's setting), the caseworker asks instead.
    asking = policy.must_ask_to_close(request.user, case)
    if asking and case_actions.pending_closure(case) is not None:
        messages.info(request, "A closure of this case is already awaiting approval.")
        return redirect(hub_url(hub))
    form = hub_forms.CloseForm(
        request.POST or None,
        partnership_id=hub.partnership_id,
        still_open=still_open,
        asking=asking,
        initial={"closed_on": _today(), "version": case.version},
    )

    def on_conflict(stale: forms.Form) -> forms.BaseForm:
        case.refresh_from_db()
        hub.refresh_from_db()
        current = {
            "closure_reason": case.closure_reason,
            "closed_on": case.closed_on or _today(),
            "satisfaction_end": hub.satisfaction_end,
            "safety_end": hub.safety_end,
        }
        return conflict_form(
            hub_forms.CloseForm,
            stale_form=stale,
            instance=case,
            current=current,
            form_kwargs={"partnership_id": hub.partnership_id, "still_open": still_open, "asking": asking},
        )

    def save(data: dict[str, Any]) -> Any:
        common = {
            "closure_reason": data["closure_reason"],
            "satisfaction_end": data["satisfaction_end"],
            "safety_end": data["safety_end"],
            "expected_version": data["version"],
            "request": request,
            "details": data["closure_details"],
            "still_open": still_open,
            "close_anyway_reason": data.get("close_anyway_reason", ""),
        }
        if asking:
            return actions.ask_to_close_hub_case(request.user, hub, **common)
        return actions.close_hub_case(request.user, hub, closed_on=data["closed_on"], **common)

    title = "Ask to close the case" if asking else "Close the case"
    return _form_page(
        request,
        hub,
        form,
        save,
        title=title,
        submit=title,
        done=ASKED if asking else "Case closed.",
        intro=ASK_INTRO if asking else CLOSE_INTRO,
        on_conflict=on_conflict,
        still_open=still_open,
    )
