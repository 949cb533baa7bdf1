"""The RJ service's pages: the coordinator's queue and list, a new referral (and the hub's Right 3
referral), an RJ case's page and one page per step recorded on it."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.assessments.models import Assessment
from saferhub.core.guards import require
from saferhub.core.keyset import KeysetPaginator
from saferhub.people.actions import create_person
from saferhub.policy import Access
from saferhub.rj import actions
from saferhub.rj import forms as rj_forms
from saferhub.rj.models import AgreementAction, Party, PartyRole, RjCase, Stage, Suitability
from saferhub.rj.setup import ENHANCED_TEMPLATE, PLAN_NAME, RISK_TEMPLATE
from saferhub.rj.views.common import PAGE_SIZE, case_url, form_page, refilled, today


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The RJ service: the queue awaiting screening, then every case the user may see, newest first."""
    user: Any = request.user
    if not (policy.can_work_rj_queue(user) or policy.can_view_rj_figures(user) or policy.works_cases(user)):
        raise PermissionDenied("The restorative justice pages are for caseworkers, analysts and board members.")
    context: dict[str, Any] = {
        "can_refer": policy.can_work_rj_queue(user),
        "can_street": policy.can_record_street_resolution(user),
        "can_register": policy.can_see_rj_register(user),
        "can_figures": policy.can_view_reports(user),
        "plan": _plan(user),
        "works_cases": policy.works_cases(user),
    }
    if policy.works_cases(user):
        base = RjCase.objects.with_columns()
        parts = policy.visible_rj_parts(user)
        queue = KeysetPaginator(
            base, parts, ("referred_on", "pk"), PAGE_SIZE, refine=lambda rows: rows.filter(stage=Stage.REFERRED)
        )
        context["queue"] = list(queue.page(QueryDict()).object_list)
        context["page_obj"] = KeysetPaginator(
            base, parts, ("-referred_on", "-pk"), PAGE_SIZE, refine=lambda rows: rows.exclude(stage=Stage.REFERRED)
        ).page(request.GET)
    return render(request, "rj/index.html", context)


def _plan(user: Any) -> Any:
    from saferhub.governance.models import ActionPlan

    if not (policy.can_view_rj_figures(user) or policy.can_administer(user)):
        return None
    return ActionPlan.objects.of(user.partnership_id).filter(name__iexact=PLAN_NAME).first()


def _person(request: HttpRequest, data: dict[str, Any], prefix: str) -> Any:
    user: Any = request.user
    if not data.get(f"{prefix}_first_name"):
        return None
    return create_person(
        user,
        partnership=user.partnership,
        first_name=data[f"{prefix}_first_name"],
        last_name=data[f"{prefix}_last_name"],
        request=request,
    )


@require_http_methods(["GET", "POST"])
@require(policy.can_work_rj_queue, "Only the restorative justice service records new referrals.")
def refer(request: HttpRequest) -> HttpResponse:
    """A referral from any route (police, youth justice, probation, a school, the person themselves)."""
    user: Any = request.user
    form = rj_forms.ReferralForm(request.POST or None, initial={"referred_on": today()})

    def save(data: dict[str, Any]) -> RjCase:
        with transaction.atomic():
            return actions.refer(
                user,
                user.partnership,
                source=data["source"],
                referred_on=data["referred_on"],
                referrer=data["referrer"],
                harm_kind=data["harm_kind"],
                specialist_harm=data["specialist_harm"],
                harm_on=data["harm_on"],
                harm_summary=data["harm_summary"],
                harmed=_person(request, data, "harmed"),
                responsible=_person(request, data, "responsible"),
                request=request,
            )

    return form_page(
        request,
        form,
        save,
        title="Record a restorative justice referral",
        submit="Record the referral",
        done="The referral is in the restorative justice queue.",
        back_url=reverse("rj:index"),
        caption="Restorative justice",
        success_url=case_url,
    )


@require_http_methods(["GET", "POST"])
def refer_from_hub(request: HttpRequest, pk: int) -> HttpResponse:
    """The hub's Right 3 referral: a victim the hub supports, referred to the RJ service's queue."""
    from saferhub.victims.access import get_hub_for_user

    hub = get_hub_for_user(request, pk, Access.EDIT)
    if hub.access != Access.EDIT or not hub.is_victim:
        raise Http404("No such referral")
    form = rj_forms.HubReferralForm(request.POST or None)
    back = reverse("victims:referral", args=[hub.pk])
    return form_page(
        request,
        form,
        lambda data: actions.refer_from_hub(request.user, hub, request=request, **data),
        title="Refer to the restorative justice service",
        submit="Refer",
        done="Referred to the restorative justice service. The victim's Right 3 is recorded.",
        back_url=back,
        caption=hub.referral.person.display_name if hub.referral.person else "Victim Care Hub",
        intro=(
            "The restorative justice coordinator screens the referral and contacts the victim. Referring records "
            "that the victim was told of their right to restorative justice (Right 3) today, if not already."
        ),
        success_url=lambda rj: back,
    )


@require_http_methods(["GET"])
def case(request: HttpRequest, pk: int) -> HttpResponse:
    rj = policy.get_rj_case_for_user(request, pk)
    parties = list(Party.objects.filter(rj_case=rj).select_related("person"))
    meetings = list(rj.preparation_meetings.select_related("party"))
    assessments = list(
        Assessment.objects.filter(case_id=rj.case_id, template__code__in=[RISK_TEMPLATE, ENHANCED_TEMPLATE])
        .select_related("template")
        .order_by("-completed_at")
    )
    edit = rj.access == Access.EDIT
    context = {
        "rj": rj,
        "parties": parties,
        "meetings": meetings,
        "actions": list(rj.agreement_actions.all()),
        "assessments": assessments,
        "can_edit": edit,
        "can_approve": policy.can_approve_rj_contact(request.user, rj) and rj.contact_approved_on is None,
        "blocker": actions.contact_blocker(rj),
        "template_code": ENHANCED_TEMPLATE if rj.needs_enhanced_assessment else RISK_TEMPLATE,
        "Stage": Stage,
        "Suitability": Suitability,
    }
    return render(request, "rj/case.html", context)


def _edit(request: HttpRequest, pk: int) -> RjCase:
    return policy.get_rj_case_for_user(request, pk, Access.EDIT)


CASE_NAMES = {
    "screen": ["suitability", "screened_on"],
    "intervention": ["intervention_kind", "intervention_on", "outcome", "outcome_notes"],
    "provider": ["provider", "provider_referred_on"],
    "provider_outcome": ["provider_outcome", "provider_outcome_on"],
}


@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    form = rj_forms.ScreenForm(request.POST or None, initial={"version": rj.version, "screened_on": today()})
    return form_page(
        request,
        form,
        lambda d: actions.screen(
            request.user,
            rj,
            expected_version=d["version"],
            suitability=d["suitability"],
            screened_on=d["screened_on"],
            notes=d["notes"],
            request=request,
        ),
        title="Screen for suitability",
        submit="Record the screening",
        done="Screening recorded.",
        back_url=case_url(rj),
        caption=rj.case.reference,
        intro=(
            "Record the risk assessment on the case first"
            + (" (the enhanced one: domestic abuse or sexual harm)." if rj.needs_enhanced_assessment else ".")
        ),
        on_conflict=refilled(rj_forms.ScreenForm, rj, CASE_NAMES["screen"]),
    )


@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    if not policy.can_approve_rj_contact(request.user, rj):
        raise PermissionDenied("Only a team manager of the restorative justice service approves contact.")
    form = rj_forms.ApproveForm(request.POST or None, initial={"version": rj.version, "approved_on": today()})
    return form_page(
        request,
        form,
        lambda d: actions.approve_contact(
            request.user, rj, expected_version=d["version"], approved_on=d["approved_on"], request=request
        ),
        title="Approve contact with the parties",
        submit="Approve contact",
        done="Contact approved.",
        back_url=case_url(rj),
        caption=rj.case.reference,
        intro="You have read the enhanced risk assessment and are satisfied the person harmed stays safe and in control.",
        on_conflict=refilled(rj_forms.ApproveForm, rj, []),
    )


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    party = Party.objects.filter(rj_case=rj, pk=party_pk).first()
    if party is None:
        raise Http404("No such party")
    form = rj_forms.ConsentForm(request.POST or None, initial={"version": party.version, "consent_on": today()})
    return form_page(
        request,
        form,
        lambda d: actions.record_consent(
            request.user,
            rj,
            party,
            expected_version=d["version"],
            consent=d["consent"],
            consent_on=d["consent_on"],
            request=request,
        ),
        title=f"Consent of the {party.get_role_display().lower()}",
        submit="Record consent",
        done="Consent recorded.",
        back_url=case_url(rj),
        caption=rj.case.reference,
        on_conflict=refilled(rj_forms.ConsentForm, party, ["consent", "consent_on"]),
    )


@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    form = rj_forms.MeetingForm(request.POST or None, rj_case=rj, initial={"held_on": today()})
    return form_page(
        request,
        form,
        lambda d: actions.add_preparation_meeting(request.user, rj, request=request, **d),
        title="Record a preparation meeting",
        submit="Record the meeting",
        done="Preparation meeting recorded.",
        back_url=case_url(rj),
        caption=rj.case.reference,
    )


@require_http_methods(["GET", "POST"])
def intervention(request: HttpRequest, pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    form = rj_forms.InterventionForm(request.POST or None, initial={"version": rj.version, "intervention_on": today()})
    return form_page(
        request,
        form,
        lambda d: actions.record_intervention(
            request.user,
            rj,
            expected_version=d["version"],
            request=request,
            **{k: v for k, v in d.items() if k != "version"},
        ),
        title="Record the intervention and its outcome",
        submit="Record the intervention",
        done="Intervention recorded.",
        back_url=case_url(rj),
        caption=rj.case.reference,
        on_conflict=refilled(rj_forms.InterventionForm, rj, CASE_NAMES["intervention"]),
    )


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    form = rj_forms.AgreementActionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: actions.add_agreement_action(request.user, rj, request=request, **d),
        title="Add an action of the outcome agreement",
        submit="Add the action",
        done="Action added.",
        back_url=case_url(rj),
        caption=rj.case.reference,
    )


@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    item = AgreementAction.objects.filter(rj_case=rj, pk=action_pk).first()
    if item is None:
        raise Http404("No such action")
    initial = {"version": item.version, "status": item.status, "completed_on": item.completed_on or today()}
    form = rj_forms.AgreementActionStatusForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda d: actions.update_agreement_action(
            request.user,
            item,
            expected_version=d["version"],
            status=d["status"],
            completed_on=d["completed_on"],
            request=request,
        ),
        title="Update an action of the outcome agreement",
        submit="Save",
        done="Action updated.",
        back_url=case_url(rj),
        caption=item.text,
        on_conflict=refilled(rj_forms.AgreementActionStatusForm, item, ["status", "completed_on"]),
    )


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    form = rj_forms.FollowUpForm(request.POST or None, initial={"version": rj.version, "followed_up_on": today()})

    def save(d: dict[str, Any]) -> RjCase:
        answers: dict[str, tuple[str, str]] = {
            str(role): (d[f"{role}_satisfaction"], d[f"{role}_safety"])
            for role in (PartyRole.HARMED, PartyRole.RESPONSIBLE)
        }
        return actions.record_follow_up(
            request.user,
            rj,
            expected_version=d["version"],
            followed_up_on=d["followed_up_on"],
            answers=answers,
            request=request,
        )

    return form_page(
        request,
        form,
        save,
        title="Follow-up: satisfaction and safety",
        submit="Record the follow-up and close the case",
        done="Follow-up recorded; the case is closed.",
        back_url=case_url(rj),
        caption=rj.case.reference,
        on_conflict=refilled(rj_forms.FollowUpForm, rj, ["followed_up_on"]),
    )


@require_http_methods(["GET", "POST"])
def provider(request: HttpRequest, pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    form = rj_forms.ProviderForm(
        request.POST or None, partnership_id=rj.partnership_id, initial={"version": rj.version, "referred_on": today()}
    )
    return form_page(
        request,
        form,
        lambda d: actions.refer_to_provider(
            request.user,
            rj,
            expected_version=d["version"],
            provider=d["provider"],
            referred_on=d["referred_on"],
            request=request,
        ),
        title="Refer to a restorative justice provider",
        submit="Refer",
        done="Referred to the provider.",
        back_url=case_url(rj),
        caption=rj.case.reference,
        on_conflict=refilled(rj_forms.ProviderForm, rj, ["provider"], partnership_id=rj.partnership_id),
    )


@require_http_methods(["GET", "POST"])
def provider_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    rj = _edit(request, pk)
    form = rj_forms.ProviderOutcomeForm(
        request.POST or None,
        initial={"version": rj.version, "provider_outcome": rj.provider_outcome, "provider_outcome_on": today()},
    )
    return form_page(
        request,
        form,
        lambda d: actions.record_provider_outcome(
            request.user,
            rj,
            expected_version=d["version"],
            provider_outcome=d["provider_outcome"],
            provider_outcome_on=d["provider_outcome_on"],
            request=request,
        ),
        title="The provider's outcome",
        submit="Record the outcome",
        done="Provider's outcome recorded.",
        back_url=case_url(rj),
        caption=rj.case.reference,
        on_conflict=refilled(rj_forms.ProviderOutcomeForm, rj, CASE_NAMES["provider_outcome"]),
    )
