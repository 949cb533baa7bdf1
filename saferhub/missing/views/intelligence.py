"""Contextual safeguarding: places of concern, groups, themes and the links between them and young people.

Caseworkers see what the policy lets them (`policy.visible_places`, `visible_groups`,
`visible_links`); the coordinators record it. The ward map and the networks are drawn on the
server; every network has its links in a table beside it.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.guards import require
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import StaleEdit, conflict
from saferhub.missing import actions
from saferhub.missing.access import get_group_for_user, get_link_for_user, get_place_for_user
from saferhub.missing.forms import (
    GroupChangeForm,
    GroupForm,
    LinkForm,
    OutreachSessionForm,
    PlaceChangeForm,
    PlaceForm,
)
from saferhub.missing.models import Group, MissingChild, PlaceOfConcern
from saferhub.missing.network import Node, link_rows, network_svg, ward_map
from saferhub.people.models import Person
from saferhub.reporting.periods import quarter_of

readers = require(
    policy.can_see_intelligence,
    "Only the missing children coordinators and caseworkers of the CEAM member agencies see this information.",
)
recorders = require(
    policy.can_manage_intelligence, "Only the missing children coordinators record contextual safeguarding."
)
QUARTERS = 4
# Detached outreach sessions listed on the overview (the latest first).
OUTREACH_LISTED = 20


def quarterly_counts(user: Any, today: datetime.date) -> list[dict[str, Any]]:
    """Places and groups identified, and distinct young people linked, in each of the last four quarters
    (what the user may see), for the intelligence briefing."""
    quarters = []
    quarter = quarter_of(today)
    for _ in range(QUARTERS):
        quarters.append(quarter)
        quarter = quarter_of(quarter.start - datetime.timedelta(days=1))
    places = policy.visible_places(user)
    groups = policy.visible_groups(user)
    links = policy.visible_links(user)
    rows = []
    for q in reversed(quarters):
        span = (q.start, q.end)
        rows.append(
            {
                "quarter": q.label,
                "places": places.filter(identified_on__range=span).count(),
                "groups": groups.filter(identified_on__range=span).count(),
                "children": links.filter(recorded_on__range=span, person__isnull=False)
                .order_by()
                .values("person")
                .distinct()
                .count(),
            }
        )
    return rows


@require_http_methods(["GET"])
@readers
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    places = (
        policy.visible_places(user)
        .select_related("ward")
        .annotate(n_links=Count("links", filter=Q(links__archived_at__isnull=True)))
    )
    svg, ward_rows = ward_map(user.partnership, policy.visible_places(user).filter(active=True))
    sessions = outreach_sessions(user)
    context = {
        "places": places.order_by("name", "pk"),
        "groups": policy.visible_groups(user).order_by("name", "pk"),
        "ward_map": svg,
        "ward_rows": ward_rows,
        "quarters": quarterly_counts(user, timezone.localdate()),
        "can_manage": policy.can_manage_intelligence(user),
        "can_see_outreach": policy.can_view_governance(user),
        "can_record_outreach": policy.can_record_outreach(user),
        "outreach_sessions": sessions[:OUTREACH_LISTED],
        "outreach_count": sessions.count(),
    }
    return render(request, "missing/intelligence.html", context)


def outreach_sessions(user: Any) -> Any:
    """The detached outreach sessions the user may see, latest first, each with the links it passed on that
    the user may see (`passed_on`)."""
    links = policy.visible_links(user).select_related("person", "place", "group")
    return (
        policy.visible_outreach_sessions(user)
        .select_related("ward", "place")
        .prefetch_related(Prefetch("outreach_links", queryset=links, to_attr="passed_on"))
        .order_by("-held_on", "-pk")
    )


@require_http_methods(["GET"])
def place(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_place_for_user(request, pk)
    direct = list(policy.visible_links(request.user).filter(place=item).select_related("person", "place", "group"))
    groups = [link.group_id for link in direct if link.group_id]
    second = list(
        policy.visible_links(request.user)
        .filter(group_id__in=groups)
        .exclude(place=item)
        .select_related("person", "place", "group")
    )
    links = direct + second
    context = {
        "place": item,
        "network": network_svg(Node("place", item.pk, item.name), links, "place-network") if links else None,
        "link_rows": link_rows(links),
        "can_manage": policy.can_manage_intelligence(request.user),
        "can_record_outreach": policy.can_record_outreach(request.user),
        "outreach_sessions": outreach_sessions(request.user).filter(place=item)[:OUTREACH_LISTED],
    }
    return render(request, "missing/place.html", context)


@require_http_methods(["GET"])
def group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_group_for_user(request, pk)
    links = list(policy.visible_links(request.user).filter(group=item).select_related("person", "place", "group"))
    context = {
        "group": item,
        "network": network_svg(Node("group", item.pk, item.name), links, "group-network") if links else None,
        "link_rows": link_rows(links),
        "can_manage": policy.can_manage_intelligence(request.user),
    }
    return render(request, "missing/group.html", context)


@require_http_methods(["GET", "POST"])
@recorders
def place_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST or None, partnership_id=request.user.partnership_id)
    if request.method == "POST" and form.is_valid():
        item = actions.create_place(request.user, request.user.partnership, request=request, **form.cleaned_data)
        messages.success(request, f"Place {item.name} recorded")
        return redirect("missing:place", pk=item.pk)
    return render(request, "missing/place_form.html", {"form": form, "creating": True})


def _values(item: Any, form_class: Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in form_class.base_fields if name != "version"}


@require_http_methods(["GET", "POST"])
@recorders
def place_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_place_for_user(request, pk)
    kwargs = {"partnership_id": item.partnership_id}
    initial = {**_values(item, PlaceChangeForm), "version": item.version}
    form = PlaceChangeForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_record(
                request.user,
                item,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                request=request,
            )
        except StaleEdit:
            item = get_place_for_user(request, pk)
            return conflict(
                request, "missing/place_form.html", {"place": item}, form_class=PlaceChangeForm, stale_form=form,
                instance=item, current=_values(item, PlaceChangeForm), form_kwargs=kwargs,
            )  # fmt: skip
        messages.success(request, f"Place {item.name} saved")
        return redirect("missing:place", pk=item.pk)
    return render(request, "missing/place_form.html", {"form": form, "place": item})


@require_http_methods(["GET", "POST"])
@recorders
def group_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = actions.create_group(request.user, request.user.partnership, request=request, **form.cleaned_data)
        messages.success(request, f"Group {item.name} recorded")
        return redirect("missing:group", pk=item.pk)
    return render(request, "missing/group_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@recorders
def group_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_group_for_user(request, pk)
    initial = {**_values(item, GroupChangeForm), "version": item.version}
    form = GroupChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_record(
                request.user,
                item,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                request=request,
            )
        except StaleEdit:
            item = get_group_for_user(request, pk)
            return conflict(
                request, "missing/group_form.html", {"group": item}, form_class=GroupChangeForm, stale_form=form,
                instance=item, current=_values(item, GroupChangeForm),
            )  # fmt: skip
        messages.success(request, f"Group {item.name} saved")
        return redirect("missing:group", pk=item.pk)
    return render(request, "missing/group_form.html", {"form": form, "group": item})


def _outreach_session(request: AuthenticatedHttpRequest) -> Any:
    """The detached outreach session named by `?session=` (404 if the user may not see it), or None."""
    pk = str(request.GET.get("session", ""))
    if not pk:
        return None
    session = policy.visible_outreach_sessions(request.user).filter(pk=pk).first() if pk.isdigit() else None
    if session is None:
        raise Http404("No such outreach session")
    return session


def _link_form(request: AuthenticatedHttpRequest, session: Any = None) -> LinkForm:
    user = request.user
    children = MissingChild.objects.filter(partnership=user.partnership).values("person_id")
    initial: dict[str, Any] = {"recorded_on": timezone.localdate()}
    if session is not None and session.place_id:
        initial["place"] = session.place_id
    for name in ("person", "place", "group"):
        if str(request.GET.get(name, "")).isdigit():
            initial[name] = int(request.GET[name])
    return LinkForm(
        request.POST or None,
        initial=initial,
        partnership_id=user.partnership_id,
        people=Person.objects.filter(pk__in=children).order_by("last_name", "first_name", "pk"),
        places=PlaceOfConcern.objects.filter(pk__in=policy.visible_places(user).values("pk"), active=True),
        groups=Group.objects.filter(pk__in=policy.visible_groups(user).values("pk"), active=True),
        outreach_session=session,
    )


@require_http_methods(["GET", "POST"])
@recorders
def link_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    session = _outreach_session(request)
    form = _link_form(request, session)
    if request.method == "POST" and form.is_valid():
        actions.add_link(request.user, request.user.partnership, request=request, **form.values())
        messages.success(request, "Link recorded")
        if session is not None and session.place_id:
            return redirect("missing:place", pk=session.place_id)
        return redirect("missing:intelligence")
    return render(request, "missing/link_form.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
@recorders
def link_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = get_link_for_user(request, pk)
    rows = link_rows([link])
    if request.method == "POST":
        try:
            actions.archive_link(request.user, link, request=request)
        except StaleEdit:
            pass  # removed by someone else meanwhile: the outcome the user wanted
        messages.success(request, "Link removed")
        return redirect("missing:intelligence")
    return render(request, "missing/link_remove.html", {"link": link, "row": rows[0]})


def _outreach_form(request: AuthenticatedHttpRequest) -> OutreachSessionForm:
    user = request.user
    children = MissingChild.objects.filter(partnership=user.partnership).values("person_id")
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    places = PlaceOfConcern.objects.filter(pk__in=policy.visible_places(user).values("pk"), active=True)
    place = request.GET.get("place", "")
    if place.isdigit():
        chosen = places.filter(pk=int(place)).first()
        if chosen is not None:
            initial.update(place=chosen.pk, ward=chosen.ward_id)
    return OutreachSessionForm(
        request.POST or None,
        initial=initial,
        partnership_id=user.partnership_id,
        people=Person.objects.filter(pk__in=children).order_by("last_name", "first_name", "pk"),
        places=places.order_by("name", "pk"),
    )


@require_http_methods(["GET", "POST"])
def outreach_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_record_outreach(request.user):
        raise Http404("No such page")
    form = _outreach_form(request)
    if request.method == "POST" and form.is_valid():
        session = actions.record_outreach_session(request.user, request=request, **form.values())
        messages.success(request, f"Outreach session of {session.held_on:%-d %B %Y} recorded")
        if session.place_id:
            return redirect("missing:place", pk=session.place_id)
        return redirect("missing:intelligence")
    return render(request, "missing/outreach_form.html", {"form": form})
