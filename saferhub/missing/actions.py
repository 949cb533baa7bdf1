"""Every change to missing-children records: one function each, audited in the same transaction.

Deadlines (`strategy_due_at`, `rhi_due_at`) and the child's repeat flag are recomputed by
`_refresh` whenever an episode, its return or its meetings change, from the settings in force.
"""

import datetime
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Participant, ParticipantRole
from saferhub.core.versioning import StaleEdit, claim_version
from saferhub.governance import actions as governance_actions
from saferhub.governance.models import Activity, ActivityKind
from saferhub.missing import config
from saferhub.missing.models import (
    Episode,
    Group,
    IntelLink,
    LinkSource,
    MissingChild,
    MissingSetting,
    MissingTeam,
    PlaceOfConcern,
    SettingKey,
    StrategyMeeting,
    Visibility,
)
from saferhub.people.models import Person

EPISODE_FIELDS = ("missing_from", "returned_at", "police_reference", "risk", "where_found", "placed_out_of_area")
# Imported episodes name their provider and source reference.
IMPORT_FIELDS = ("rhi_provider_id", "external_ref")
RHI_FIELDS = (
    "rhi_offered_at",
    "rhi_declined",
    "rhi_completed_at",
    "push_factors",
    "pull_factors",
    "disclosures",
    "concerns_raised",
    "onward_referrals",
)


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def set_missing_team(user: Any, partnership: Any, team: Any, request: HttpRequest | None = None) -> MissingTeam:
    row, created = MissingTeam.objects.get_or_create(partnership=partnership, defaults={"team": team})
    if not created and row.team_id != team.pk:
        row.team = team
        row.save(update_fields=["team", "modified_at"])
    log.record(user, AuditAction.UPDATE, row, request=request, partnership=partnership, detail={"team": team.pk})
    return row


def child_record(user: Any, person: Person, request: HttpRequest | None = None) -> MissingChild:
    """The child's missing record, opened (a `missing` case owned by the coordinators) the first time."""
    existing = MissingChild.objects.filter(partnership_id=person.partnership_id, person=person).first()
    if existing is not None:
        return existing
    team = config.missing_team(person.partnership_id)
    if team is None:
        raise ValueError("No team holds the 'missing' duty: give it to a team on the Set-up page.")
    case = case_actions.create_case(
        _actor(user),
        case_type=config.missing_case_type(person.partnership),
        owning_team=team,
        title="Missing child",
        request=request,
    )
    Participant.objects.create(case=case, person=person, role=ParticipantRole.OTHER, added_by=_actor(user))
    child = MissingChild.objects.create(partnership_id=person.partnership_id, case=case, person=person)
    log.record(user, AuditAction.CREATE, child, request=request)
    return child


def refresh(episode: Episode) -> None:
    """Recompute the episode's deadlines and the child's repeat flag (no audit: derived values)."""
    partnership = episode.partnership
    held = episode.strategy_meetings.count()
    episode.strategy_due_at = config.strategy_due_at(partnership, episode.missing_from, held, episode.returned_at)
    episode.rhi_due_at = config.rhi_due_at(partnership, episode.returned_at)
    Episode.objects.filter(pk=episode.pk).update(strategy_due_at=episode.strategy_due_at, rhi_due_at=episode.rhi_due_at)
    refresh_repeat(episode.child)


def refresh_repeat(child: MissingChild) -> bool:
    """A repeat: the threshold number of episodes within the window ending at the latest one."""
    latest = child.episodes.order_by("-missing_from").values_list("missing_from", flat=True).first()
    repeat = False
    if latest is not None:
        on = config.local_date(latest)
        threshold = config.setting_value(child.partnership, SettingKey.REPEAT_EPISODES, on)
        window = datetime.timedelta(days=config.setting_value(child.partnership, SettingKey.REPEAT_WINDOW_DAYS, on))
        repeat = bool(threshold) and child.episodes.filter(missing_from__gt=latest - window).count() >= threshold
    if repeat != child.repeat:
        MissingChild.objects.filter(pk=child.pk).update(repeat=repeat)
        child.repeat = repeat
    return repeat


@transaction.atomic
def record_episode(user: Any, child: MissingChild, request: HttpRequest | None = None, **values: Any) -> Episode:
    """A child reported missing (or, recorded late, already back)."""
    episode = Episode.objects.create(
        partnership_id=child.partnership_id,
        child=child,
        created_by=_actor(user),
        **{key: value for key, value in values.items() if key in (*EPISODE_FIELDS, *RHI_FIELDS, *IMPORT_FIELDS)},
    )
    refresh(episode)
    log.record(user, AuditAction.CREATE, episode, request=request)
    return episode


@transaction.atomic
def update_episode(
    user: Any, episode: Episode, *, expected_version: int, changes: dict[str, Any], request: HttpRequest | None = None
) -> Episode:
    """Change the episode's details or record the return; refused when someone saved it since it was read."""
    changes = {k: v for k, v in changes.items() if k in (*EPISODE_FIELDS, *RHI_FIELDS) and getattr(episode, k) != v}
    if changes.get("returned_at") and changes["returned_at"] < changes.get("missing_from", episode.missing_from):
        raise ValueError("The return cannot be before the child went missing.")
    claim_version(episode, expected_version)
    for key, value in changes.items():
        setattr(episode, key, value)
    if changes:
        episode.save(update_fields=[*changes, "modified_at"])
        refresh(episode)
    log.record(user, AuditAction.UPDATE, episode, request=request, detail={"fields": sorted(changes)})
    return episode


@transaction.atomic
def assign_rhi(
    user: Any,
    episode: Episode,
    *,
    expected_version: int,
    provider: Any,
    team: Any,
    request: HttpRequest | None = None,
) -> Episode:
    """Give the return home interview to a provider's team, whose workers then see it (and only it)."""
    if team is not None and team.agency_id != provider.pk:
        raise ValueError("The team is not part of the provider.")
    claim_version(episode, expected_version)
    episode.rhi_provider = provider
    episode.rhi_team = team
    episode.save(update_fields=["rhi_provider", "rhi_team", "modified_at"])
    log.record(
        user,
        AuditAction.UPDATE,
        episode,
        request=request,
        detail={"rhi_provider": provider.pk, "rhi_team": team.pk if team else None},
    )
    return episode


@transaction.atomic
def record_strategy_meeting(
    user: Any, episode: Episode, request: HttpRequest | None = None, **values: Any
) -> StrategyMeeting:
    meeting = StrategyMeeting.objects.create(episode=episode, recorded_by=_actor(user), **values)
    refresh(episode)
    log.record(user, AuditAction.CREATE, meeting, request=request, detail={"episode": episode.pk})
    return meeting


# Contextual safeguarding -----------------------------------------------------------------------------


@transaction.atomic
def create_place(user: Any, partnership: Any, request: HttpRequest | None = None, **values: Any) -> PlaceOfConcern:
    place = PlaceOfConcern.objects.create(partnership=partnership, **values)
    log.record(user, AuditAction.CREATE, place, request=request)
    return place


@transaction.atomic
def update_record(
    user: Any,
    record: PlaceOfConcern | Group,
    *,
    expected_version: int,
    changes: dict[str, Any],
    request: HttpRequest | None = None,
) -> Any:
    changes = {k: v for k, v in changes.items() if getattr(record, k) != v}
    claim_version(record, expected_version)
    for key, value in changes.items():
        setattr(record, key, value)
    if changes:
        record.save(update_fields=[*changes, "modified_at"])
    log.record(user, AuditAction.UPDATE, record, request=request, detail={"fields": sorted(changes)})
    return record


@transaction.atomic
def create_group(user: Any, partnership: Any, request: HttpRequest | None = None, **values: Any) -> Group:
    group = Group.objects.create(partnership=partnership, **values)
    log.record(user, AuditAction.CREATE, group, request=request)
    return group


@transaction.atomic
def add_link(user: Any, partnership: Any, request: HttpRequest | None = None, **values: Any) -> IntelLink:
    ends = [values.get("person"), values.get("place"), values.get("group"), values.get("theme") or None]
    if sum(end is not None for end in ends) < 2:
        raise ValueError("A link joins at least two of: a person, a place, a group, a theme.")
    link = IntelLink.objects.create(partnership=partnership, recorded_by=_actor(user), **values)
    log.record(
        user, AuditAction.CREATE, link, request=request, detail={"person": getattr(values.get("person"), "pk", None)}
    )
    return link


@transaction.atomic
def record_outreach_session(
    user: Any,
    *,
    held_on: datetime.date,
    ward: Any,
    participants: int,
    place: PlaceOfConcern | None = None,
    concerns_passed_on: str = "",
    person: Person | None = None,
    theme: str = "",
    visibility: str = Visibility.TEAM,
    request: HttpRequest | None = None,
) -> Activity:
    """A detached outreach session: an `outreach` activity of the register (so the activities return and the
    programme's figures count it) with its place of concern and the concerns passed on; the young person the
    concerns are about, if named, linked to the place and theme as information from this session."""
    partnership_id = user.partnership_id
    if place is not None and place.partnership_id != partnership_id:
        raise ValueError("The place belongs to another partnership.")
    if ward.partnership_id != partnership_id:
        raise ValueError("The ward belongs to another partnership.")
    # The title is read by everyone who sees the register: it names the ward, never the place of concern.
    session = governance_actions.record_activity(
        user,
        request=request,
        held_on=held_on,
        kind=ActivityKind.OUTREACH,
        programme=config.OUTREACH_PROGRAMME,
        title=f"Detached outreach in {ward.name}",
        ward=ward,
        place=place,
        participants=participants,
        concerns_passed_on=concerns_passed_on,
    )
    if person is not None:
        add_link(
            user,
            user.partnership,
            request=request,
            person=person,
            place=place,
            theme=theme,
            source=LinkSource.OUTREACH,
            recorded_on=held_on,
            visibility=visibility,
            outreach_session=session,
        )
    return session


@transaction.atomic
def archive_link(user: Any, link: IntelLink, request: HttpRequest | None = None) -> None:
    from django.utils import timezone

    if link.archived_at is not None:
        raise StaleEdit("This link was already removed.")
    link.archived_at = timezone.now()
    link.save(update_fields=["archived_at", "modified_at"])
    log.record(user, AuditAction.ARCHIVE, link, request=request)


@transaction.atomic
def add_setting(
    user: Any,
    partnership: Any,
    *,
    key: str,
    value: int,
    effective_from: datetime.date,
    request: HttpRequest | None = None,
) -> tuple[MissingSetting, int]:
    """A deadline from a date (the earlier value still applies before it); the episodes it reaches are
    recomputed. Returns the setting and how many episodes were recomputed."""
    setting, _ = MissingSetting.objects.update_or_create(
        partnership=partnership,
        key=key,
        effective_from=effective_from,
        defaults={"value": value, "set_by": _actor(user)},
    )
    start = config.day_start(effective_from)
    reached = Episode.objects.of(partnership.pk).filter(
        models.Q(missing_from__gte=start) | models.Q(returned_at__gte=start)
    )
    count = 0
    for episode in reached.select_related("child"):
        refresh(episode)
        count += 1
    log.record(
        user,
        AuditAction.UPDATE,
        setting,
        request=request,
        partnership=partnership,
        detail={key: value, "from": effective_from.isoformat(), "episodes_recomputed": count},
    )
    return setting, count
