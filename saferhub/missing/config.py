"""The partnership's missing-children set-up: its team, case type and dated settings; deadline arithmetic."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from saferhub.cases.models import CaseType
from saferhub.missing.models import SETTING_DEFAULTS, MissingSetting, MissingTeam, SettingKey

CASE_TYPE_CODE = "missing"
CASE_TYPE_NAME = "Missing child"
CASE_TYPE_PREFIX = "MIS"
DUTY = "missing"
# The programme of the detached outreach sessions the coordinators record (activities register).
OUTREACH_PROGRAMME = "detached_outreach"
# Defaults apply from this date, before any partnership could have used Saferhub.
DEFAULTS_FROM = datetime.date(2000, 1, 1)
# Times are written and shown in UK local time; durations are real elapsed time.
UK = ZoneInfo("Europe/London")


def setup_missing(partnership: Any) -> None:
    """Idempotent set-up step: the `missing` case type and the default settings."""
    missing_case_type(partnership)
    for key, value in SETTING_DEFAULTS.items():
        if not MissingSetting.objects.filter(partnership=partnership, key=key).exists():
            MissingSetting.objects.create(
                partnership=partnership,
                key=key,
                value=value,
                effective_from=DEFAULTS_FROM,
                source="DfE statutory guidance (2014) and the local missing protocol",
            )


def missing_case_type(partnership: Any) -> CaseType:
    case_type, _ = CaseType.objects.get_or_create(
        partnership=partnership, code=CASE_TYPE_CODE, defaults={"name": CASE_TYPE_NAME, "prefix": CASE_TYPE_PREFIX}
    )
    return case_type


def missing_team(partnership_id: int | None) -> Any:
    # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    row = MissingTeam.objects.filter(partnership_id=partnership_id).select_related("team__agency").first()  # type: ignore[misc]
    return row.team if row is not None else None


def in_missing_team(user: Any) -> bool:
    team_id = getattr(user, "team_id", None)
    return (
        team_id is not None and MissingTeam.objects.filter(partnership_id=user.partnership_id, team_id=team_id).exists()
    )


def setting_value(partnership: Any, key: str, on_date: datetime.date) -> int:
    """The value in force on `on_date`: the latest row on or before it, else the shipped default."""
    return MissingSetting.objects.value_on(partnership, key, on_date, SETTING_DEFAULTS[SettingKey(key)])


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(UK).date()


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight starting `day` in UK time, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=UK)


def strategy_due_at(
    partnership: Any, missing_from: datetime.datetime, held: int, returned_at: datetime.datetime | None
) -> datetime.datetime | None:
    """When the next strategy meeting is due after `held` meetings: at the long-missing threshold, then
    every interval while still missing; None once the child has returned."""
    if returned_at is not None:
        return None
    on = local_date(missing_from)
    first = datetime.timedelta(hours=setting_value(partnership, SettingKey.LONG_MISSING_HOURS, on))
    interval = datetime.timedelta(days=setting_value(partnership, SettingKey.STRATEGY_INTERVAL_DAYS, on))
    return missing_from + first + held * interval


def meetings_due(
    partnership: Any,
    missing_from: datetime.datetime,
    until: datetime.datetime,
    *,
    hours: int | None = None,
    days: int | None = None,
) -> list[datetime.datetime]:
    """The due times of every strategy meeting owed for a child missing from `missing_from` until `until`:
    due while still missing, so a child back at exactly the threshold was owed none.

    `hours` and `days`: the threshold and interval in force on the day it began, when the caller
    already knows them (a return reads the settings once, not twice an episode)."""
    on = local_date(missing_from)
    if hours is None:
        hours = setting_value(partnership, SettingKey.LONG_MISSING_HOURS, on)
    if days is None:
        days = setting_value(partnership, SettingKey.STRATEGY_INTERVAL_DAYS, on)
    first = datetime.timedelta(hours=hours)
    interval = datetime.timedelta(days=days)
    due = []
    moment = missing_from + first
    while moment < until:
        due.append(moment)
        if not interval:
            break
        moment += interval
    return due


def rhi_due_at(partnership: Any, returned_at: datetime.datetime | None) -> datetime.datetime | None:
    if returned_at is None:
        return None
    hours = setting_value(partnership, SettingKey.RHI_HOURS, local_date(returned_at))
    return returned_at + datetime.timedelta(hours=hours)
