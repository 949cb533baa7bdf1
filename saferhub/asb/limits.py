"""Limits, amounts and deadlines as settings with effective dates.

Each value is an `AsbSetting` row; the one in force on a date is the row with the
latest `effective_from` on or before it. The defaults below come from
`shared/domain/RULES.md` (Anti-social Behaviour, Crime and Policing Act 2014 and
the local practice described in seed 002) and are seeded from the date Part 4 of
the Act commenced. A later change in the law (the Crime and Policing Act 2026
raises fixed penalties to up to £500 as its provisions commence) is a new row
with its commencement date, added by an administrator: no commencement date is
recorded here because we could not cite one.
"""

import datetime
from typing import Any

from saferhub.asb.models import AsbSetting, SettingKey

# 20 October 2014: commencement of the ASB, Crime and Policing Act 2014's new powers.
DEFAULTS_FROM = datetime.date(2014, 10, 20)

DEFAULTS: dict[str, tuple[int, str]] = {
    SettingKey.CPN_MIN_AGE: (16, "ASB, Crime and Policing Act 2014 s.43"),
    SettingKey.INJUNCTION_MIN_AGE: (10, "ASB, Crime and Policing Act 2014 s.1"),
    SettingKey.CLOSURE_NOTICE_HEARING_HOURS: (48, "ASB, Crime and Policing Act 2014 s.81"),
    SettingKey.CLOSURE_ORDER_MONTHS: (3, "ASB, Crime and Policing Act 2014 s.80"),
    SettingKey.CLOSURE_ORDER_TOTAL_MONTHS: (6, "ASB, Crime and Policing Act 2014 s.82"),
    SettingKey.PSPO_MAX_YEARS: (3, "ASB, Crime and Policing Act 2014 s.60"),
    SettingKey.FPN_MAX_PENCE: (10000, "ASB, Crime and Policing Act 2014 s.52 and s.68"),
    SettingKey.FPN_DISCOUNT_PERCENT: (30, "Local scheme (seed 002)"),
    SettingKey.FPN_DISCOUNT_DAYS: (14, "Local scheme (seed 002)"),
    SettingKey.REVIEW_REMINDER_DAYS: (28, "Local practice"),
    SettingKey.CR_QUALIFYING_REPORTS: (3, "Local threshold (s.104); the usual one"),
    SettingKey.CR_WINDOW_MONTHS: (6, "Local threshold (s.104)"),
    SettingKey.CR_REPORT_WITHIN_MONTHS: (1, "Local threshold (s.104)"),
    SettingKey.CR_HATE_INCIDENTS: (1, "Local threshold: one hate incident"),
    SettingKey.CR_MULTI_VICTIM_REPORTS: (0, "Local threshold: not used by default"),
    SettingKey.CR_SECOND_REPORT_MONTHS: (6, "ASB Case Review statutory guidance 2025"),
    SettingKey.CR_ACK_DAYS: (5, "Local response time"),
    SettingKey.CR_DECISION_DAYS: (15, "Local response time"),
    SettingKey.CR_MEETING_DAYS: (20, "Local response time"),
    SettingKey.CR_OUTCOME_DAYS: (5, "Local response time"),
    SettingKey.CR_APPEAL_DAYS: (15, "Local response time"),
}


def seed_defaults(partnership: Any) -> int:
    """Add a default row for each key the partnership has no row for; returns how many were added."""
    have = set(AsbSetting.objects.filter(partnership=partnership).values_list("key", flat=True))
    rows = [
        AsbSetting(partnership=partnership, key=key, value=value, effective_from=DEFAULTS_FROM, source=source)
        for key, (value, source) in DEFAULTS.items()
        if key not in have
    ]
    AsbSetting.objects.bulk_create(rows)
    return len(rows)


def setting_value(partnership: Any, key: str, on_date: datetime.date) -> int:
    """The value in force on `on_date` (the shipped default when the partnership has no row yet)."""
    return AsbSetting.objects.value_on(partnership, key, on_date, DEFAULTS[key][0])


class Limits:
    """Every setting in force on one date, read in one query (for pages that need several)."""

    def __init__(self, partnership: Any, on_date: datetime.date) -> None:
        self.on_date = on_date
        self.values = {key: default for key, (default, _source) in DEFAULTS.items()}
        rows = AsbSetting.objects.filter(partnership=partnership, effective_from__lte=on_date).order_by(
            "key", "effective_from"
        )
        for row in rows:
            self.values[row.key] = row.value  # later rows overwrite earlier ones

    def __getitem__(self, key: str) -> int:
        return self.values[key]
