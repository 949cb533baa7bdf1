"""Repeat referrals (SafeLives): one rule for referrals typed in and imported.

A referral is a repeat when the same person was referred to a panel of the same
type, in the same partnership, on an earlier date no more than 12 calendar
months before. Same-day referrals are not repeats of each other. Twelve calendar
months before 2024-02-29 is 2023-02-28 (the day is clamped to the month's end).

`recompute_repeats` is the only writer of `is_repeat`: it recomputes every
referral of each (panel type, person) pair given, in date order, so the result
never depends on the order referrals were entered or imported. Only accepted
referrals are on the panel: one awaiting review is flagged against them, and a
returned one is never a repeat nor repeated.
"""

import calendar
import datetime
from collections.abc import Iterable

from saferhub.panels.models import PanelReferral, ReferralStatus

REPEAT_WINDOW_MONTHS = 12


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + (day.month - 1) - months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_within_window(earlier: datetime.date, later: datetime.date) -> bool:
    """Whether a referral on `later` repeats one made on `earlier`."""
    return earlier < later and earlier >= months_before(later, REPEAT_WINDOW_MONTHS)


def previous_referral(
    panel_type_id: int, person_id: int | None, referral_date: datetime.date, *, exclude_pk: int | None = None
) -> PanelReferral | None:
    """The latest earlier accepted referral this one would repeat, or None (shown before saving or accepting)."""
    if person_id is None:
        return None
    candidates = PanelReferral.objects.accepted().filter(
        panel_type_id=panel_type_id,
        person_id=person_id,
        referral_date__lt=referral_date,
        referral_date__gte=months_before(referral_date, REPEAT_WINDOW_MONTHS),
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return candidates.order_by("-referral_date", "-pk").first()


def recompute_repeats(pairs: Iterable[tuple[int, int | None]]) -> int:
    """Recompute `is_repeat`/`repeat_of` for every referral of the given (panel type id, person id) pairs.

    Only accepted referrals count as earlier referrals. A referral awaiting review is flagged the same
    way (so the coordinator sees it when reviewing); a returned one is never a repeat.
    One query to read, one bulk update for what changed; returns how many changed.
    """
    wanted = {(panel_type, person) for panel_type, person in pairs if person is not None}
    if not wanted:
        return 0
    referrals = (
        PanelReferral.objects.filter(
            panel_type_id__in={p for p, _ in wanted}, person_id__in={person for _, person in wanted}
        )
        .only("pk", "panel_type_id", "person_id", "referral_date", "status", "is_repeat", "repeat_of_id")
        .order_by("panel_type_id", "person_id", "referral_date", "pk")
    )
    changed = []
    # Per pair: the latest accepted referral so far, and the latest accepted one on an earlier date than it.
    latest: dict[tuple[int, int | None], PanelReferral] = {}
    before_latest: dict[tuple[int, int | None], PanelReferral] = {}
    for referral in referrals:
        key = (referral.panel_type_id, referral.person_id)
        if key not in wanted:
            continue
        repeat_of = None
        if referral.status != ReferralStatus.RETURNED:
            last = latest.get(key)
            earlier = (
                last if last is not None and last.referral_date < referral.referral_date else before_latest.get(key)
            )
            if earlier is not None and is_within_window(earlier.referral_date, referral.referral_date):
                repeat_of = earlier
        if referral.status == ReferralStatus.ACCEPTED:
            last = latest.get(key)
            if last is not None and last.referral_date < referral.referral_date:
                before_latest[key] = last
            latest[key] = referral
        repeat_of_id = repeat_of.pk if repeat_of is not None else None
        if referral.is_repeat != (repeat_of is not None) or referral.repeat_of_id != repeat_of_id:
            referral.is_repeat = repeat_of is not None
            referral.repeat_of_id = repeat_of_id
            changed.append(referral)
    PanelReferral.objects.bulk_update(changed, ["is_repeat", "repeat_of"], batch_size=500)
    return len(changed)
