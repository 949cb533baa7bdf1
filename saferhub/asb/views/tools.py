"""ASB pages for tools and powers, the fixed penalty register and PSPOs."""

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.asb import access, actions
from saferhub.asb.export_columns import FPN_COLUMNS, INTERVENTION_COLUMNS
from saferhub.asb.forms import (
    EscalateForm,
    FpnFilterForm,
    InterventionForm,
    InterventionStatusForm,
    PaymentForm,
    PspoBreachForm,
    PspoForm,
    PspoRenewalForm,
    ToolChoiceForm,
)
from saferhub.asb.forms.tools import tool_kinds
from saferhub.asb.models import (
    AsbCase,
    Intervention,
    Pspo,
    PspoBreach,
)
from saferhub.asb.rules import RuleBroken
from saferhub.asb.views.common import PER_PAGE, _rule_errors, form_page
from saferhub.core import exports
from saferhub.core.keyset import KeysetPaginator
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.policy import Access


@require_http_methods(["GET", "POST"])
def intervention_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a tool or power in two pages: which one (``?kind=`` unset), then only its fields."""
    asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
    case = asb.case
    back_url = reverse("asb:case", args=[case.reference])
    chooser = ToolChoiceForm(request.GET if "kind" in request.GET else None, case=case)
    tool = None
    if request.method == "POST":
        tool = ReferenceCode.objects.filter(
            pk__in=[c.pk for c in tool_kinds(case)], pk=_int(request.POST.get("kind"))
        ).first()
    elif chooser.is_bound and chooser.is_valid():
        tool = ReferenceCode.objects.get(pk=chooser.cleaned_data["kind"])
    if tool is None and request.method == "GET":
        return render(
            request,
            "asb/tool_choose.html",
            {"form": chooser, "case": case, "back_url": back_url},
        )
    form = InterventionForm(request.POST or None, case=case, tool=tool)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.record_intervention(
                request.user, case, partnership=case.partnership, request=request, **form.intervention_fields()
            )
        except RuleBroken as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, f"{item.kind.label} recorded")
            return redirect("asb:case", reference=case.reference)
    return form_page(
        request,
        form,
        title=f"Record a {tool.label}" if tool else "Record a tool or power",
        caption=str(case),
        back_url=reverse("asb:intervention-add", args=[case.reference]),
        submit="Save",
        intro="Saferhub checks the statutory rules before it records it.",
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _change_intervention(request: HttpRequest, reference: str, pk: int) -> tuple[AsbCase, Intervention]:
    asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
    return asb, access.get_intervention(asb, pk)


@require_http_methods(["GET", "POST"])
def intervention_status(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    asb, item = _change_intervention(request, reference, pk)
    form = InterventionStatusForm(request.POST or None, item=item, initial={"status": item.status})
    if request.method == "POST" and form.is_valid():
        actions.set_intervention_status(request.user, item, form.cleaned_data["status"], request=request)
        messages.success(request, "Status changed")
        return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title=f"Change the status of the {item.kind.label.lower()}",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Save",
    )


@require_http_methods(["GET", "POST"])
def fpn_payment(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    asb, item = _change_intervention(request, reference, pk)
    if not item.is_fpn:
        raise Http404("Not a fixed penalty")
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_fpn_payment(request.user, item, form.cleaned_data["paid_on"], request=request)
        except ValueError as exc:
            form.add_error("paid_on", str(exc))
        else:
            # Imported penalties may carry no amount: then the payment is recorded without one.
            paid = f" of £{item.paid_pence / 100:,.2f}" if item.paid_pence is not None else ""
            messages.success(request, f"Payment{paid} recorded")
            return redirect("asb:case", reference=asb.case.reference)
    due = f"£{item.amount_pence / 100:,.2f}" if item.amount_pence else "not recorded"
    intro = f"The penalty is {due}."
    if item.discount_until and item.amount_pence:
        intro += f" Paid by {item.discount_until:%-d %B %Y} it is £{item.amount_due(item.discount_until) / 100:,.2f} ({item.discount_percent}% early payment discount)."  # type: ignore[operator]  # amount_pence is set
    return form_page(
        request,
        form,
        title="Record a payment",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Save payment",
        intro=intro,
    )


@require_http_methods(["GET", "POST"])
def fpn_escalate(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    asb, item = _change_intervention(request, reference, pk)
    if not item.is_fpn:
        raise Http404("Not a fixed penalty")
    form = EscalateForm(request.POST or None, initial={"escalated_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.escalate_fpn(request.user, item, form.cleaned_data["escalated_on"], request=request)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Fixed penalty escalated to prosecution")
            return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title="Escalate an unpaid fixed penalty to prosecution",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Escalate",
    )


@require_http_methods(["GET"])
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Tools and powers on every ASB case the user can see."""
    user = request.user
    access.require(policy.works_cases(user), "Only caseworkers see the register.")
    base = Intervention.objects.select_related("kind", "person", "offence", "case")
    kind = request.GET.get("kind", "")
    refine = (lambda qs: qs.filter(kind__code=kind)) if kind else None
    parts = policy.visible_intervention_parts(user)
    if exports.wanted_format(request):
        return exports.export_parts(
            request,
            base,
            parts,
            ("-served_on", "-pk"),
            INTERVENTION_COLUMNS,
            refine=refine,
            name="tools-and-powers",
            title="Tools and powers",
        )
    page = KeysetPaginator(base, parts, ("-served_on", "-pk"), PER_PAGE, refine=refine).page(request.GET)
    kinds = ReferenceCode.objects.of(user.partnership_id, ReferenceList.ASB_TOOL_OR_POWER).order_by("sort_order")
    return render(
        request,
        "asb/register.html",
        {
            "page_obj": page,
            "kinds": kinds,
            "kind": kind,
            "today": timezone.localdate(),
            "export_links": exports.export_links(request),
        },
    )


@require_http_methods(["GET"])
def fpn_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every fixed penalty the user may see, with or without a case (policy.visible_fixed_penalties)."""
    user = request.user
    access.require(policy.works_cases(user), "Only caseworkers see the fixed penalty register.")
    form = FpnFilterForm(request.GET, partnership_id=user.partnership_id)
    base = Intervention.objects.select_related("offence", "person", "case", "pspo_condition__pspo", "issuing_team")
    if exports.wanted_format(request):
        return exports.export_parts(
            request,
            base,
            policy.visible_fixed_penalty_parts(user),
            ("-served_on", "-pk"),
            FPN_COLUMNS,
            refine=form.filter,
            name="fixed-penalties",
            title="Fixed penalties",
        )
    page = KeysetPaginator(
        base, policy.visible_fixed_penalty_parts(user), ("-served_on", "-pk"), PER_PAGE, refine=form.filter
    ).page(request.GET)
    context = {
        "form": form,
        "page_obj": page,
        "today": timezone.localdate(),
        "export_links": exports.export_links(request),
    }
    return render(request, "asb/fpn_register.html", context)


# PSPOs -------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def pspo_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(policy.can_see_pspos(request.user), "You cannot see PSPOs.")
    pspos = Pspo.objects.filter(partnership_id=request.user.partnership_id).annotate(  # type: ignore[misc]  # signed in; None matches no row
        condition_count=Count("conditions", distinct=True), breach_count=Count("conditions__breaches", distinct=True)
    )
    return render(
        request,
        "asb/pspo_list.html",
        {"pspos": pspos, "today": timezone.localdate(), "can_manage": policy.can_manage_pspos(request.user)},
    )


@require_http_methods(["GET", "POST"])
def pspo_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.can_manage_pspos(user), "Only team managers and administrators record PSPOs.")
    examples = (
        ReferenceCode.objects.of(user.partnership_id, ReferenceList.PSPO_CONDITION).active().order_by("sort_order")
    )
    form = PspoForm(request.POST or None, initial={"conditions": "\n".join(code.label for code in examples)})
    if request.method == "POST" and form.is_valid():
        try:
            pspo = actions.create_pspo(user, partnership=user.partnership, request=request, **form.cleaned_data)
        except RuleBroken as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, f"{pspo.name} recorded")
            return redirect("asb:pspo", pk=pspo.pk)
    return form_page(request, form, title="Record a PSPO", back_url=reverse("asb:pspos"), submit="Save PSPO")


def _pspo(request: AuthenticatedHttpRequest, pk: int) -> Pspo:
    access.require(policy.can_see_pspos(request.user), "You cannot see PSPOs.")
    pspo = Pspo.objects.filter(partnership_id=request.user.partnership_id, pk=pk).first()  # type: ignore[misc]  # signed in; None matches no row
    if pspo is None:
        raise Http404("No such PSPO")
    return pspo


@require_http_methods(["GET"])
def pspo_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pspo = _pspo(request, pk)
    conditions = pspo.conditions.annotate(breach_count=Count("breaches"))
    breaches = PspoBreach.objects.filter(condition__pspo=pspo).select_related("condition", "fixed_penalty")[:100]
    context = {
        "pspo": pspo,
        "conditions": conditions,
        "breaches": breaches,
        "renewals": pspo.renewals.all(),
        "today": timezone.localdate(),
        "can_manage": policy.can_manage_pspos(request.user),
        "can_record": policy.works_cases(request.user),
    }
    return render(request, "asb/pspo_detail.html", context)


@require_http_methods(["GET", "POST"])
def pspo_renew(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pspo = _pspo(request, pk)
    access.require(policy.can_manage_pspos(request.user), "Only team managers and administrators extend PSPOs.")
    form = PspoRenewalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.renew_pspo(request.user, pspo, request=request, **form.cleaned_data)
        except RuleBroken as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, f"{pspo.name} extended")
            return redirect("asb:pspo", pk=pspo.pk)
    return form_page(
        request,
        form,
        title="Extend a PSPO",
        caption=pspo.name,
        back_url=reverse("asb:pspo", args=[pspo.pk]),
        submit="Save",
    )


@require_http_methods(["GET", "POST"])
def pspo_breach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pspo = _pspo(request, pk)
    access.require(policy.works_cases(request.user), "Only caseworkers record breaches.")
    form = PspoBreachForm(request.POST or None, pspo=pspo)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        amount = data.pop("fpn_amount")
        offence = ReferenceCode.objects.filter(
            partnership=pspo.partnership, code_list=ReferenceList.FPN_OFFENCE, code="CST09"
        ).first()
        try:
            actions.record_pspo_breach(
                request.user,
                data.pop("condition"),
                fpn_amount_pence=int(amount * 100) if amount else None,
                fpn_offence=offence,
                request=request,
                **data,
            )
        except RuleBroken as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, "Breach recorded")
            return redirect("asb:pspo", pk=pspo.pk)
    return form_page(
        request,
        form,
        title="Record a breach",
        caption=pspo.name,
        back_url=reverse("asb:pspo", args=[pspo.pk]),
        submit="Save breach",
    )
