"""Report `missing` (INTERCHANGE.md, "Return `missing`").

Episodes belong to the period in which `missing_from` falls (UK local time). The two
72-hour limits are dated settings: each episode is measured against the value in force
on the day it began (missing time, strategy meetings) or on the day of return (the
interview). Counts are made in the database, one condition per setting interval;
only the strategy-meeting series of episodes past the threshold (few) is walked here, with
the settings read once (not per episode).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from saferhub.missing import config
from saferhub.missing.models import Episode, MissingSetting, SettingKey, StrategyMeeting
from saferhub.people.models import YesNoUnknown
from saferhub.reporting.periods import months_overlapping, percent
from saferhub.reporting.registry import ReportKind, register
from saferhub.reporting.tables import Table


def setting_intervals(partnership: Any, key: str) -> list[tuple[datetime.date | None, datetime.date | None, int]]:
    """The setting's values over all time: (first day, day after the last or None, value); None starts at the
    beginning of time (the shipped default)."""
    rows = list(
        MissingSetting.objects.filter(partnership=partnership, key=key)
        .order_by("effective_from")
        .values_list("effective_from", "value")
    )
    default = config.SETTING_DEFAULTS[SettingKey(key)]
    starts: list[tuple[datetime.date | None, int]] = [(None, default), *rows]
    return [
        (start, starts[i + 1][0] if i + 1 < len(starts) else None, value) for i, (start, value) in enumerate(starts)
    ]


def by_setting(partnership: Any, key: str, field: str, condition: Callable[[int], Q]) -> Q:
    """`condition(value)` for the value in force on the local day of `field`, as one OR over the intervals."""
    result = Q(pk__in=[])
    for start, end, value in setting_intervals(partnership, key):
        q = condition(value)
        if start is not None:
            q &= Q(**{f"{field}__gte": config.day_start(start)})
        if end is not None:
            q &= Q(**{f"{field}__lt": config.day_start(end)})
        result |= q
    return result


def _hours(value: int) -> datetime.timedelta:
    return datetime.timedelta(hours=value)


def value_on(intervals: list[tuple[datetime.date | None, datetime.date | None, int]], day: datetime.date) -> int:
    """The value in force on `day` among `setting_intervals` (which cover all time)."""
    for start, stop, value in intervals:
        if (start is None or start <= day) and (stop is None or day < stop):
            return value
    return intervals[-1][2]


def _meetings(partnership: Any, over: Any, end: datetime.datetime) -> tuple[int, int]:
    """Strategy meetings due (at the threshold, then weekly until return) and those held no later than due:
    the n-th meeting held answers the n-th one due. Two queries and the settings, whatever the rows."""
    episodes = list(over.values_list("pk", "missing_from", "returned_at"))
    held: dict[int, list[datetime.datetime]] = {}
    for episode_id, held_at in (
        StrategyMeeting.objects.filter(episode_id__in=over.values("pk"))
        .order_by("held_at")
        .values_list("episode_id", "held_at")
    ):
        held.setdefault(episode_id, []).append(held_at)
    hours = setting_intervals(partnership, SettingKey.LONG_MISSING_HOURS)
    days = setting_intervals(partnership, SettingKey.STRATEGY_INTERVAL_DAYS)
    due_total = in_time = 0
    for pk, missing_from, returned_at in episodes:
        on = config.local_date(missing_from)
        due = config.meetings_due(
            partnership, missing_from, returned_at or end, hours=value_on(hours, on), days=value_on(days, on)
        )
        meetings = held.get(pk, [])
        due_total += len(due)
        in_time += sum(1 for n, moment in enumerate(due) if n < len(meetings) and meetings[n] <= moment)
    return due_total, in_time


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    start, end = config.day_start(date_from), config.day_start(date_to + datetime.timedelta(days=1))
    episodes = Episode.objects.filter(partnership=partnership).missing_between(start, end)
    threshold = config.setting_value(partnership, SettingKey.REPEAT_EPISODES, date_to)

    over = episodes.filter(
        by_setting(
            partnership,
            SettingKey.LONG_MISSING_HOURS,
            "missing_from",
            lambda v: (
                Q(returned_at__isnull=False, returned_at__gt=F("missing_from") + _hours(v))
                | Q(returned_at__isnull=True, missing_from__lt=end - _hours(v))
            ),
        )
    )
    returned = Q(returned_at__isnull=False)
    offered_in_time = by_setting(
        partnership, SettingKey.RHI_HOURS, "returned_at", lambda v: Q(rhi_offered_at__lte=F("returned_at") + _hours(v))
    )
    completed_in_time = by_setting(
        partnership,
        SettingKey.RHI_HOURS,
        "returned_at",
        lambda v: Q(rhi_completed_at__lte=F("returned_at") + _hours(v)),
    )
    completed = returned & Q(rhi_completed_at__isnull=False)
    totals = episodes.aggregate(
        n_total=Count("pk"),
        n_children=Count("child", distinct=True),
        n_over=Count("pk", filter=Q(pk__in=over.values("pk"))),
        n_returned=Count("pk", filter=returned),
        n_offered=Count("pk", filter=returned & Q(rhi_offered_at__isnull=False) & offered_in_time),
        n_completed=Count("pk", filter=completed),
        n_completed_in_time=Count("pk", filter=completed & completed_in_time),
        n_declined=Count("pk", filter=Q(rhi_declined=YesNoUnknown.YES)),
    )
    repeat_children = (
        episodes.order_by().values("child").annotate(n=Count("pk")).filter(n__gte=max(threshold, 1)).count()
    )
    months = dict(
        episodes.order_by()
        .annotate(month=TruncMonth("missing_from", tzinfo=config.UK))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counted = {(m.year, m.month): n for m, n in months.items()}
    by_month = [
        {"month": f"{p.start:%Y-%m}", "count": counted.get((p.start.year, p.start.month), 0)}
        for p in months_overlapping(date_from, date_to)
    ]
    due, held_in_time = _meetings(partnership, over, end)
    providers = sorted(
        (
            {"organisation": name or "", "count": n}
            for name, n in episodes.filter(completed)
            .order_by()
            .values("rhi_provider__name")
            .annotate(n=Count("pk"))
            .values_list("rhi_provider__name", "n")
        ),
        key=lambda row: (-row["count"], row["organisation"].casefold()),
    )
    return {
        "report": "missing",
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "episodes": {
            "total": totals["n_total"],
            "children": totals["n_children"],
            "repeat_children": repeat_children,
            "by_month": by_month,
            "over_72_hours": totals["n_over"],
            "strategy_meetings_due": due,
            "strategy_meetings_held_in_time": held_in_time,
        },
        "return_home_interviews": {
            "returned": totals["n_returned"],
            "offered_within_72h": totals["n_offered"],
            "offered_within_72h_percent": percent(totals["n_offered"], totals["n_returned"]) or 0.0,
            "completed": totals["n_completed"],
            "completed_within_72h": totals["n_completed_in_time"],
            "declined": totals["n_declined"],
            "by_provider": providers,
        },
    }


def tables(result: dict[str, Any]) -> list[Table]:
    episodes, rhi = result["episodes"], result["return_home_interviews"]
    return [
        Table(
            key="episodes-by-month",
            caption="Missing episodes by month",
            columns=["Month", "Episodes"],
            rows=[
                [datetime.date.fromisoformat(row["month"] + "-01").strftime("%B %Y"), row["count"]]
                for row in episodes["by_month"]
            ],
            total=["Total", episodes["total"]],
        ),
        Table(
            key="episodes",
            caption="Missing episodes and strategy meetings",
            columns=["Measure", "Number"],
            rows=[
                ["Episodes", episodes["total"]],
                ["Children", episodes["children"]],
                ["Children missing 3 or more times in the period", episodes["repeat_children"]],
                ["Episodes longer than 72 hours", episodes["over_72_hours"]],
                ["Strategy meetings due", episodes["strategy_meetings_due"]],
                ["Strategy meetings held in time", episodes["strategy_meetings_held_in_time"]],
            ],
            chart=False,
        ),
        Table(
            key="return-home-interviews",
            caption="Return home interviews",
            columns=["Measure", "Number"],
            rows=[
                ["Episodes ended by a return", rhi["returned"]],
                ["Interviews offered within 72 hours of return", rhi["offered_within_72h"]],
                ["Percentage offered within 72 hours", rhi["offered_within_72h_percent"]],
                ["Interviews completed", rhi["completed"]],
                ["Interviews completed within 72 hours of return", rhi["completed_within_72h"]],
                ["Interviews declined", rhi["declined"]],
            ],
            chart=False,
        ),
        Table(
            key="interviews-by-provider",
            caption="Completed return home interviews by provider",
            columns=["Provider", "Interviews"],
            rows=[[row["organisation"] or "Not recorded", row["count"]] for row in rhi["by_provider"]],
            total=["Total", sum(row["count"] for row in rhi["by_provider"])],
        ),
    ]


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    start, end = config.day_start(date_from), config.day_start(date_to + datetime.timedelta(days=1))
    return Episode.objects.filter(partnership=partnership).missing_between(start, end).count()


register(
    ReportKind(
        slug="missing",
        title="Missing children",
        description="Missing episodes by month, children and repeat children, long episodes and strategy meetings, "
        "and return home interviews offered and completed within 72 hours, by provider.",
        build=build,
        count_rows=count_rows,
        tables=tables,
    )
)
