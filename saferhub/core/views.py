"""The home page: what needs the signed-in user's attention, by role."""

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.cases.models import Action, Referral
from saferhub.cases.referral_views import with_days_waiting
from saferhub.core.keyset import union_queryset

LIST_LENGTH = 10
OLDEST_REFERRALS = 5


def _casework(user: Any) -> dict[str, Any]:
    cases = policy.visible_cases(user).open()
    my_cases = cases.filter(assigned_to=user).with_list_columns().order_by("-opened_on", "-pk")
    # Actions on cases the user can no longer see (share expired, case restricted) stay hidden,
    # except actions a panel gave them, which link to the panel summary instead of the case file.
    my_actions = (
        Action.objects.outstanding()
        .filter(owner=user)
        .filter(
            models.Q(case__in=policy.visible_cases(user))
            | models.Q(pk__in=policy.panel_actions_for_owner(user).values("pk"))
        )
        .select_related("case")
        .order_by("due_on", "pk")
    )
    # Each ground of the policy refined first: the union then holds only the team's pending referrals.
    pending = union_queryset(
        Referral.objects.all(), policy.visible_referral_parts(user), lambda qs: qs.pending().for_team(user.team_id)
    )
    return {
        "my_cases": list(my_cases[:LIST_LENGTH]),
        "my_cases_count": my_cases.count(),
        "team_open_count": cases.filter(owning_team_id=user.team_id).count() if user.team_id else 0,
        "my_actions": _with_case_links(user, list(my_actions[:LIST_LENGTH])),
        "my_actions_count": my_actions.count(),
        "referrals_count": pending.count(),
        "oldest_referrals": with_days_waiting(
            list(
                pending.select_related("from_team", "from_team__agency", "from_agency", "case_type", "person").order_by(
                    "received_at", "pk"
                )[:OLDEST_REFERRALS]
            )
        ),
    }


def _with_case_links(user: Any, actions: list[Action]) -> list[Action]:
    visible = set(policy.visible_cases(user).filter(pk__in=[a.case_id for a in actions]).values_list("pk", flat=True))
    for action in actions:
        reference = action.case.reference
        action.case_url = (  # type: ignore[attr-defined]
            reverse("cases:detail", args=[reference])
            if action.case_id in visible
            else reverse("panels:summary", kwargs={"reference": reference})
        )
    return actions


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context: dict[str, Any] = {
        "works_cases": policy.works_cases(user),
        "can_view_reports": policy.can_view_reports(user),
        "can_administer": policy.can_administer(user),
        "can_view_audit": policy.can_view_audit(user),
        "is_provider": policy.is_provider(user),
    }
    if context["works_cases"]:
        context.update(_casework(user))
    return render(request, "core/home.html", context)
