"""Fetching missing-children records through `saferhub.policy` (section `policy.missing`; never decided here).

Episodes and children are fetched through their case (`policy.get_case_for_user`), which
gives 404 to outsiders, 403 to those who need more, and audits each view. An interview
is fetched for the coordinators or the provider team it is assigned to; its views are
audited here.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.missing.models import Episode, Group, IntelLink, MissingChild, PlaceOfConcern
from saferhub.policy import Access


def get_child_for_user(request: HttpRequest, pk: int, need: Access = Access.VIEW) -> MissingChild:
    user: Any = request.user
    if not policy.works_cases(user):
        raise Http404("No such child")
    child = (
        MissingChild.objects.filter(partnership_id=user.partnership_id, pk=pk).select_related("person", "case").first()
    )
    if child is None:
        raise Http404("No such child")
    child.case = policy.get_case_for_user(request, child.case.reference, need)
    return child


def get_episode_for_user(request: HttpRequest, pk: int, need: Access = Access.VIEW) -> Episode:
    user: Any = request.user
    if not policy.works_cases(user):
        raise Http404("No such episode")
    episode = Episode.objects.with_columns().filter(partnership_id=user.partnership_id, pk=pk).first()
    if episode is None:
        raise Http404("No such episode")
    case = policy.get_case_for_user(request, episode.child.case.reference, need)
    episode.child.case = case
    episode.access = case.access
    return episode


def get_interview_for_user(request: HttpRequest, pk: int) -> Episode:
    """The episode's interview for someone who may record it (coordinators, the assigned provider team)."""
    user: Any = request.user
    episode = Episode.objects.with_columns().filter(partnership_id=user.partnership_id, pk=pk).first()
    if episode is None:
        raise Http404("No such interview")
    if not policy.can_record_interview(user, episode):
        if policy.episode_access(user, episode) is None:
            raise Http404("No such interview")
        raise PermissionDenied("Only the coordinators and the provider the interview is assigned to record it.")
    if request.method == "GET":
        log.record(user, AuditAction.VIEW, episode, request=request, detail={"interview": True})
    return episode


def require_coordinator(request: HttpRequest) -> None:
    if not policy.works_missing(request.user):
        raise PermissionDenied("Only the missing children coordinators can do this.")


def get_place_for_user(request: HttpRequest, pk: int) -> PlaceOfConcern:
    place = policy.visible_places(request.user).filter(pk=pk).select_related("ward").first()
    if place is None:
        raise Http404("No such place")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, place, request=request)
    return place


def get_group_for_user(request: HttpRequest, pk: int) -> Group:
    group = policy.visible_groups(request.user).filter(pk=pk).first()
    if group is None:
        raise Http404("No such group")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, group, request=request)
    return group


def get_link_for_user(request: HttpRequest, pk: int) -> IntelLink:
    link = policy.visible_links(request.user).filter(pk=pk).first()
    if link is None:
        raise Http404("No such link")
    return link
