"""The statutory rules for tools and powers and PSPOs, in one place.

Each check raises `RuleBroken` (a ValidationError) whose message names the rule,
so the officer sees why a step cannot be recorded. Limits come from settings
with effective dates (`saferhub.asb.limits`), read on the date the power was used.
Imports of historical records skip the sequence rules (a warning may predate the
system) but keep the field rules; see docs/asb.md.
"""

import calendar
import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from saferhub.asb.limits import Limits
from saferhub.asb.models import Intervention, Pspo, SettingKey, ToolKind

# Fixed penalties for breaching a CPN or a PSPO are capped by the 2014 Act (ss.52, 68).
CAPPED_OFFENCES = frozenset({"CST08", "CST09"})


class RuleBroken(ValidationError):
    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        self.rule = rule
        text = f"{rule}: {message}"
        super().__init__({field: [text]} if field else text)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _age_rule(item: Intervention, rule: str, minimum: int, what: str) -> None:
    if item.person is None:
        raise RuleBroken(rule, f"a {what} is served on a person: choose who it is served on.", "person")
    age = item.person.age_on(item.served_on)
    if age is None:
        raise RuleBroken(
            rule,
            f"a {what} can only be served on someone aged {minimum} or over: record {item.person}'s date of birth or age first.",
            "person",
        )
    if age < minimum:
        raise RuleBroken(
            rule, f"a {what} can only be served on someone aged {minimum} or over; {item.person} was {age}.", "person"
        )


def _earlier(item: Intervention, code: str) -> Any:
    qs = Intervention.objects.filter(partnership_id=item.partnership_id, kind__code=code, served_on__lt=item.served_on)
    return qs.exclude(pk=item.pk) if item.pk else qs


def check_cpn(item: Intervention, limits: Limits) -> None:
    _age_rule(item, "CPN only 16+", limits[SettingKey.CPN_MIN_AGE], "Community Protection Notice")
    if not _earlier(item, ToolKind.CPN_WARNING).filter(person=item.person).exists():
        raise RuleBroken(
            "CPN needs a written warning",
            f"a Community Protection Notice needs an earlier CPN written warning to {item.person}, served before "
            f"{item.served_on:%-d %B %Y}. Record the written warning first.",
            "kind",
        )


def check_closure_notice(item: Intervention, limits: Limits) -> None:
    hours = limits[SettingKey.CLOSURE_NOTICE_HEARING_HOURS]
    if not item.premises:
        raise RuleBroken("Closure notice premises", "give the premises the closure notice covers.", "premises")
    if item.served_at is None or item.hearing_at is None:
        raise RuleBroken(
            "Closure notice hearing within 48 hours",
            f"give when the notice was served and when the magistrates' court will hear it (within {hours} hours).",
            "hearing_at" if item.served_at else "served_at",
        )
    if item.hearing_at <= item.served_at:
        raise RuleBroken(
            "Closure notice hearing within 48 hours", "the hearing must be after the notice is served.", "hearing_at"
        )
    if item.hearing_at - item.served_at > datetime.timedelta(hours=hours):
        raise RuleBroken(
            "Closure notice hearing within 48 hours",
            f"the court must hear the application within {hours} hours of the notice being served.",
            "hearing_at",
        )


def check_closure_order(item: Intervention, limits: Limits) -> None:
    if not item.premises:
        raise RuleBroken("Closure order premises", "give the premises the order closes.", "premises")
    if item.expires_on is None:
        raise RuleBroken("Closure order length", "give the date the order ends.", "expires_on")
    if item.extends_id is None:
        notices = Intervention.objects.filter(  # type: ignore[misc]  # only run when case_id is set (below)
            case_id=item.case_id, kind__code=ToolKind.CLOSURE_NOTICE, served_on__lte=item.served_on
        )
        if item.case_id is None or not notices.exists():
            raise RuleBroken(
                "Closure order needs a closure notice",
                "a closure order is made on an application following a closure notice: record the closure notice on this case first.",
                "kind",
            )
        months = limits[SettingKey.CLOSURE_ORDER_MONTHS]
        if item.expires_on > add_months(item.served_on, months):
            raise RuleBroken(
                "Closure order up to 3 months",
                f"a closure order lasts at most {months} months: it must end by {add_months(item.served_on, months):%-d %B %Y}.",
                "expires_on",
            )
        return
    _check_extension(item, limits)


def _check_extension(item: Intervention, limits: Limits) -> None:
    extended = item.extends
    if extended is None or extended.kind.code != ToolKind.CLOSURE_ORDER or extended.case_id != item.case_id:
        raise RuleBroken("Closure order extension", "an extension extends a closure order on the same case.", "extends")
    first = extended
    while first.extends is not None:
        first = first.extends
    if extended.expires_on and item.served_on > extended.expires_on:
        raise RuleBroken(
            "Closure order extension",
            "an order can only be extended before it ends: apply for a new order.",
            "served_on",
        )
    total = limits[SettingKey.CLOSURE_ORDER_TOTAL_MONTHS]
    latest = add_months(first.served_on, total)
    if item.expires_on is not None and item.expires_on > latest:
        raise RuleBroken(
            "Closure order 6 months in total",
            f"with extensions a closure order lasts at most {total} months in total: it must end by {latest:%-d %B %Y}.",
            "expires_on",
        )


def check_fpn(item: Intervention, limits: Limits) -> None:
    if item.offence is None:
        raise RuleBroken("Fixed penalty offence", "choose the offence code.", "offence")
    if not item.amount_pence:
        raise RuleBroken("Fixed penalty amount", "give the amount of the penalty.", "amount_pence")
    capped = item.offence.code in CAPPED_OFFENCES or item.pspo_condition_id is not None
    cap = limits[SettingKey.FPN_MAX_PENCE]
    if capped and item.amount_pence > cap:
        raise RuleBroken(
            "Fixed penalty limit",
            f"a fixed penalty for breaching a CPN or a PSPO is at most £{cap / 100:,.2f} on {item.served_on:%-d %B %Y}.",
            "amount_pence",
        )
    if item.pspo_condition is not None and not item.pspo_condition.pspo.in_force(item.served_on):
        raise RuleBroken("PSPO in force", "the PSPO was not in force on that date.", "pspo_condition")


def check_injunction(item: Intervention, limits: Limits) -> None:
    _age_rule(item, "Civil injunction only 10+", limits[SettingKey.INJUNCTION_MIN_AGE], "civil injunction")


def check_cbo(item: Intervention, limits: Limits) -> None:
    if item.conviction_on is None or item.conviction_on > item.served_on:
        raise RuleBroken(
            "CBO on conviction",
            "a Criminal Behaviour Order is made on conviction: give the date of conviction.",
            "conviction_on",
        )


def check_dates(item: Intervention) -> None:
    if item.expires_on and item.expires_on < item.served_on:
        raise RuleBroken("Dates", "the end date is before the date it was served.", "expires_on")
    if item.review_on and item.review_on < item.served_on:
        raise RuleBroken("Dates", "the review date is before the date it was served.", "review_on")


_CHECKS: dict[str, Callable[[Intervention, Limits], None]] = {
    ToolKind.CPN: check_cpn,
    ToolKind.CLOSURE_NOTICE: check_closure_notice,
    ToolKind.CLOSURE_ORDER: check_closure_order,
    ToolKind.FPN: check_fpn,
    ToolKind.CIVIL_INJUNCTION: check_injunction,
    ToolKind.CBO: check_cbo,
}


def check_intervention(item: Intervention, *, historical: bool = False) -> None:
    """Raise RuleBroken if recording `item` would skip a statutory step or break a limit."""
    check_dates(item)
    code = item.kind.code
    if historical:
        if code == ToolKind.FPN and item.offence_id is None:
            raise RuleBroken("Fixed penalty offence", "choose the offence code.", "offence")
        return
    check = _CHECKS.get(code)
    if check is not None:
        check(item, Limits(item.partnership_id, item.served_on))


def fpn_discount(partnership: Any, served_on: datetime.date) -> tuple[int, datetime.date]:
    """(percent, last day) of the early-payment discount in force when the penalty was served."""
    limits = Limits(partnership, served_on)
    days = limits[SettingKey.FPN_DISCOUNT_DAYS]
    return limits[SettingKey.FPN_DISCOUNT_PERCENT], served_on + datetime.timedelta(days=days)


def check_pspo_period(
    partnership: Any, start: datetime.date, end: datetime.date, *, rule: str = "PSPO up to 3 years"
) -> None:
    years = Limits(partnership, start)[SettingKey.PSPO_MAX_YEARS]
    if end < start:
        raise RuleBroken(rule, "the end date is before the start date.", "ends_on")
    latest = add_months(start, 12 * years) - datetime.timedelta(days=1)
    if end > latest:
        raise RuleBroken(
            rule,
            f"a PSPO lasts at most {years} years from {start:%-d %B %Y}: it must end by {latest:%-d %B %Y}.",
            "ends_on",
        )


def check_pspo_renewal(pspo: Pspo, renewed_on: datetime.date, new_ends_on: datetime.date) -> None:
    if renewed_on > pspo.ends_on:
        raise RuleBroken("PSPO renewal", "a PSPO can only be extended before it ends: make a new order.", "renewed_on")
    if new_ends_on <= pspo.ends_on:
        raise RuleBroken("PSPO renewal", "the new end date must be after the current one.", "new_ends_on")
    check_pspo_period(pspo.partnership_id, renewed_on, new_ends_on, rule="PSPO renewal up to 3 years")
