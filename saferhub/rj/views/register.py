"""The register of RJ Champions, Restorative Practice Leads and volunteers, and their training
(attendance at activities of the governance activities register)."""

from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.guards import require
from saferhub.retention.actions import ErasureRefused, erase_register_member
from saferhub.retention.models import DEFAULT_YEARS
from saferhub.rj import actions
from saferhub.rj import forms as rj_forms
from saferhub.rj.actions import RjError
from saferhub.rj.models import CouncilMembership, Member, TrainingRecord
from saferhub.rj.views.common import form_page, refilled

REFUSAL = "The register is the restorative justice service's."
MEMBER_FIELDS = [
    "kind",
    "name",
    "organisation",
    "school",
    "training_level",
    "dbs_checked_on",
    "availability",
    "lived_experience",
    "active",
    "rj_council",
    "rj_council_confirmed_on",
]


def _member(request: HttpRequest, pk: int) -> Member:
    user: Any = request.user
    member = Member.objects.filter(partnership_id=user.partnership_id, pk=pk).first()
    if member is None:
        raise Http404("No such member")
    return member


@require_http_methods(["GET"])
@require(policy.can_see_rj_register, REFUSAL)
def register(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    everyone = Member.objects.filter(partnership_id=user.partnership_id)
    filters = rj_forms.RegisterFilterForm(request.GET or None)
    council = filters.cleaned_data.get("council", "") if filters.is_valid() else ""
    chosen = everyone.filter(rj_council=council) if council else everyone
    members = list(chosen.annotate(sessions=Count("training")).order_by("-active", "kind", "name", "pk"))
    # Members on the register (active) by their Restorative Justice Council membership, every type named.
    totals = everyone.filter(active=True).aggregate(
        **{code: Count("pk", filter=Q(rj_council=code)) for code in CouncilMembership.values}
    )
    counts = [(label, totals[code], code) for code, label in CouncilMembership.choices]
    return render(
        request,
        "rj/register.html",
        {
            "members": members,
            "filters": filters,
            "council": council,
            "council_label": CouncilMembership(council).label if council else "",
            "counts": counts,
        },
    )


@require_http_methods(["GET"])
@require(policy.can_see_rj_register, REFUSAL)
def member(request: HttpRequest, pk: int) -> HttpResponse:
    item = _member(request, pk)
    log.record(request.user, AuditAction.VIEW, item, request=request)
    training = list(
        TrainingRecord.objects.filter(member=item).select_related("activity").order_by("-activity__held_on")
    )
    context = {"member": item, "training": training, "can_erase": policy.can_erase_rj_member(request.user)}
    return render(request, "rj/member.html", context)


@require_http_methods(["GET", "POST"])
@require(policy.can_see_rj_register, REFUSAL)
def member_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = rj_forms.NewMemberForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: actions.add_member(user, user.partnership, request=request, **d),
        title="Add to the register",
        submit="Add",
        done="Added to the register.",
        back_url=reverse("rj:register"),
        caption="RJ Champions, Restorative Practice Leads and volunteers",
        success_url=lambda m: reverse("rj:member", args=[m.pk]),
    )


@require_http_methods(["GET", "POST"])
@require(policy.can_see_rj_register, REFUSAL)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _member(request, pk)
    initial = {name: getattr(item, name) for name in MEMBER_FIELDS} | {"version": item.version}
    form = rj_forms.MemberForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda d: actions.update_member(
            request.user,
            item,
            expected_version=d["version"],
            changes={k: v for k, v in d.items() if k != "version"},
            request=request,
        ),
        title="Change register details",
        submit="Save",
        done="Register details saved.",
        back_url=reverse("rj:member", args=[item.pk]),
        caption=item.name,
        on_conflict=refilled(rj_forms.MemberForm, item, MEMBER_FIELDS),
    )


@require_http_methods(["GET", "POST"])
@require(policy.can_see_rj_register, REFUSAL)
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _member(request, pk)
    form = rj_forms.TrainingForm(request.POST or None, partnership_id=item.partnership_id)
    return form_page(
        request,
        form,
        lambda d: actions.add_training(request.user, item, d["activity"], request=request),
        title="Record training attended",
        submit="Record",
        done="Training recorded.",
        back_url=reverse("rj:member", args=[item.pk]),
        caption=item.name,
        intro=(
            "Choose a session of the restorative justice programme from the activities register. "
            "Add the session there first if it is not listed."
        ),
    )


@require_http_methods(["GET", "POST"])
@require(policy.can_erase_rj_member, "Only partnership administrators erase a member's details.")
def member_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's erasure: on their request (the data protection route), or from the retention queue
    (`?from=retention`: only once they are past the register's retention period). Either way the
    details are cleared now, with the audit row naming the basis."""
    item = _member(request, pk)
    form = rj_forms.MemberErasureForm(request.POST or None)
    # From the retention queue the basis is the retention period, which the action checks again.
    from_queue = request.GET.get("from") == "retention" and policy.can_review_retention(request.user)

    def erase(data: dict[str, Any]) -> Member:
        try:
            erase_register_member(request.user, item, reason=data["reason"], on_request=not from_queue, request=request)
        except ErasureRefused as refused:
            raise RjError(str(refused), "reason") from None
        return item

    kept = (
        "It keeps the role, training level, Restorative Justice Council membership, "
        "training attended and dates, which the rj return counts. It cannot be undone. "
    )
    if from_queue:
        left = f"left the register on {item.left_on:%-d %B %Y}" if item.left_on else "is still on the register"
        intro = (
            f"This member {left}. Past the retention period (the end of that year plus "
            f"{DEFAULT_YEARS} years), erasing removes the name, organisation, school, availability and DBS check "
            f"date. {kept}Give the reason, for example the retention review."
        )
        back_url = reverse("retention:queue")
    else:
        intro = (
            "Erasing removes the name, organisation, school, availability and DBS check date, and takes the "
            f"member off the register. {kept}Give the reason, for example the member's erasure request."
        )
        back_url = reverse("rj:member", args=[item.pk])
    return form_page(
        request,
        form,
        erase,
        title="Erase this member's details",
        submit="Erase details",
        done="The member's details have been erased.",
        back_url=back_url,
        caption=item.name,
        intro=intro,
    )
