"""Missing children and exploitation intelligence.

- Episodes, strategy meetings and interviews follow the child's `missing` case: the
  coordinators (the team holding the `missing` duty, which owns the case) see and change
  them; an agency or team the case is shared with sees them; outsiders get 404.
- A return home interview provider's worker (a member of the team the interview is
  assigned to) sees only the interviews assigned to their team, with the minimum of the
  child's details (first name, age, return, where found), and records the interview.
  The child's case, other episodes and the intelligence stay hidden from them.
- Places, groups and links carry a visibility: `team` (the coordinators only) or `ceam`
  (also the caseworkers of the agencies that are members of the partnership's CEAM panel
  type, `ceam` in the set-up file). A link is shown to such a caseworker only when it and
  the place and group it joins are all `ceam`. Other agencies, and commissioned providers
  that are not CEAM members, see none of it.
- Detached outreach sessions (governance activities of the `detached_outreach` programme) are recorded
  and read, with their place and the concerns passed on, by the coordinators only; analysts count them
  in the activities register.
- Analysts see the return's aggregates (reports), never records.
"""

from typing import TYPE_CHECKING, Any

from django.db import models

from saferhub.accounts.models import Role
from saferhub.core.access import Access
from saferhub.core.keyset import union_queryset
from saferhub.policy.cases import case_access, visible_case_grounds
from saferhub.policy.roles import can_administer, works_cases

if TYPE_CHECKING:
    from saferhub.missing.models import Episode, EpisodeQuerySet, IntelLink


def works_missing(user: Any) -> bool:
    """A missing-children coordinator: a caseworker in the team holding the `missing` duty."""
    from saferhub.missing.config import in_missing_team

    return works_cases(user) and in_missing_team(user)


def visible_episode_parts(user: Any) -> "list[EpisodeQuerySet]":
    """Episodes on children's records the user may see: one part per ground of case visibility."""
    from saferhub.missing.models import Episode

    if not works_cases(user):
        return []
    episodes = Episode.objects.filter(partnership_id=user.partnership_id)
    return [episodes.filter(ground) for ground in visible_case_grounds(user, prefix="child__case__")]


def visible_episodes(user: Any) -> "EpisodeQuerySet":
    from saferhub.missing.models import Episode

    return union_queryset(Episode.objects.all(), visible_episode_parts(user))


def assigned_interviews(user: Any) -> "EpisodeQuerySet":
    """Interviews assigned to the user's team as provider: all a provider's worker sees."""
    from saferhub.missing.models import Episode

    if not works_cases(user) or user.team_id is None:
        return Episode.objects.none()
    return Episode.objects.filter(partnership_id=user.partnership_id, rhi_team_id=user.team_id)


def episode_access(user: Any, episode: "Episode") -> Access | None:
    """What the user may do with the episode as a whole (its case's access)."""
    if not works_cases(user) or episode.partnership_id != user.partnership_id:
        return None
    return case_access(user, episode.child.case)


def can_record_interview(user: Any, episode: "Episode") -> bool:
    """The coordinators (EDIT on the case) and the provider team the interview is assigned to."""
    if not works_cases(user) or episode.partnership_id != user.partnership_id:
        return False
    if user.team_id is not None and episode.rhi_team_id == user.team_id:
        return True
    return episode_access(user, episode) == Access.EDIT


CEAM_PANEL = "ceam"


def in_ceam_agency(user: Any) -> bool:
    """A caseworker of an agency that is a member of the partnership's active CEAM panel type."""
    from saferhub.panels.models import PanelType

    return (
        works_cases(user)
        and user.agency_id is not None
        and PanelType.objects.active()
        .filter(partnership_id=user.partnership_id, code=CEAM_PANEL, member_agencies=user.agency_id)
        .exists()
    )


def can_see_missing_settings(user: Any) -> bool:
    """The deadlines in force are read by the coordinators and the partnership's administrators."""
    return works_missing(user) or can_administer(user)


def can_manage_missing_settings(user: Any) -> bool:
    """Deadlines change from a date by the coordinators' manager or an administrator (local protocol)."""
    return can_administer(user) or (works_missing(user) and user.has_role(Role.TEAM_MANAGER))


def can_see_intelligence(user: Any) -> bool:
    return works_missing(user) or in_ceam_agency(user)


def can_manage_intelligence(user: Any) -> bool:
    """Places, groups and links are recorded by the coordinators."""
    return works_missing(user)


def _visibility_filter(user: Any) -> models.Q:
    from saferhub.missing.models import Visibility

    if works_missing(user):
        return models.Q()
    return models.Q(visibility=Visibility.CEAM) if in_ceam_agency(user) else models.Q(pk__in=[])


def visible_places(user: Any) -> Any:
    from saferhub.missing.models import PlaceOfConcern

    if not can_see_intelligence(user):
        return PlaceOfConcern.objects.none()
    return PlaceOfConcern.objects.filter(models.Q(partnership_id=user.partnership_id) & _visibility_filter(user))


def visible_groups(user: Any) -> Any:
    from saferhub.missing.models import Group

    if not can_see_intelligence(user):
        return Group.objects.none()
    return Group.objects.filter(models.Q(partnership_id=user.partnership_id) & _visibility_filter(user))


def visible_links(user: Any) -> "models.QuerySet[IntelLink]":
    """Links the user may see: all for the coordinators; for CEAM member agencies, those shared with them
    whose place and group are shared too."""
    from saferhub.missing.models import IntelLink, Visibility

    if not can_see_intelligence(user):
        return IntelLink.objects.none()
    links = IntelLink.objects.filter(partnership_id=user.partnership_id, archived_at__isnull=True)
    if works_missing(user):
        return links
    return (
        links.filter(visibility=Visibility.CEAM)
        .exclude(place__visibility=Visibility.TEAM)
        .exclude(group__visibility=Visibility.TEAM)
    )


def can_record_outreach(user: Any) -> bool:
    """Detached outreach sessions (date, ward, place of concern, young people engaged, concerns passed on) are
    recorded and read by the coordinators only: the place and the concerns are the team's intelligence.

    The session is a governance activity of kind `outreach`: analysts and board members count it in the
    activities register and its return, without its place or concerns."""
    return works_missing(user)


def visible_outreach_sessions(user: Any) -> Any:
    """The partnership's detached outreach sessions, for those `can_record_outreach` allows; none otherwise."""
    from saferhub.governance.models import Activity, ActivityKind
    from saferhub.missing.config import OUTREACH_PROGRAMME

    if not can_record_outreach(user):
        return Activity.objects.none()
    return Activity.objects.of(user.partnership_id).filter(kind=ActivityKind.OUTREACH, programme=OUTREACH_PROGRAMME)
