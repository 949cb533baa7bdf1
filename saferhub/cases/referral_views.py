"""The referral inbox, new referrals, and deciding them (one URL per decision).

Referrals are fetched through `policy.get_referral_for_user` (404 for anyone
outside the sending and receiving teams); only the receiving team decides.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.cases import actions
from saferhub.cases.actions import InvalidTransition
from saferhub.cases.models import Case, Referral, ReferralDecision
from saferhub.cases.referral_forms import AcceptForm, DeclineForm, RedirectForm, ReferralForm
from saferhub.core import exports
from saferhub.core.keyset import KeysetPaginator, Refine, capped_count
from saferhub.people import actions as people_actions

PAGE_SIZE = 25
RECENT_DAYS = 30
# The tabs count up to here ("1,000 or more"): a count of every row costs what reading them does.
COUNT_CAP = 1000


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference])


def _require_casework(request: HttpRequest) -> None:
    if not policy.works_cases(request.user):
        raise PermissionDenied("Only casework roles work with referrals.")


# The inbox's download (saferhub.core.exports).
REFERRAL_COLUMNS = [
    exports.field("number", "Referral number", "pk"),
    exports.field("received_at", "Received"),
    exports.field("source", "Source"),
    exports.computed("from", "From", lambda r: r.source_display),
    exports.field("to_team", "To team", "to_team__name"),
    exports.field("case_type", "Case type"),
    exports.field("person", "Person", "person__display_name"),
    exports.field("decision", "Decision"),
    exports.field("decided_at", "Decided"),
    exports.field("case", "Case", "case__reference"),
]


def _inbox_columns(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related(
        "from_team", "from_team__agency", "from_agency", "to_team", "to_team__agency", "case_type", "person", "case"
    )


def with_days_waiting(referrals: Any, today: datetime.date | None = None) -> Any:
    """Whole days since each referral was received, for "n days ago"."""
    today = today or timezone.localdate()
    for referral in referrals:
        referral.days_ago = (today - timezone.localdate(referral.received_at)).days
    return referrals


def _inbox_page(
    request: HttpRequest, tab: str, refine: Refine | None, ordering: tuple[str, ...], parts: Any = None
) -> HttpResponse:
    """One tab: the policy's parts of the user's referrals, refined by the tab, a keyset page at a time."""
    user: Any = request.user
    parts = policy.visible_referral_parts(user) if parts is None else parts
    if exports.wanted_format(request):
        base = _inbox_columns(Referral.objects.all())
        return exports.export_parts(
            request, base, parts, ordering, REFERRAL_COLUMNS, refine=refine, name=f"referrals-{tab}", title="Referrals"
        )
    page_obj = KeysetPaginator(_inbox_columns(Referral.objects.all()), parts, ordering, PAGE_SIZE, refine=refine).page(
        request.GET
    )
    with_days_waiting(page_obj.object_list)
    count = capped_count(parts, COUNT_CAP, refine)
    context = {
        "tab": tab,
        "page_obj": page_obj,
        "count": count,
        "count_label": f"{COUNT_CAP:,} or more" if count >= COUNT_CAP else f"{count:,}",
        "team": user.team,
        "recent_days": RECENT_DAYS,
        "can_refer": user.team_id is not None,
        "export_links": exports.export_links(request),
    }
    return render(request, "cases/referrals/inbox.html", context)


@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The team's referrals in its inbox (generic and hub ones): the same items and count as the
    inbox page's two referral queues (`policy.inbox_referral_parts`)."""
    _require_casework(request)
    return _inbox_page(request, "pending", None, ("received_at", "pk"), policy.inbox_referral_parts(request.user))


@require_http_methods(["GET"])
def decided(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    team_id = request.user.team_id  # type: ignore[union-attr]
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)

    def recent(referrals: Any) -> Any:
        return referrals.for_team(team_id).exclude(decision=ReferralDecision.PENDING).filter(decided_at__gte=since)

    return _inbox_page(request, "decided", recent, ("-decided_at", "-pk"))


@require_http_methods(["GET"])
def sent(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    team_id = request.user.team_id  # type: ignore[union-attr]

    def mine(referrals: Any) -> Any:
        return referrals.filter(from_team_id=team_id)

    return _inbox_page(request, "sent", mine, ("-received_at", "-pk"))


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied("Only casework users in a team can make referrals.")
    user: Any = request.user
    initial = {"person": request.GET.get("person")} if request.method == "GET" and request.GET.get("person") else None
    form = ReferralForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        with transaction.atomic():
            if person is None and form.has_details():
                person = people_actions.create_person(
                    user, partnership=user.partnership, request=request, **form.person_details()
                )
            referral = actions.create_referral(user, person=person, request=request, **form.referral_fields())
        messages.success(request, f"Referral sent to {referral.to_team.name}.")
        return redirect("cases:referral-detail", pk=referral.pk)
    chosen = _chosen_person(form)
    return render(request, "cases/referrals/create.html", {"form": form, "chosen": chosen})


def _chosen_person(form: ReferralForm) -> Any:
    """The existing person picked for this referral (from a person page), if the user may see them."""
    value = form["person"].value()
    if not value:
        return None
    try:
        return form.people.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    user: Any = request.user
    # One URL per item: a hub referral's page is the hub's, which this number redirects to.
    hub_pk = policy.visible_hub_referrals(user).filter(referral_id=referral.pk).values_list("pk", flat=True).first()
    if hub_pk is not None:
        return redirect("victims:referral", pk=hub_pk)
    case_visible = referral.case_id is not None and policy.visible_cases(user).filter(pk=referral.case_id).exists()
    redirected_to_referral = None
    if referral.decision == ReferralDecision.REDIRECTED:
        redirected_to_referral = _onward(referral)
    context = {
        "referral": with_days_waiting([referral])[0],
        "can_decide": referral.decision == ReferralDecision.PENDING and policy.can_decide_referral(user, referral),
        "case_visible": case_visible,
        "onward": redirected_to_referral,
    }
    return render(request, "cases/referrals/detail.html", context)


def _onward(referral: Referral) -> Referral | None:
    # redirect_referral copies the referral to the new team; the copy shares its received time.
    # No person matches a copy without one: django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    return (
        Referral.objects.filter(
            partnership_id=referral.partnership_id,
            to_team_id=referral.redirected_to_id,
            received_at=referral.received_at,
            case_type_id=referral.case_type_id,
            person_id=referral.person_id,  # type: ignore[misc]
        )
        .exclude(pk=referral.pk)
        .select_related("to_team")
        .order_by("pk")
        .first()
    )


def _decidable(request: HttpRequest, pk: int) -> tuple[Referral, HttpResponse | None]:
    """The referral for a decision page, or a redirect back to it when it is already decided."""
    referral = policy.get_referral_for_user(request, pk, decide=True)
    if referral.decision != ReferralDecision.PENDING:
        return referral, _already_decided(
            request, referral, f"This referral was already {referral.get_decision_display().lower()}."
        )
    return referral, None


def _already_decided(request: HttpRequest, referral: Referral, message: str) -> HttpResponse:
    messages.error(request, f"{message} Nothing was changed.")
    return redirect("cases:referral-detail", pk=referral.pk)


def _decision_page(request: HttpRequest, template: str, referral: Referral, form: Any) -> HttpResponse:
    return render(request, template, {"referral": referral, "form": form})


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral, done = _decidable(request, pk)
    if done:
        return done
    form = AcceptForm(request.POST or None, user=request.user, referral=referral)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.accept_referral(
                request.user,
                referral,
                title=(data.get("title") or "").strip(),
                assigned_to=data.get("assigned_to") if data["case"] is None else None,
                existing_case=data["case"],
                request=request,
            )
        except InvalidTransition as exc:
            return _already_decided(request, referral, str(exc))
        messages.success(request, f"Referral accepted into {case.reference}.")
        return redirect(case_url(case))
    return _decision_page(request, "cases/referrals/accept.html", referral, form)


@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    referral, done = _decidable(request, pk)
    if done:
        return done
    form = DeclineForm(request.POST or None, partnership_id=referral.partnership_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decline_referral(request.user, referral, form.decision_reason(), request=request)
        except InvalidTransition as exc:
            return _already_decided(request, referral, str(exc))
        messages.success(request, "Referral declined.")
        return redirect("cases:referral-inbox")
    return _decision_page(request, "cases/referrals/decline.html", referral, form)


@require_http_methods(["GET", "POST"])
def redirect_to_team(request: HttpRequest, pk: int) -> HttpResponse:
    referral, done = _decidable(request, pk)
    if done:
        return done
    form = RedirectForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        to_team = form.cleaned_data["to_team"]
        try:
            actions.redirect_referral(
                request.user, referral, to_team, form.cleaned_data["reason"].strip(), request=request
            )
        except InvalidTransition as exc:
            return _already_decided(request, referral, str(exc))
        messages.success(request, f"Referral sent on to {to_team.name}.")
        return redirect("cases:referral-inbox")
    return _decision_page(request, "cases/referrals/redirect.html", referral, form)


urlpatterns = [
    path("referrals/", inbox, name="referral-inbox"),
    path("referrals/decided/", decided, name="referral-decided"),
    path("referrals/sent/", sent, name="referral-sent"),
    path("referrals/new/", create, name="referral-create"),
    path("referrals/<int:pk>/", detail, name="referral-detail"),
    path("referrals/<int:pk>/accept/", accept, name="referral-accept"),
    path("referrals/<int:pk>/decline/", decline, name="referral-decline"),
    path("referrals/<int:pk>/redirect/", redirect_to_team, name="referral-redirect"),
]
