"""ASB casework pages: the module's index, ASB cases, reports, tools and powers, PSPOs and settings.

Case files are fetched through `saferhub.policy` (via `access.get_asb_case_for_user`);
every change goes through `saferhub.asb.actions`.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.asb import access, actions, deadlines
from saferhub.asb.forms import (
    AsbCaseForm,
    AsbDetailsForm,
    DeskForm,
    EscalateForm,
    ExplainedForm,
    FpnFilterForm,
    InterventionForm,
    InterventionStatusForm,
    PaymentForm,
    PspoBreachForm,
    PspoForm,
    PspoRenewalForm,
    ReportForm,
    SettingForm,
    VictimContactForm,
)
from saferhub.asb.limits import DEFAULTS, Limits
from saferhub.asb.models import (
    ESCALATION_ORDER,
    AsbCase,
    AsbDesk,
    AsbSetting,
    Incident,
    Intervention,
    InterventionStatus,
    Pspo,
    PspoBreach,
    Report,
    SettingKey,
)
from saferhub.asb.rules import RuleBroken
from saferhub.cases.actions import StaleEdit
from saferhub.cases.models import Case
from saferhub.core.keyset import KeysetPaginator
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.policy import Access

PER_PAGE = 25
STALE_MESSAGE = (
    "Someone else changed this case's ASB details after you opened the page. Your changes have not been saved. "
    "The form now shows the details as they are: check them and make your changes again."
)


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back_url: str,
    submit: str,
    caption: str = "",
    intro: str = "",
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "page_title": title,
        "back_url": back_url,
        "submit": submit,
        "caption": caption,
        "intro": intro,
        **extra,
    }
    return render(request, "asb/form.html", context)


def _rule_errors(form: Any, exc: ValidationError) -> None:
    """Put a rule's message beside the field it concerns (or at the top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# Index --------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (policy.works_cases(user) or policy.can_administer(user)):
        raise Http404("No such page")
    today = timezone.localdate()
    base = Case.objects.select_related("asb__category", "asb__ward", "assigned_to")
    page = KeysetPaginator(
        base, policy.visible_asb_case_parts(user), ("-opened_on", "-pk"), PER_PAGE, refine=lambda qs: qs.open()
    ).page(request.GET)
    reviews = list(policy.visible_case_reviews(user).open().select_related("case")[:50])
    limits_cache: dict[Any, Limits] = {}
    for review in reviews:
        limits = limits_cache.setdefault(review.applied_on, Limits(review.partnership_id, review.applied_on))
        review.next = deadlines.next_step(review, limits)
        review.overdue = review.next is not None and review.next.overdue(today)
    reminders = (
        Intervention.objects.filter(case__in=access.visible_asb_cases(user))
        .filter(
            Q(review_on__lte=today + datetime.timedelta(days=14))
            | Q(expires_on__range=(today, today + datetime.timedelta(days=14)))
        )
        .filter(status=InterventionStatus.ACTIVE)
        .select_related("kind", "person", "case")
        .order_by("review_on", "expires_on")[:50]
    )
    context = {
        "page_obj": page,
        "reviews": reviews,
        "reminders": reminders,
        "today": today,
        "can_create": policy.can_create_case(user),
        "can_admin": policy.can_administer(user),
    }
    return render(request, "asb/index.html", context)


# Cases ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.can_create_case(user), "Only caseworkers in a team can open cases.")
    form = AsbCaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        asb = actions.create_asb_case(user, owning_team=user.team, request=request, **data)
        messages.success(request, f"ASB case {asb.case.reference} opened")
        return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title="Open an ASB case",
        back_url=reverse("asb:index"),
        submit="Open case",
        intro=f"The case will be owned by {user.team}.",
    )


def _register(case: Any) -> list[Intervention]:
    order = {code.value: index for index, code in enumerate(ESCALATION_ORDER)}
    items = list(
        Intervention.objects.filter(case=case).select_related("kind", "person", "offence", "pspo_condition", "extends")
    )
    return sorted(items, key=lambda i: (order.get(i.kind.code, 99), i.served_on, i.pk))


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    asb = access.get_asb_case_for_user(request, reference)
    case = asb.case
    incidents = list(
        Incident.objects.filter(case=case).prefetch_related("reports__reporter").order_by("-behaviour_on", "-pk")
    )
    from saferhub.assessments.models import Assessment

    victims = list(actions.victims(case))
    default_contact = actions.default_contact(asb)
    for victim in victims:
        victim.contact = actions.contact_for(victim, default_contact)
        victim.own_contact = getattr(victim, "asb_contact", None) is not None
    context = {
        "asb": asb,
        "case": case,
        "victims": victims,
        "can_edit": case.access == Access.EDIT,
        "can_contribute": case.access.value >= Access.CONTRIBUTE.value,
        "incidents": incidents,
        "report_count": sum(len(i.reports.all()) for i in incidents),
        "register": _register(case),
        "participants": case.participants.select_related("person"),
        "assessments": Assessment.objects.filter(case=case)
        .select_related("template", "person")
        .order_by("completed_at"),
        "reviews": case.asb_case_reviews.all(),
        "today": timezone.localdate(),
    }
    return render(request, "asb/case_detail.html", context)


def _details_values(asb: AsbCase) -> dict[str, Any]:
    return {
        "category": asb.category_id,
        "ward": asb.ward_id,
        "location": asb.location,
        "single_point_of_contact": asb.single_point_of_contact_id,
        "version": asb.version,
    }


@require_http_methods(["GET", "POST"])
def details_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Category, ward, location and contact officer; refuses a form opened before someone else's save."""
    asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
    access.require(policy.can_change_asb_details(request.user, asb.case), "Only the owning team changes these.")
    form = AsbDetailsForm(request.POST or None, initial=_details_values(asb), asb=asb)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_asb_details(
                request.user, asb, expected_version=form.cleaned_data["version"], request=request, **form.changes()
            )
        except StaleEdit:
            asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
            data = {k: v for k, v in _details_values(asb).items() if v is not None}
            form = AsbDetailsForm(data, asb=asb)
            form.is_valid()
            form.add_error(None, STALE_MESSAGE)
        else:
            messages.success(request, "ASB details saved")
            return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title="Change the ASB details",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Save details",
    )


@require_http_methods(["GET", "POST"])
def victim_contact(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Give one victim their own single point of contact, or return them to the case's."""
    asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
    access.require(policy.can_change_asb_details(request.user, asb.case), "Only the owning team changes these.")
    victim = actions.victims(asb.case).filter(pk=pk).first()
    if victim is None:
        raise Http404("No such victim on this case")
    own = getattr(victim, "asb_contact", None)
    default = actions.default_contact(asb)
    form = VictimContactForm(
        request.POST or None, case=asb.case, default=default, initial={"officer": own.officer_id if own else None}
    )
    if request.method == "POST" and form.is_valid():
        officer = form.cleaned_data["officer"]
        actions.set_victim_contact(request.user, victim, officer, request=request)
        name = victim.person.display_name
        messages.success(
            request,
            f"{name}'s single point of contact is now "
            + (officer.full_name or officer.email if officer else "the case's contact officer"),
        )
        return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title=f"Single point of contact for {victim.person.display_name}",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Save",
        intro="Each victim deals with one named officer throughout (statutory guidance, 2025). "
        "Without their own, a victim has the case's contact officer.",
    )


@require_http_methods(["GET", "POST"])
def report_add(request: HttpRequest, reference: str) -> HttpResponse:
    asb = access.get_asb_case_for_user(request, reference, Access.CONTRIBUTE)
    case = asb.case
    form = ReportForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        report = actions.record_report(request.user, case, request=request, **form.cleaned_data)
        message = "Report recorded"
        if report.case_review_explanation_due:
            message += ": this is a second report within 6 months, so explain the ASB Case Review to the reporter (an action has been added)"
        messages.success(request, message)
        return redirect("asb:case", reference=case.reference)
    return form_page(
        request,
        form,
        title="Record a report",
        caption=str(case),
        back_url=reverse("asb:case", args=[case.reference]),
        submit="Save report",
        intro="Record each report once for each body it was made to. Reports of the same incident to several bodies count once for the Case Review.",
    )


@require_http_methods(["GET", "POST"])
def report_explained(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    asb = access.get_asb_case_for_user(request, reference, Access.CONTRIBUTE)
    report = Report.objects.filter(case=asb.case, pk=pk).first()
    if report is None:
        raise Http404("No such report")
    form = ExplainedForm(request.POST or None, initial={"explained_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions.mark_case_review_explained(request.user, report, form.cleaned_data["explained_on"], request=request)
        messages.success(request, "Recorded that the ASB Case Review was explained")
        return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title="Record that the Case Review was explained",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Save",
    )


@require_http_methods(["GET", "POST"])
def intervention_add(request: HttpRequest, reference: str) -> HttpResponse:
    asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
    case = asb.case
    form = InterventionForm(request.POST or None, case=case)
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
        title="Record a tool or power",
        caption=str(case),
        back_url=reverse("asb:case", args=[case.reference]),
        submit="Save",
        intro="Fill in the fields that apply to the tool or power. Saferhub checks the statutory rules before it records it.",
    )


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
        intro += f" Paid by {item.discount_until:%d %B %Y} it is £{item.amount_due(item.discount_until) / 100:,.2f} ({item.discount_percent}% early payment discount)."  # type: ignore[operator]  # amount_pence is set
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
    page = KeysetPaginator(
        base,
        policy.visible_intervention_parts(user),
        ("-served_on", "-pk"),
        PER_PAGE,
        refine=(lambda qs: qs.filter(kind__code=kind)) if kind else None,
    ).page(request.GET)
    kinds = ReferenceCode.objects.of(user.partnership_id, ReferenceList.ASB_TOOL_OR_POWER).order_by("sort_order")
    return render(
        request, "asb/register.html", {"page_obj": page, "kinds": kinds, "kind": kind, "today": timezone.localdate()}
    )


@require_http_methods(["GET"])
def fpn_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every fixed penalty the user may see, with or without a case (policy.visible_fixed_penalties)."""
    user = request.user
    access.require(policy.works_cases(user), "Only caseworkers see the fixed penalty register.")
    form = FpnFilterForm(request.GET, partnership_id=user.partnership_id)
    base = Intervention.objects.select_related("offence", "person", "case", "pspo_condition__pspo", "issuing_team")
    page = KeysetPaginator(
        base, policy.visible_fixed_penalty_parts(user), ("-served_on", "-pk"), PER_PAGE, refine=form.filter
    ).page(request.GET)
    return render(request, "asb/fpn_register.html", {"form": form, "page_obj": page, "today": timezone.localdate()})


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


# Settings ----------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.works_cases(user) or policy.can_administer(user), "You cannot see ASB settings.")
    today = timezone.localdate()
    limits = Limits(user.partnership_id, today)
    rows = AsbSetting.objects.filter(partnership_id=user.partnership_id).order_by("key", "-effective_from")  # type: ignore[misc]  # signed in; None matches no row
    history: dict[str, list[AsbSetting]] = {}
    for row in rows:
        history.setdefault(row.key, []).append(row)
    settings_rows = [
        {
            "key": key,
            "label": SettingKey(key).label,
            "value": limits[key],
            "rows": history.get(key, []),
            "default": DEFAULTS[key][0],
        }
        for key in SettingKey.values
    ]
    desk = AsbDesk.objects.filter(partnership_id=user.partnership_id).select_related("team__agency").first()  # type: ignore[misc]  # signed in; None matches no row
    return render(
        request,
        "asb/settings.html",
        {"settings_rows": settings_rows, "desk": desk, "today": today, "can_admin": policy.can_administer(user)},
    )


@require_http_methods(["GET", "POST"])
def setting_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.can_administer(user), "Only administrators change ASB settings.")
    form = SettingForm(request.POST or None, initial={"key": request.GET.get("key", "")})
    if request.method == "POST" and form.is_valid():
        actions.set_setting(user, user.partnership, request=request, **form.cleaned_data)
        messages.success(request, "Setting saved")
        return redirect("asb:settings")
    return form_page(
        request,
        form,
        title="Add a setting value",
        back_url=reverse("asb:settings"),
        submit="Save",
        intro="A value applies from its date until a later value replaces it. Earlier records keep the value in force when they were made.",
    )


@require_http_methods(["GET", "POST"])
def desk_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.can_administer(user), "Only administrators choose the ASB team.")
    form = DeskForm(request.POST or None, partnership=user.partnership)
    if request.method == "POST" and form.is_valid():
        actions.set_desk(user, user.partnership, form.cleaned_data["team"], request=request)
        messages.success(request, "ASB team saved")
        return redirect("asb:settings")
    return form_page(request, form, title="Choose the ASB team", back_url=reverse("asb:settings"), submit="Save")
