"""One inbox per team: everything awaiting a decision, each item once, counted one way everywhere.

An item is in a user's inbox only when the user may see it and their team (or, for panel
referrals and provider returns, their role) is the one to decide it:

- **referral**: a generic referral sent to the user's team, awaiting a decision (hub referrals
  are not counted here: they are the ``hub`` kind, so one referral is one item);
- **hub**: a Victim Care Hub referral sent to the user's team that awaits a decision, or was
  accepted and still awaits its first contact (the hub's triage queue);
- **panel**: a referral submitted online to a panel, awaiting a coordinator's review;
- **case_review**: an ASB Case Review application awaiting a decision (acknowledgement and
  threshold, or an appeal), for the team that received it (unassigned ones for team managers);
- **provider_return**: a commissioned provider's submitted return awaiting acceptance, for the
  analysts and administrators who decide returns.

Every page and count reads ``inbox_parts`` (through ``inbox_count``, ``inbox_counts``,
``inbox_page`` …): the home page, the inbox page and the module pages (the hub's triage queue,
the panels' review queue, the Case Review list) all show the same numbers.

Deadlines, where a rule gives one (docs/casework.md): first contact within the hub's
"working days to first contact" setting (2 working days by default, Victims' Code) for hub and
generic referrals; the next Case Review step's deadline (``saferhub.asb.deadlines``). Panel
referrals and provider returns have no decision deadline in the rules.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from saferhub.core.keyset import capped_count, refined, union_queryset
from saferhub.policy.asb import works_case_reviews
from saferhub.policy.cases import visible_case_grounds
from saferhub.policy.governance import can_manage_governance
from saferhub.policy.panels import can_coordinate_panel, visible_panel_referral_parts
from saferhub.policy.roles import _today, works_cases

COUNT_CAP = 1000
PAGE_SIZE = 25


class InboxKind(models.TextChoices):
    REFERRAL = "referral", "Referrals"
    HUB = "hub", "Victim Care Hub referrals"
    PANEL = "panel", "Panel referrals"
    CASE_REVIEW = "case_review", "ASB Case Review applications"
    PROVIDER_RETURN = "provider_return", "Provider returns"


KIND_ORDER = {kind: n for n, kind in enumerate(InboxKind.values)}


@dataclass(frozen=True)
class _Source:
    base: Any  # the model's rows (a queryset) with the columns the inbox shows
    parts: Sequence[Any]  # the policy's grounds, each already narrowed to "awaiting a decision"
    received: str  # the (non-null) time the item arrived: the inbox's order


@dataclass
class InboxItem:
    kind: str
    kind_label: str
    pk: int
    reference: str
    title: str
    source: str
    received_at: datetime.datetime
    due_on: datetime.date | None
    url: str
    obj: Any

    def overdue(self, today: datetime.date | None = None) -> bool:
        return self.due_on is not None and self.due_on < (today or _today())

    @property
    def is_overdue(self) -> bool:
        return self.overdue()

    @property
    def due_soon(self) -> bool:
        today = _today()
        return self.due_on is not None and today <= self.due_on <= today + datetime.timedelta(days=6)


@dataclass
class InboxPage:
    items: list[InboxItem]
    next_cursor: str | None
    after: str | None
    previous_cursor: str | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


# The parts of each kind ----------------------------------------------------------------


def _referral_source(user: Any) -> _Source | None:
    from saferhub.cases.models import Referral, ReferralDecision

    if not works_cases(user) or user.team_id is None:
        return None
    pending = Referral.objects.filter(
        partnership_id=user.partnership_id,
        to_team_id=user.team_id,
        decision=ReferralDecision.PENDING,
        hub__isnull=True,
    )
    base = Referral.objects.select_related("from_team", "from_team__agency", "from_agency", "case_type", "person")
    return _Source(base, [pending], "received_at")


def _hub_source(user: Any) -> _Source | None:
    from saferhub.cases.models import CaseStatus, ReferralDecision
    from saferhub.victims.models import HubReferral

    if not works_cases(user) or user.team_id is None:
        return None
    hubs = HubReferral.objects.filter(partnership_id=user.partnership_id, referral__to_team_id=user.team_id)
    pending = hubs.filter(referral__decision=ReferralDecision.PENDING)
    # Accepted but never contacted: still the team's to act on, on the grounds its case is seen.
    accepted = hubs.filter(awaits_first_contact=True, referral__decision=ReferralDecision.ACCEPTED).exclude(
        referral__case__status=CaseStatus.CLOSED
    )
    parts = [pending] + [accepted.filter(ground) for ground in visible_case_grounds(user, prefix="referral__case__")]
    return _Source(HubReferral.objects.with_columns(), parts, "referral__received_at")


def _panel_source(user: Any) -> _Source | None:
    from saferhub.panels.models import PanelReferral, ReferralStatus

    if not can_coordinate_panel(user):
        return None
    parts = [part.filter(status=ReferralStatus.SUBMITTED) for part in visible_panel_referral_parts(user)]
    base = PanelReferral.objects.select_related("panel_type", "person", "referring_agency")
    return _Source(base, parts, "created_at")


# A Case Review application awaits a decision until the threshold is decided, and again on appeal.
CASE_REVIEW_AWAITING = ("received", "acknowledged", "appealed")


def _case_review_source(user: Any) -> _Source | None:
    from saferhub.accounts.models import Role
    from saferhub.asb.models import CaseReview

    if not works_case_reviews(user):
        return None
    awaiting = CaseReview.objects.filter(
        partnership_id=user.partnership_id, status__in=CASE_REVIEW_AWAITING, historical=False
    )
    parts = [awaiting.filter(owning_team_id=user.team_id)]
    if user.has_role(Role.TEAM_MANAGER):
        parts.append(awaiting.filter(owning_team__isnull=True))  # nobody chosen to receive them yet
    return _Source(CaseReview.objects.all(), parts, "received_at")


def _provider_return_source(user: Any) -> _Source | None:
    from saferhub.governance.models import ProviderReturn, ReturnStatus

    if not can_manage_governance(user):
        return None
    submitted = ProviderReturn.objects.filter(
        service__partnership_id=user.partnership_id, status=ReturnStatus.SUBMITTED, submitted_at__isnull=False
    )
    return _Source(ProviderReturn.objects.select_related("service"), [submitted], "submitted_at")


_SOURCES: dict[str, Callable[[Any], _Source | None]] = {
    InboxKind.REFERRAL: _referral_source,
    InboxKind.HUB: _hub_source,
    InboxKind.PANEL: _panel_source,
    InboxKind.CASE_REVIEW: _case_review_source,
    InboxKind.PROVIDER_RETURN: _provider_return_source,
}


def _sources(user: Any, kinds: Sequence[str] | None = None) -> dict[str, _Source]:
    wanted = InboxKind.values if kinds is None else [kind for kind in InboxKind.values if kind in kinds]
    found = {}
    for kind in wanted:
        source = _SOURCES[kind](user)
        if source is not None:
            found[kind] = source
    return found


def inbox_kinds(user: Any) -> list[str]:
    """The kinds of item the user could ever have in their inbox (no query)."""
    return list(_sources(user))


def inbox_parts(user: Any, kind: str) -> list[models.QuerySet]:
    """The policy's parts of one kind of the user's inbox: module pages page over these."""
    source = _sources(user, [kind]).get(kind)
    return list(source.parts) if source else []


def inbox_queryset(user: Any, kind: str) -> models.QuerySet:
    """One kind of the user's inbox as one queryset of its model (the parts' union)."""
    source = _sources(user, [kind]).get(kind)
    if source is None:
        return _SOURCES_MODEL[kind]().objects.none()
    return union_queryset(source.base, source.parts)


def _model_of(path: str) -> Callable[[], Any]:
    def load() -> Any:
        from django.apps import apps

        return apps.get_model(path)

    return load


_SOURCES_MODEL: dict[str, Callable[[], Any]] = {
    InboxKind.REFERRAL: _model_of("cases.Referral"),
    InboxKind.HUB: _model_of("victims.HubReferral"),
    InboxKind.PANEL: _model_of("panels.PanelReferral"),
    InboxKind.CASE_REVIEW: _model_of("asb.CaseReview"),
    InboxKind.PROVIDER_RETURN: _model_of("governance.ProviderReturn"),
}


# Counts ---------------------------------------------------------------------------------


def inbox_counts(
    user: Any, kinds: Sequence[str] | None = None, refine: Callable[[Any], Any] | None = None
) -> dict[str, int]:
    """How many items of each kind await the user's team, up to ``COUNT_CAP`` (one query a kind)."""
    return {kind: capped_count(source.parts, COUNT_CAP, refine) for kind, source in _sources(user, kinds).items()}


def inbox_count(user: Any, kind: str | None = None, refine: Callable[[Any], Any] | None = None) -> int:
    """The one number shown for the user's inbox (or one kind of it) wherever it is shown."""
    return sum(inbox_counts(user, None if kind is None else [kind], refine).values())


def count_label(count: int) -> str:
    return f"{COUNT_CAP:,} or more" if count >= COUNT_CAP else f"{count:,}"


def first_contact_days(partnership_id: int) -> Callable[[datetime.date], int]:
    """The hub's "working days to first contact" setting as a function of the day received (one query)."""
    from saferhub.victims.models import SETTING_DEFAULTS, HubSetting, SettingKey

    key = SettingKey.FIRST_CONTACT_WORKING_DAYS
    rows = list(
        HubSetting.objects.filter(partnership_id=partnership_id, key=key)
        .order_by("effective_from")
        .values_list("effective_from", "value")
    )
    default = SETTING_DEFAULTS[key]

    def days_on(day: datetime.date) -> int:
        value = default
        for effective_from, row_value in rows:
            if effective_from <= day:
                value = row_value
        return value

    return days_on


def referral_first_contact_due(days_on: Callable[[datetime.date], int], received_on: datetime.date) -> datetime.date:
    from saferhub.core.workingdays import add_working_days

    return add_working_days(received_on, days_on(received_on))


def _last_overdue_day(partnership_id: int, today: datetime.date) -> datetime.date:
    """The latest day a referral could arrive and already be past its first-contact deadline today."""
    days_on = first_contact_days(partnership_id)
    day = today - datetime.timedelta(days=1)
    while referral_first_contact_due(days_on, day) >= today:
        day -= datetime.timedelta(days=1)
    return day


def inbox_overdue_counts(user: Any, kinds: Sequence[str] | None = None) -> dict[str, int]:
    """Items past their deadline, by kind (kinds without a deadline rule count none)."""
    today = _today()
    result: dict[str, int] = {}
    for kind, source in _sources(user, kinds).items():
        if kind == InboxKind.HUB:
            result[kind] = capped_count(
                source.parts,
                COUNT_CAP,
                lambda qs: qs.filter(first_contact_on__isnull=True, first_contact_due_on__lt=today),
            )
        elif kind == InboxKind.REFERRAL:
            last = _last_overdue_day(user.partnership_id, today)
            cutoff = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
            result[kind] = capped_count([part.filter(received_at__lt=cutoff) for part in source.parts], COUNT_CAP)
        elif kind == InboxKind.CASE_REVIEW:
            reviews = list(union_queryset(source.base, source.parts)[:COUNT_CAP])
            result[kind] = sum(1 for due in _case_review_deadlines(reviews).values() if due and due < today)
        else:
            result[kind] = 0
    return result


# Pages -----------------------------------------------------------------------------------


def _case_review_deadlines(reviews: Sequence[Any]) -> dict[int, datetime.date | None]:
    from saferhub.asb.deadlines import next_step
    from saferhub.asb.limits import Limits

    limits: dict[tuple[int, datetime.date], Limits] = {}
    result = {}
    for review in reviews:
        key = (review.partnership_id, review.applied_on)
        if key not in limits:
            limits[key] = Limits(review.partnership_id, review.applied_on)
        step = next_step(review, limits[key])
        result[review.pk] = step.due_on if step else None
    return result


def _items(kind: str, rows: list[Any], user: Any) -> list[InboxItem]:
    label = InboxKind(kind).label
    if kind == InboxKind.REFERRAL:
        days_on = first_contact_days(user.partnership_id)
        return [
            InboxItem(
                kind,
                label,
                r.pk,
                r.reference,
                f"{r.case_type.name}: {r.person.display_name if r.person else 'Anonymous'}",
                r.source_display,
                r.received_at,
                referral_first_contact_due(days_on, timezone.localdate(r.received_at)),
                reverse("cases:referral-detail", args=[r.pk]),
                r,
            )
            for r in rows
        ]
    if kind == InboxKind.HUB:
        return [
            InboxItem(
                kind,
                label,
                h.pk,
                h.referral.reference,
                f"{h.crime_type.label}: {h.referral.person.display_name if h.referral.person else 'Anonymous'}",
                h.referral.source_display,
                h.referral.received_at,
                h.first_contact_due_on if h.first_contact_on is None else None,
                reverse("victims:referral", args=[h.pk]),
                h,
            )
            for h in rows
        ]
    if kind == InboxKind.PANEL:
        return [
            InboxItem(
                kind,
                label,
                p.pk,
                p.reference,
                f"{p.panel_type.name}: {p.person.display_name if p.person else 'No person named'}",
                p.referring_agency.name,
                p.created_at,
                None,
                reverse("panels:referral", args=[p.pk]),
                p,
            )
            for p in rows
        ]
    if kind == InboxKind.CASE_REVIEW:
        deadlines = _case_review_deadlines(rows)
        return [
            InboxItem(
                kind,
                label,
                c.pk,
                c.reference,
                f"ASB Case Review: {c.get_status_display()}",
                c.get_channel_display(),
                c.received_at,
                deadlines.get(c.pk),
                reverse("asb:review", args=[c.reference]),
                c,
            )
            for c in rows
        ]
    return [
        InboxItem(
            kind,
            label,
            r.pk,
            f"{r.service.name}: {r.period}",
            "Quarterly return",
            r.service.name,
            r.submitted_at,
            None,
            reverse("governance:return", args=[r.pk]),
            r,
        )
        for r in rows
    ]


def _encode(item: InboxItem) -> str:
    return f"{item.received_at.isoformat()}|{KIND_ORDER[item.kind]}|{item.pk}"


def _decode(token: str | None) -> tuple[datetime.datetime, int, int] | None:
    if not token:
        return None
    try:
        moment, order, pk = token.split("|")
        when = datetime.datetime.fromisoformat(moment)
        if timezone.is_naive(when):
            return None
        return when, int(order), int(pk)
    except ValueError:
        return None


def _beyond(
    source: _Source, order: int, cursor: tuple[datetime.datetime, int, int] | None, *, backwards: bool = False
) -> list[models.QuerySet]:
    """The source's parts after the cursor in the inbox's order (arrival time, kind, key), or before it."""
    if cursor is None:
        return list(source.parts)
    when, cursor_order, pk = cursor
    further = models.Q(**{f"{source.received}__{'lt' if backwards else 'gt'}": when})
    same_time = models.Q(**{source.received: when})
    if (order < cursor_order) if backwards else (order > cursor_order):
        condition = further | same_time
    elif order == cursor_order:
        condition = further | (same_time & models.Q(**{f"pk__{'lt' if backwards else 'gt'}": pk}))
    else:
        condition = further
    return [part.filter(condition) for part in source.parts]


def _sort_key(item: InboxItem) -> tuple[datetime.datetime, int, int]:
    return (item.received_at, KIND_ORDER[item.kind], item.pk)


def inbox_page(
    user: Any,
    kinds: Sequence[str] | None = None,
    after: str | None = None,
    per_page: int = PAGE_SIZE,
    before: str | None = None,
) -> InboxPage:
    """A page of the user's inbox, oldest first, read by keyset: each kind gives at most a page's rows.
    ``after`` pages forward from an item, ``before`` back from one (the "Previous" link)."""
    backwards = not after and bool(_decode(before))
    cursor = _decode(before) if backwards else _decode(after)
    received = "-{}" if backwards else "{}"
    candidates: list[InboxItem] = []
    for kind, source in _sources(user, kinds).items():
        parts = _beyond(source, KIND_ORDER[kind], cursor, backwards=backwards)
        order = (received.format(source.received), "-pk" if backwards else "pk")
        rows = list(union_queryset(source.base, refined(parts, None)).order_by(*order)[: per_page + 1])
        candidates += _items(kind, rows, user)
    candidates.sort(key=_sort_key, reverse=backwards)
    more = len(candidates) > per_page
    shown = candidates[:per_page]
    if backwards:
        shown.reverse()
        # The item the page was read back from (and so a next page) follows the last shown.
        next_cursor = _encode(shown[-1]) if shown else None
        previous_cursor = _encode(shown[0]) if more else None
        return InboxPage(shown, next_cursor, before, previous_cursor)
    next_cursor = _encode(shown[-1]) if more else None
    previous_cursor = _encode(shown[0]) if cursor and shown else None
    return InboxPage(shown, next_cursor, after if cursor else None, previous_cursor)


def inbox_referral_parts(user: Any) -> list[models.QuerySet]:
    """The inbox's generic and hub referrals as parts of ``cases.Referral`` rows: the referral
    inbox's "awaiting" tab pages over these, so it holds exactly the two kinds' items."""
    from saferhub.cases.models import Referral

    parts = inbox_parts(user, InboxKind.REFERRAL)
    parts += [Referral.objects.filter(pk__in=hub.values("referral_id")) for hub in inbox_parts(user, InboxKind.HUB)]
    return parts
