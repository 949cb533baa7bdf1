"""Episodes, strategy meetings and return home interviews.

The coordinators record a child going missing, the return, strategy meetings and who
provides the interview; a provider's worker sees the interviews assigned to their team
and records them. Every fetch goes through `saferhub.missing.access`.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core import exports
from saferhub.core.guards import require
from saferhub.core.keyset import KeysetPaginator, union_queryset
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import StaleEdit, conflict
from saferhub.missing import actions, ceam, config
from saferhub.missing.access import (
    get_child_for_user,
    get_episode_for_user,
    get_interview_for_user,
    require_coordinator,
)
from saferhub.missing.forms import (
    AssignInterviewForm,
    EpisodeChangeForm,
    EpisodeForm,
    InterviewForm,
    NewChildEpisodeForm,
    ReturnForm,
    StrategyMeetingForm,
)
from saferhub.missing.models import Episode, SettingKey
from saferhub.people.models import Person
from saferhub.policy import Access

PER_PAGE = 25
EPISODE_COLUMNS = [
    exports.field("episode", "Episode number", "pk"),
    exports.field("child", "Child", "child__person__display_name"),
    exports.field("missing_from", "Missing from"),
    exports.field("returned_at", "Returned"),
    exports.field("risk", "Police risk grading"),
    exports.field("police_reference", "Police reference"),
    exports.field("strategy_due_at", "Strategy meeting due"),
    exports.field("rhi_due_at", "Return home interview due"),
    exports.field("rhi_offered_at", "Return home interview offered"),
]
# List pages refuse other roles (403); record pages answer 404 to anyone the policy does not let see the record.
caseworkers = require(policy.works_cases, "Only caseworkers can see missing children's records.")


@require_http_methods(["GET"])
@caseworkers
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Episodes the user may see, newest first; for the coordinators, what is overdue first."""
    user = request.user
    parts = policy.visible_episode_parts(user)
    now = timezone.now()
    overdue_strategy: list[Episode] = []
    overdue_rhi: list[Episode] = []
    coordinator = policy.works_missing(user)
    if coordinator:
        visible = union_queryset(Episode.objects.with_columns(), parts)
        overdue_strategy = list(visible.strategy_overdue(now).order_by("strategy_due_at", "pk")[:50])
        overdue_rhi = list(visible.rhi_overdue(now).order_by("rhi_due_at", "pk")[:50])
    if exports.wanted_format(request):
        ordering = ("-missing_from", "-pk")
        base = Episode.objects.with_columns()
        return exports.export_parts(
            request, base, parts, ordering, EPISODE_COLUMNS, name="missing-episodes", title="Episodes"
        )
    page = KeysetPaginator(Episode.objects.with_columns(), parts, ("-missing_from", "-pk"), PER_PAGE).page(request.GET)
    context = {
        "page_obj": page,
        "episodes": page.object_list,
        "overdue_strategy": overdue_strategy,
        "overdue_rhi": overdue_rhi,
        "coordinator": coordinator,
        "has_interviews": policy.assigned_interviews(user).exists(),
        "now": now,
        "export_links": exports.export_links(request),
    }
    return render(request, "missing/index.html", context)


@require_http_methods(["GET"])
@caseworkers
def interviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The return home interviews assigned to the user's team (a provider's worker sees only these)."""
    assigned = policy.assigned_interviews(request.user)
    page = KeysetPaginator(
        Episode.objects.select_related("child__person"), [assigned], ("-missing_from", "-pk"), PER_PAGE
    ).page(request.GET)
    return render(request, "missing/interviews.html", {"page_obj": page, "episodes": page.object_list})


@require_http_methods(["GET", "POST"])
@caseworkers
def episode_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A child not yet known to the team goes missing: opens their record and the episode."""
    require_coordinator(request)
    form = NewChildEpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.create(
            partnership_id=request.user.partnership_id,  # type: ignore[misc]  # a coordinator has a partnership
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            created_by=request.user,
        )
        child = actions.child_record(request.user, person, request=request)
        episode = actions.record_episode(request.user, child, request=request, **_episode_values(data))
        messages.success(request, f"Missing episode recorded for {person.display_name}")
        return redirect("missing:episode", pk=episode.pk)
    return render(request, "missing/episode_new.html", {"form": form})


def _episode_values(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in ("missing_from", "police_reference", "risk", "placed_out_of_area")}


@require_http_methods(["GET"])
def child(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = get_child_for_user(request, pk)
    episodes = list(record.episodes.with_columns().order_by("-missing_from", "-pk"))
    links = policy.visible_links(request.user).filter(person=record.person).select_related("place", "group", "person")
    from saferhub.missing.network import Node, link_rows, network_svg

    linked = list(links)
    ceam_rows = ceam.visible_ceam_cases(request.user, record)
    repeat_rule = None
    if record.repeat:
        # The flag is kept with the settings in force on the day of the latest episode: name those.
        on = config.local_date(episodes[0].missing_from) if episodes else timezone.localdate()
        repeat_rule = {
            "episodes": config.setting_value(record.partnership_id, SettingKey.REPEAT_EPISODES, on),
            "days": config.setting_value(record.partnership_id, SettingKey.REPEAT_WINDOW_DAYS, on),
        }
    context = {
        "record": record,
        "person": record.person,
        "episodes": episodes,
        "can_edit": record.case.access == Access.EDIT,
        "network": network_svg(Node("person", record.person_id, record.person.display_name), linked, "child-network")
        if linked
        else None,
        "link_rows": link_rows(linked),
        "can_manage_intelligence": policy.can_manage_intelligence(request.user),
        "ceam": ceam_rows,
        "ceam_unlinked": any(not is_linked for _case, is_linked in ceam_rows),
        "repeat_rule": repeat_rule,
    }
    return render(request, "missing/child.html", context)


@require_http_methods(["POST"])
def child_ceam_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Link the child's CEAM cases to their missing record (the CEAM plan reaches the central plan)."""
    record = get_child_for_user(request, pk, Access.EDIT)
    count = ceam.link_ceam_plans(request.user, record, request=request)
    messages.success(request, f"{count} CEAM case{'s' if count != 1 else ''} linked to {record.case.reference}")
    return redirect("missing:child", pk=record.pk)


@require_http_methods(["GET", "POST"])
def child_episode_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = get_child_for_user(request, pk, Access.EDIT)
    form = EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        episode = actions.record_episode(request.user, record, request=request, **_episode_values(form.cleaned_data))
        messages.success(request, "Missing episode recorded")
        return redirect("missing:episode", pk=episode.pk)
    return render(request, "missing/child_episode_new.html", {"form": form, "record": record})


@require_http_methods(["GET"])
def episode(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_episode_for_user(request, pk)
    context = {
        "episode": item,
        "child": item.child,
        "meetings": list(item.strategy_meetings.select_related("recorded_by")),
        "can_edit": item.access == Access.EDIT,
        "now": timezone.now(),
    }
    return render(request, "missing/episode.html", context)


def _details(item: Episode) -> dict[str, Any]:
    return {name: getattr(item, name) for name in EpisodeChangeForm.base_fields if name != "version"}


@require_http_methods(["GET", "POST"])
def episode_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_episode_for_user(request, pk, Access.EDIT)
    form = EpisodeChangeForm(request.POST or None, initial={**_details(item), "version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_episode(
                request.user,
                item,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                request=request,
            )
        except StaleEdit:
            item = get_episode_for_user(request, pk, Access.EDIT)
            return conflict(
                request, "missing/episode_edit.html", {"episode": item}, form_class=EpisodeChangeForm,
                stale_form=form, instance=item, current=_details(item),
            )  # fmt: skip
        except ValueError as error:
            form.add_error("missing_from", str(error))
        else:
            messages.success(request, "Episode saved")
            return redirect("missing:episode", pk=item.pk)
    return render(request, "missing/episode_edit.html", {"form": form, "episode": item})


@require_http_methods(["GET", "POST"])
def episode_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_episode_for_user(request, pk, Access.EDIT)
    current = {"returned_at": item.returned_at, "where_found": item.where_found}
    form = ReturnForm(
        request.POST or None, initial={**current, "version": item.version}, missing_from=item.missing_from
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_episode(
                request.user,
                item,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                request=request,
            )
        except StaleEdit:
            item = get_episode_for_user(request, pk, Access.EDIT)
            return conflict(
                request, "missing/episode_return.html", {"episode": item}, form_class=ReturnForm, stale_form=form,
                instance=item, current={"returned_at": item.returned_at, "where_found": item.where_found},
                form_kwargs={"missing_from": item.missing_from},
            )  # fmt: skip
        messages.success(request, "Return recorded: the return home interview is now due")
        return redirect("missing:episode", pk=item.pk)
    return render(request, "missing/episode_return.html", {"form": form, "episode": item})


@require_http_methods(["GET", "POST"])
def interview_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_episode_for_user(request, pk, Access.EDIT)
    kwargs = {"partnership_id": item.partnership_id}
    form = AssignInterviewForm(
        request.POST or None, initial={"team": item.rhi_team_id, "version": item.version}, **kwargs
    )
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        try:
            actions.assign_rhi(
                request.user, item, expected_version=form.cleaned_data["version"], provider=team.agency, team=team,
                request=request,
            )  # fmt: skip
        except StaleEdit:
            item = get_episode_for_user(request, pk, Access.EDIT)
            return conflict(
                request, "missing/interview_assign.html", {"episode": item}, form_class=AssignInterviewForm,
                stale_form=form, instance=item, current={"team": item.rhi_team_id}, form_kwargs=kwargs,
            )  # fmt: skip
        messages.success(request, f"Return home interview given to {team.agency.name}")
        return redirect("missing:episode", pk=item.pk)
    return render(request, "missing/interview_assign.html", {"form": form, "episode": item})


def _interview(item: Episode) -> dict[str, Any]:
    return {name: getattr(item, name) for name in InterviewForm.base_fields if name != "version"}


@require_http_methods(["GET", "POST"])
def interview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The interview record: the provider's worker sees the child's first name and age, the return and where
    they were found, nothing more."""
    item = get_interview_for_user(request, pk)
    form = InterviewForm(
        request.POST or None, initial={**_interview(item), "version": item.version}, returned_at=item.returned_at
    )
    person = item.child.person
    context = {
        "episode": item,
        "first_name": person.first_name or "The young person",
        "age": person.age_on(timezone.localdate()),
        "coordinator": policy.episode_access(request.user, item) == Access.EDIT,
    }
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_episode(
                request.user,
                item,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                request=request,
            )
        except StaleEdit:
            item = get_interview_for_user(request, pk)
            return conflict(
                request, "missing/interview.html", {**context, "episode": item}, form_class=InterviewForm,
                stale_form=form, instance=item, current=_interview(item), form_kwargs={"returned_at": item.returned_at},
            )  # fmt: skip
        messages.success(request, "Return home interview saved")
        if context["coordinator"]:
            return redirect("missing:episode", pk=item.pk)
        return redirect("missing:interviews")
    return render(request, "missing/interview.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_episode_for_user(request, pk, Access.EDIT)
    form = StrategyMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.record_strategy_meeting(request.user, item, request=request, **form.cleaned_data)
        messages.success(request, "Strategy meeting recorded")
        return redirect("missing:episode", pk=item.pk)
    return render(request, "missing/meeting_new.html", {"form": form, "episode": item})
