"""The register of RJ Champions, Restorative Practice Leads and volunteers, and their training
(attendance at activities of the governance activities register)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.guards import require
from saferhub.rj import actions
from saferhub.rj import forms as rj_forms
from saferhub.rj.models import Member, TrainingRecord
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
    members = list(Member.objects.filter(partnership_id=user.partnership_id).order_by("-active", "kind", "name"))
    sessions: dict[int, int] = {}
    for member_id in TrainingRecord.objects.filter(member__in=members).values_list("member_id", flat=True):
        sessions[member_id] = sessions.get(member_id, 0) + 1
    for member in members:
        member.sessions = sessions.get(member.pk, 0)  # type: ignore[attr-defined]
    return render(request, "rj/register.html", {"members": members})


@require_http_methods(["GET"])
@require(policy.can_see_rj_register, REFUSAL)
def member(request: HttpRequest, pk: int) -> HttpResponse:
    item = _member(request, pk)
    log.record(request.user, AuditAction.VIEW, item, request=request)
    training = list(
        TrainingRecord.objects.filter(member=item).select_related("activity").order_by("-activity__held_on")
    )
    return render(request, "rj/member.html", {"member": item, "training": training})


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
