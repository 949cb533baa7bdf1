"""Search everywhere: one query, read against every kind of record the user may see.

Each kind is read through the policy's ``visible_…`` querysets (or their indexed parts)
and at most ``PER_KIND + 1`` rows of it are fetched, so a search costs a fixed number of
small indexed queries however many records the partnership holds:

- a reference (``ASB-2026-00012``) is an exact match on the unique reference index, and
  a partial one (``ASB-2026``) a prefix match on it (a ``varchar_pattern_ops`` index on
  PostgreSQL, migration ``search/0001_case_reference_prefix_index``);
- a number is a referral's or a fixed penalty's own number;
- a date ("4/12/1990", "4 December 1990", "1990-12-04") is a date of birth;
- anything else is words: people by name (forgiving misspellings, see
  ``saferhub.people.matching``), alias and identifier; cases by title and by their
  people; referrals and penalties by their people; Case Reviews by applicant; ASB
  incidents by summary; directory services by name and description.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import QueryDict
from django.urls import reverse

from saferhub import policy
from saferhub.cases.models import REFERENCE_PATTERN, Case, Participant
from saferhub.core.keyset import KeysetPaginator

PER_KIND = 10
# People matched by name whose cases, referrals and penalties are looked up too.
MATCH_POOL = 50
MAX_QUERY_LENGTH = 100
# A reference typed in part: its prefix, or its prefix and year, or more of its number.
REFERENCE_PREFIX = re.compile(r"^[A-Za-z]{1,10}-(\d{4}(-\d{0,9})?)?$")
NUMBER = re.compile(r"^\d{1,9}$")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class Group:
    kind: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False
    more_url: str = ""

    @property
    def count_label(self) -> str:
        return f"more than {PER_KIND}" if self.more else str(len(self.hits))


@dataclass
class Query:
    """What was typed, read once: a reference, a prefix, a number, a date or words."""

    text: str
    reference: str = ""
    reference_prefix: str = ""
    number: int | None = None
    date: datetime.date | None = None

    @classmethod
    def parse(cls, text: str) -> "Query":
        text = " ".join(text.split())[:MAX_QUERY_LENGTH]
        query = cls(text=text)
        if REFERENCE_PATTERN.match(text):
            query.reference = text.upper()
        elif REFERENCE_PREFIX.match(text):
            query.reference_prefix = text.upper()
        elif NUMBER.match(text):
            query.number = int(text)
        query.date = parse_date(text)
        return query

    @property
    def is_words(self) -> bool:
        return not (self.reference or self.reference_prefix or self.number is not None or self.date)


def parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    return None


def _first_page(base: models.QuerySet, parts: list[Any], ordering: tuple[str, ...], refine: Any) -> Any:
    return KeysetPaginator(base, parts, ordering, PER_KIND, refine=refine).page(QueryDict())


def _with_more(url_name: str, text: str) -> str:
    query = QueryDict(mutable=True)
    query["q"] = text
    return f"{reverse(url_name)}?{query.urlencode()}"


# People -------------------------------------------------------------------------------------------


def matching_person_ids(user: Any, query: Query) -> list[int]:
    """Ids of the people the user may see whom the words name, best first: by name, forgiving
    misspellings (phonetic keys and trigram similarity, ``people.matching``), by alias, or by identifier."""
    from saferhub.people.matching import similar_people

    visible = policy.visible_people(user)
    by_name = [match.person.pk for match in similar_people(visible, query.text, limit=MATCH_POOL)]
    by_alias = visible.filter(aliases__name__icontains=query.text).values_list("pk", flat=True)[: PER_KIND + 1]
    by_identifier = visible.filter(identifiers__value__iexact=query.text).values_list("pk", flat=True)[: PER_KIND + 1]
    return list(dict.fromkeys([*by_identifier, *by_name, *by_alias]))


def search_people(user: Any, query: Query, person_ids: list[int] | None) -> Group:
    group = Group("people", "People", more_url=_with_more("people:search", query.text))
    wanted = models.Q(pk__in=person_ids[: PER_KIND + 1]) if person_ids else models.Q()
    if query.date is not None:
        wanted |= models.Q(date_of_birth=query.date)
    if not wanted:
        return group
    found = policy.visible_people(user).filter(wanted)
    rows = list(found.order_by("last_name", "first_name", "pk")[: PER_KIND + 1])
    if person_ids:
        # Best matches first: the order the matcher gave (closest names, then aliases, identifiers).
        rank = {pk: i for i, pk in enumerate(person_ids)}
        rows.sort(key=lambda person: rank.get(person.pk, len(rank)))
    group.more = len(rows) > PER_KIND or len(person_ids or []) > PER_KIND
    for person in rows[:PER_KIND]:
        born = f"Born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else "Date of birth not recorded"
        group.hits.append(Hit(person.display_name, reverse("people:detail", args=[person.pk]), born))
    return group


# Cases and references -----------------------------------------------------------------------------


def search_cases(user: Any, query: Query, person_ids: list[int] | None) -> Group:
    group = Group("cases", "Cases", more_url=_with_more("cases:list", query.text))
    refine: Callable[[Any], Any]
    if query.reference:
        reference = query.reference

        def refine(qs: Any) -> Any:
            return qs.filter(reference__iexact=reference)

    elif query.reference_prefix:
        prefix = query.reference_prefix

        def refine(qs: Any) -> Any:
            return qs.filter(reference__istartswith=prefix)

    elif query.is_words:
        people = person_ids or []
        text = query.text

        def refine(qs: Any) -> Any:
            in_cases = Participant.objects.filter(person_id__in=people).values("case_id")
            return [qs.filter(title__icontains=text), qs.filter(pk__in=in_cases)]

    else:
        return group
    page = _first_page(Case.objects.with_list_columns(), policy.visible_case_parts(user), ("-opened_on", "-pk"), refine)
    group.more = page.has_next
    for case in page:
        detail = f"{case.case_type.name}, {case.get_status_display().lower()}, opened {case.opened_on:%-d %B %Y}"
        group.hits.append(
            Hit(f"{case.reference}: {case.title}", reverse("cases:detail", args=[case.reference]), detail)
        )
    return group


# Referrals ----------------------------------------------------------------------------------------


def search_referrals(user: Any, query: Query, person_ids: list[int] | None) -> Group:
    from saferhub.cases.models import Referral

    group = Group("referrals", "Referrals")
    if query.number is not None:
        number = query.number

        def refine(qs: Any) -> Any:
            return qs.filter(pk=number)

    elif query.is_words and (person_ids or query.text):
        people = person_ids or []
        text = query.text

        def refine(qs: Any) -> Any:
            return [qs.filter(person_id__in=people), qs.filter(external_ref=text)]

    else:
        return group
    base = Referral.objects.select_related("person", "to_team", "case_type")
    page = _first_page(base, policy.visible_referral_parts(user), ("-received_at", "-pk"), refine)
    group.more = page.has_next
    for referral in page:
        about = referral.person.display_name if referral.person else "no person named"
        detail = f"{referral.case_type.name} to {referral.to_team.name}, {referral.get_decision_display().lower()}"
        group.hits.append(
            Hit(f"Referral {referral.pk} about {about}", reverse("cases:referral-detail", args=[referral.pk]), detail)
        )
    return group


# ASB incidents, Case Reviews, fixed penalties -----------------------------------------------------


def search_incidents(user: Any, query: Query, person_ids: list[int] | None) -> Group:
    from saferhub.asb.models import Incident, Report

    group = Group("incidents", "ASB incidents")
    if not query.is_words:
        return group
    text = query.text
    # An incident by what happened, or by another body's reference for a report of it (a CAD number).
    reported = Report.objects.filter(body_reference__iexact=text).values("incident_id")[:100]

    def refine(qs: Any) -> Any:
        return [qs.filter(summary__icontains=text), qs.filter(pk__in=reported)]

    parts = [Incident.objects.filter(ground) for ground in policy.visible_case_grounds(user, prefix="case__")]
    page = _first_page(
        Incident.objects.select_related("case"), parts, ("-behaviour_on", "-pk"), refine if parts else None
    )
    group.more = page.has_next
    for incident in page:
        group.hits.append(
            Hit(
                incident.summary,
                reverse("asb:case", args=[incident.case.reference]),
                f"{incident.behaviour_on:%-d %B %Y}, case {incident.case.reference}",
            )
        )
    return group


def search_case_reviews(user: Any, query: Query, person_ids: list[int] | None) -> Group:
    group = Group("case_reviews", "Case Reviews")
    reviews = policy.visible_case_reviews(user)
    if query.reference or query.reference_prefix:
        found = reviews.filter(reference__startswith=query.reference or query.reference_prefix)
    elif query.is_words:
        found = reviews.filter(
            models.Q(reference__iexact=query.text)
            | models.Q(applicant_name__icontains=query.text)
            | models.Q(case_reference_given__iexact=query.text)
        )
    else:
        return group
    rows = list(found.order_by("-applied_on", "-pk")[: PER_KIND + 1])
    group.more = len(rows) > PER_KIND
    for review in rows[:PER_KIND]:
        group.hits.append(
            Hit(
                f"Case Review {review.reference}",
                reverse("asb:review", args=[review.reference]),
                f"Applied {review.applied_on:%-d %B %Y}, {review.get_status_display().lower()}",
            )
        )
    return group


def search_fixed_penalties(user: Any, query: Query, person_ids: list[int] | None) -> Group:
    from saferhub.asb.models import Intervention

    group = Group("fixed_penalties", "Fixed penalties")
    if query.number is not None:
        number = query.number

        def refine(qs: Any) -> Any:
            return qs.filter(pk=number)

    elif query.is_words:
        people = person_ids or []
        text = query.text

        def refine(qs: Any) -> Any:
            return [qs.filter(person_id__in=people), qs.filter(external_ref=text)]

    else:
        return group
    base = Intervention.objects.select_related("case", "person", "offence")
    page = _first_page(base, policy.visible_fixed_penalty_parts(user), ("-served_on", "-pk"), refine)
    group.more = page.has_next
    for fpn in page:
        served = fpn.person.display_name if fpn.person else (fpn.served_on_name or "not named")
        url = reverse("asb:case", args=[fpn.case.reference]) if fpn.case else reverse("asb:fpns")
        offence = fpn.offence.label if fpn.offence else "Fixed penalty"
        group.hits.append(Hit(f"Fixed penalty {fpn.pk}: {served}", url, f"{offence}, {fpn.served_on:%-d %B %Y}"))
    return group


# Directory ----------------------------------------------------------------------------------------


def search_directory(user: Any, query: Query, person_ids: list[int] | None) -> Group:
    group = Group("services", "Directory services", more_url=_with_more("directory:index", query.text))
    if not query.is_words:
        return group
    rows = list(policy.visible_directory_services(user).search(query.text).order_by("name", "pk")[: PER_KIND + 1])
    group.more = len(rows) > PER_KIND
    for service in rows[:PER_KIND]:
        group.hits.append(Hit(service.name, reverse("directory:detail", args=[service.pk]), service.get_area_display()))
    return group


KINDS: list[Callable[[Any, Query, list[int] | None], Group]] = [
    search_people,
    search_cases,
    search_referrals,
    search_incidents,
    search_case_reviews,
    search_fixed_penalties,
    search_directory,
]


def search_everything(user: Any, text: str) -> list[Group]:
    """Every kind's group for `text`, each holding at most ``PER_KIND`` hits the user may see."""
    query = Query.parse(text)
    if not query.text:
        return []
    person_ids = None
    if query.number is None and query.date is None and policy.works_cases(user):
        person_ids = matching_person_ids(user, query)
    return [kind(user, query, person_ids) for kind in KINDS]
