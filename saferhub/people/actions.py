"""State changes of the person index.

Each function is one transaction that writes its audit row with the change.
Callers check permission first through `saferhub.policy` (`can_edit_person`).
"""

import datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import bump_version, claim_version
from saferhub.people import matching
from saferhub.people.models import (
    Alias,
    ContactDetail,
    DuplicateCandidate,
    DuplicateStatus,
    Identifier,
    Person,
    PersonMerge,
    YesNoUnknown,
)

# The fields a caseworker may change on the person's record.
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "age",
    "gender",
    "ethnicity",
    "disability",
    "first_language",
    "interpreter_needed",
)


def _by(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def create_person(user: Any, *, partnership: Any, request: HttpRequest | None = None, **fields: Any) -> Person:
    """A new person; every detail is optional, since a referral may be anonymous."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"external_ref"}
    if unknown:
        raise ValueError(f"Not a person field: {', '.join(sorted(unknown))}")
    if fields.get("age") is not None and not fields.get("age_recorded_on"):
        fields["age_recorded_on"] = timezone.localdate()
    person = Person.objects.create(partnership=partnership, created_by=_by(user), modified_by=_by(user), **fields)
    log.record(user, AuditAction.CREATE, person, request=request)
    record_duplicates(person)
    return person


@transaction.atomic
def update_person(
    user: Any,
    person: Person,
    changes: dict[str, Any],
    request: HttpRequest | None = None,
    *,
    expected_version: int | None = None,
) -> Person:
    """Apply the changed fields; an age given without a date of birth is dated today.

    With `expected_version` (an edit form), refuses with StaleEdit when someone saved the person since.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not an editable person field: {', '.join(sorted(unknown))}")
    if expected_version is not None:
        claim_version(person, expected_version, modified_by=_by(user))
    changed = sorted(k for k, v in changes.items() if getattr(person, k) != v)
    if not changed:
        return person
    for name in changed:
        setattr(person, name, changes[name])
    update_fields = [*changed, "modified_by", "modified_at"]
    if "age" in changed:
        person.age_recorded_on = timezone.localdate() if person.age is not None else None
        update_fields.append("age_recorded_on")
    person.modified_by = _by(user)
    person.save(update_fields=update_fields)
    log.record(user, AuditAction.UPDATE, person, request=request, detail={"fields": changed})
    if {"first_name", "last_name", "date_of_birth"} & set(changed):
        record_duplicates(person)
    return person


def _touch(user: Any, person: Person) -> None:
    person.modified_by = _by(user)
    person.save(update_fields=["modified_by", "modified_at"])


@transaction.atomic
def add_alias(user: Any, person: Person, name: str, request: HttpRequest | None = None) -> Alias:
    alias = Alias.objects.create(person=person, name=name.strip())
    _touch(user, person)
    log.record(user, AuditAction.UPDATE, person, request=request, detail={"alias_added": alias.pk})
    return alias


@transaction.atomic
def add_contact_detail(
    user: Any,
    person: Person,
    *,
    kind: str,
    value: str,
    confidential: bool = False,
    safe_to_contact: bool = True,
    request: HttpRequest | None = None,
) -> ContactDetail:
    detail = ContactDetail.objects.create(
        person=person, kind=kind, value=value.strip(), confidential=confidential, safe_to_contact=safe_to_contact
    )
    _touch(user, person)
    # The value itself stays out of the audit trail: it may be a refuge address.
    log.record(
        user,
        AuditAction.UPDATE,
        person,
        request=request,
        detail={"contact_added": detail.pk, "kind": kind, "confidential": confidential},
    )
    return detail


@transaction.atomic
def add_identifier(
    user: Any, person: Person, *, system: str, value: str, request: HttpRequest | None = None
) -> Identifier:
    identifier = Identifier.objects.create(person=person, system=system.strip(), value=value.strip())
    _touch(user, person)
    log.record(
        user, AuditAction.UPDATE, person, request=request, detail={"identifier_added": identifier.pk, "system": system}
    )
    return identifier


# Duplicates -------------------------------------------------------------------------


def _candidate_pair(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if a.pk < b.pk else (b, a)


def _save_candidate(first: Person, second: Person, match: matching.Match) -> DuplicateCandidate | None:
    person_a, person_b = _candidate_pair(first, second)
    candidate, created = DuplicateCandidate.objects.get_or_create(
        person_a=person_a,
        person_b=person_b,
        defaults={
            "partnership_id": person_a.partnership_id,
            "score": match.score,
            "reasons": "; ".join(match.reasons)[:200],
        },
    )
    return candidate if created else None


def record_duplicates(person: Person) -> list[DuplicateCandidate]:
    """Put every likely duplicate of `person` in the review queue (call inside the saving transaction).

    A pair already in the queue (open, dismissed or merged) is left as it is.
    """
    if person.date_of_birth is None or person.is_archived:
        return []
    others = Person.objects.live().filter(partnership_id=person.partnership_id)
    found = matching.likely_duplicates(
        others, person.first_name, person.last_name, person.date_of_birth, exclude=[person.pk], limit=50
    )
    return [c for m in found if (c := _save_candidate(person, m.person, m)) is not None]


def _pairs_in_group(group: list[Person]) -> list[tuple[Person, Person, matching.Match]]:
    found = []
    for i, first in enumerate(group):
        name = f"{first.first_name} {first.last_name}"
        for second in group[i + 1 :]:
            match = matching.score(second, name, first.date_of_birth)
            if matching.is_likely_duplicate(match):
                found.append((first, second, match))
    return found


def scan_for_duplicates(partnership: Any) -> int:
    """Look through the whole index of a partnership (people sharing a date of birth) and queue the likely pairs.

    Run by ``manage.py find_duplicates`` (after an import, or nightly by the worker); returns how many pairs
    were added. People are read in date-of-birth order, a day at a time, so memory stays small.
    """
    people = (
        Person.objects.live()
        .filter(partnership=partnership, date_of_birth__isnull=False)
        .only("pk", "partnership_id", "first_name", "last_name", "date_of_birth")
        .prefetch_related(models.Prefetch("aliases", to_attr="_match_aliases"))
        .order_by("date_of_birth", "pk")
    )
    added = 0
    group: list[Person] = []

    def flush() -> int:
        with transaction.atomic():
            return sum(_save_candidate(a, b, m) is not None for a, b, m in _pairs_in_group(group))

    for person in people.iterator(chunk_size=2000):
        if group and person.date_of_birth != group[0].date_of_birth:
            added += flush() if len(group) > 1 else 0
            group = []
        group.append(person)
    if len(group) > 1:
        added += flush()
    return added


@transaction.atomic
def dismiss_duplicate(user: Any, candidate: DuplicateCandidate, request: HttpRequest | None = None) -> None:
    """Two records are of different people: the pair leaves the queue for good."""
    updated = DuplicateCandidate.objects.filter(pk=candidate.pk, status=DuplicateStatus.OPEN).update(
        status=DuplicateStatus.NOT_DUPLICATE, reviewed_by=_by(user), reviewed_at=timezone.now()
    )
    if not updated:
        raise MergeRefused("This pair was already reviewed by someone else.")
    for person, other in ((candidate.person_a, candidate.person_b), (candidate.person_b, candidate.person_a)):
        log.record(user, AuditAction.UPDATE, person, request=request, detail={"not_duplicate_of": other.pk})


# Merge and undo ---------------------------------------------------------------------


class MergeRefused(Exception):
    """The merge (or its undo) cannot be done; the message says why, for the page."""


# Values that count as "nothing recorded" when filling the kept record from the merged one.
_EMPTY = (None, "", YesNoUnknown.UNKNOWN)
FILLABLE_FIELDS = (*EDITABLE_FIELDS, "age_recorded_on")
# Rows that stay with each record: the merge's own bookkeeping.
_NOT_MOVED = ("people.DuplicateCandidate", "people.PersonMerge")


def person_relations() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) pointing at a person, in every app: what a merge moves and an undo moves back."""
    found = []
    for field in Person._meta.get_fields(include_hidden=True):
        if not (field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)):
            continue
        model: Any = field.related_model
        if model._meta.label in _NOT_MOVED:
            continue
        found.append((model, field.field.name))  # type: ignore[union-attr]
    return sorted(found, key=lambda r: (r[0]._meta.label, r[1]))


def _move(model: type[models.Model], field: str, source: Person, target: Person) -> list[int]:
    """Move `source`'s rows to `target`, one at a time; a row the target already has (a unique clash) stays."""
    moved = []
    for pk in model._base_manager.filter(**{field: source}).order_by("pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**{field: target})
        except IntegrityError:
            continue  # e.g. both records were in the same case in the same role: the kept one's part stands
        moved.append(pk)
    return moved


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def merge_people(
    user: Any,
    kept: Person,
    merged: Person,
    *,
    kept_version: int,
    merged_version: int,
    request: HttpRequest | None = None,
) -> PersonMerge:
    """Merge `merged` into `kept`: every case part, alias, identifier, contact detail and other record moves.

    Details missing on the kept record are filled in from the merged one. The merged record is
    archived (never deleted, so both audit trails stay whole) and the merge recorded for undo.
    Refuses with StaleEdit when either record changed since the user looked at them.
    """
    if kept.pk == merged.pk:
        raise MergeRefused("Choose two different records to merge.")
    if kept.partnership_id != merged.partnership_id:
        raise MergeRefused("Only records of the same partnership can be merged.")
    claim_version(kept, kept_version, modified_by=_by(user))
    claim_version(merged, merged_version, modified_by=_by(user))
    kept.refresh_from_db()
    merged.refresh_from_db()
    if kept.is_archived or merged.is_archived:
        raise MergeRefused("One of these records was archived or merged already.")
    moved = {}
    for model, field in person_relations():
        pks = _move(model, field, merged, kept)
        if pks:
            moved[f"{model._meta.label}.{field}"] = pks
    filled = {}
    for name in FILLABLE_FIELDS:
        if getattr(kept, name) in _EMPTY and getattr(merged, name) not in _EMPTY:
            filled[name] = _json_value(getattr(kept, name))
            setattr(kept, name, getattr(merged, name))
    if filled:
        kept.save(update_fields=[*filled, "modified_at"])
    merged.archive(_by(user), reason=f"Merged into person {kept.pk}")
    merge = PersonMerge.objects.create(
        partnership_id=kept.partnership_id, kept=kept, merged=merged, moved=moved, filled=filled, merged_by=user
    )
    DuplicateCandidate.objects.filter(
        models.Q(person_a=kept, person_b=merged) | models.Q(person_a=merged, person_b=kept)
    ).update(status=DuplicateStatus.MERGED, reviewed_by=_by(user), reviewed_at=timezone.now())
    counts = {key: len(pks) for key, pks in moved.items()}
    log.record(
        user,
        AuditAction.UPDATE,
        kept,
        request=request,
        detail={"merge": merge.pk, "merged_from": merged.pk, "moved": counts, "filled": sorted(filled)},
    )
    log.record(user, AuditAction.ARCHIVE, merged, request=request, detail={"merge": merge.pk, "merged_into": kept.pk})
    return merge


@transaction.atomic
def undo_merge(user: Any, merge: PersonMerge, *, expected_version: int, request: HttpRequest | None = None) -> None:
    """Reverse a merge: both records as they were, each with what was theirs.

    Rows added to the kept record since the merge stay with it; details filled in by the merge
    go back to what they were unless someone has changed them since.
    """
    claim_version(merge, expected_version)
    merge.refresh_from_db()
    if merge.is_undone:
        raise MergeRefused("This merge was undone already.")
    kept = Person.objects.select_for_update().get(pk=merge.kept_id)
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    if kept.is_archived:
        raise MergeRefused("The kept record was merged or archived since: undo that first.")
    relations = {f"{model._meta.label}.{field}": (model, field) for model, field in person_relations()}
    returned = {}
    for key, pks in merge.moved.items():
        model, field = relations[key]
        returned[key] = model._base_manager.filter(pk__in=pks, **{field: kept}).update(**{field: merged})
    restored = []
    for name, before in merge.filled.items():
        if getattr(kept, name) == getattr(merged, name):
            model_field: Any = Person._meta.get_field(name)
            setattr(kept, name, model_field.to_python(before))
            restored.append(name)
    if restored:
        kept.save(update_fields=[*restored, "modified_at"])
    merged.archived_at = None
    merged.archived_by = None
    merged.archive_reason = ""
    merged.save(update_fields=["archived_at", "archived_by", "archive_reason", "modified_at"])
    bump_version(kept)
    bump_version(merged)
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by", "modified_at"])
    DuplicateCandidate.objects.filter(
        models.Q(person_a=kept, person_b=merged) | models.Q(person_a=merged, person_b=kept)
    ).update(status=DuplicateStatus.NOT_DUPLICATE, reviewed_by=_by(user), reviewed_at=timezone.now())
    log.record(
        user,
        AuditAction.UPDATE,
        kept,
        request=request,
        detail={"merge_undone": merge.pk, "separated_from": merged.pk, "returned": returned, "restored": restored},
    )
    log.record(
        user, AuditAction.UPDATE, merged, request=request, detail={"merge_undone": merge.pk, "separated_from": kept.pk}
    )
