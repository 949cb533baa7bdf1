"""Erasing a case past its retention period, and changing a retention period. Each in one transaction
with its audit row."""

import datetime
from functools import partial
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import Case, CaseLocation, CaseType
from saferhub.core.versioning import StaleEdit, claim_version
from saferhub.people.models import Alias, ContactDetail, Identifier, Person
from saferhub.places.models import Location
from saferhub.retention import rules
from saferhub.retention.models import DEFAULT_YEARS, Erasure, RetentionRule, keep_until
from saferhub.retention.plan import (
    CASE_SOURCES,
    ERASED,
    FILE_SOURCES,
    PERSON_LINKS,
    PERSON_RECORDS,
    REGISTER_DATE_FIELDS,
    REGISTER_RECORDS,
)

MIN_REASON = 10


class ErasureRefused(Exception):
    pass


def _required(model: type[models.Model], name: str) -> bool:
    field = model._meta.get_field(name)
    return not getattr(field, "blank", True)


def _erase_records(case: Case) -> dict[str, int]:
    """Clear the personal text of every record hanging from the case; one UPDATE per kind of record."""
    counts: dict[str, int] = {}
    for source in CASE_SOURCES:
        if not source.erase:
            continue
        model = apps.get_model(source.label)
        values = {name: ERASED if _required(model, name) else "" for name in source.erase}
        rows = model._default_manager.filter(**{source.case_lookup: case.pk})
        if source.label == "cases.CaseLink":
            rows = model._default_manager.filter(Q(from_case_id=case.pk) | Q(to_case_id=case.pk))
        counts[source.label] = rows.update(**values)
    return counts


def _erase_files(case: Case) -> dict[str, int]:
    """Delete the stored files attached to the case (or its referrals) and clear their names and descriptions.

    Files are removed when the transaction commits, so a rolled-back erasure keeps them."""
    counts: dict[str, int] = {}
    for source in FILE_SOURCES:
        model = apps.get_model(source.label)
        rows = model._default_manager.filter(**{source.case_lookup: case.pk}).exclude(file="")
        for row in rows:
            transaction.on_commit(partial(row.file.storage.delete, row.file.name))
        values = {name: ERASED if _required(model, name) else "" for name in source.erase}
        counts[f"{source.label} ({source.title})"] = rows.update(file="", **values)
    return counts


def _erase_locations(case: Case) -> int:
    """Addresses only this case (or other erased cases) uses lose address, postcode and coordinates; ward and LSOA stay."""
    mine = CaseLocation.objects.filter(case=case).values("location_id")
    kept_elsewhere = (
        CaseLocation.objects.exclude(case=case)
        .exclude(case_id__in=Erasure.objects.values("case_id"))
        .values("location_id")
    )
    return (
        Location.objects.filter(pk__in=mine)
        .exclude(pk__in=kept_elsewhere)
        .update(address=ERASED, postcode="", latitude=None, longitude=None)
    )


def _people_of(case: Case) -> set[int]:
    ids: set[int] = set()
    for label, to_case, person_field in PERSON_LINKS:
        if not to_case:
            continue
        model = apps.get_model(label)
        ids.update(
            model._default_manager.filter(**{f"{to_case}_id": case.pk, f"{person_field}__isnull": False}).values_list(
                f"{person_field}_id", flat=True
            )
        )
    return ids


def _still_needed(people: set[int]) -> set[int]:
    """People with a link to a case that is kept, or to no case at all (a pending referral, a PSPO breach)."""
    erased = Erasure.objects.values("case_id")
    needed: set[int] = set()
    for label, to_case, person_field in PERSON_LINKS:
        model = apps.get_model(label)
        rows = model._default_manager.filter(**{f"{person_field}_id__in": people})
        if to_case:
            rows = rows.exclude(**{f"{to_case}_id__in": erased})
        needed.update(rows.values_list(f"{person_field}_id", flat=True))
    return needed


def _anonymise(people: set[int], on: datetime.date, user: Any) -> dict[str, int]:
    """Names, date of birth (kept as an age), identifiers, aliases and contact details go; demographics stay."""
    for person in Person.objects.filter(pk__in=people, date_of_birth__isnull=False).only("pk", "date_of_birth"):
        # The age at closure keeps age bands in returns; the date of birth identifies.
        Person.objects.filter(pk=person.pk).update(age=person.age_on(on), age_recorded_on=on)
    updated = Person.objects.filter(pk__in=people).update(
        first_name="",
        last_name="",
        # The phonetic keys (people.matching) would still sound out the name.
        first_name_key="",
        last_name_key="",
        date_of_birth=None,
        external_ref="",
        archived_at=timezone.now(),
        archived_by=user,
        archive_reason=ERASED,
    )
    cleared = {}
    for source in PERSON_RECORDS:
        model = apps.get_model(source.label)
        blanks = {name: ERASED if _required(model, name) else "" for name in source.erase}
        cleared[source.label] = model._default_manager.filter(**{f"{source.to_case}_id__in": people}).update(**blanks)
    return {
        **cleared,
        "people.Person": updated,
        "people.Alias": Alias.objects.filter(person_id__in=people).delete()[0],
        "people.ContactDetail": ContactDetail.objects.filter(person_id__in=people).delete()[0],
        "people.Identifier": Identifier.objects.filter(person_id__in=people).delete()[0],
    }


@transaction.atomic
def erase_case(user: Any, case: Case, *, reason: str, request: HttpRequest | None = None) -> Erasure:
    """Remove the personal data of a closed case past its retention period; keep what the returns count."""
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ErasureRefused(f"Give the reason for erasing (at least {MIN_REASON} characters)")
    case = Case.objects.select_for_update().get(pk=case.pk)
    today = timezone.localdate()
    if Erasure.objects.filter(case=case).exists():
        raise ErasureRefused(f"Case {case.reference} has already been erased")
    if not rules.is_due(case, today):
        raise ErasureRefused(f"Case {case.reference} is not past its retention period")
    if case.closed_on is None:  # is_due passes only closed cases with a closing date
        raise ErasureRefused(f"Case {case.reference} has no closing date")
    years = rules.years_for(case)
    erasure = Erasure.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        erased_at=timezone.now(),
        erased_by=user,
        reason=reason,
        years=years,
        kept_until=keep_until(case.closed_on, years),
    )
    people = _people_of(case)
    counts = _erase_records(case)
    counts.update(_erase_files(case))
    counts["places.Location"] = _erase_locations(case)
    anonymised = people - _still_needed(people)
    counts.update(_anonymise(anonymised, case.closed_on, user))
    erasure.detail = {
        "records": {label: count for label, count in counts.items() if count},
        "people_anonymised": sorted(anonymised),
        "people_kept": sorted(people - anonymised),
    }
    erasure.save(update_fields=["detail"])
    case.refresh_from_db()
    log.record(
        user,
        AuditAction.ERASE,
        case,
        request=request,
        reason=reason,
        detail={
            "retention_years": years,
            "kept_until": erasure.kept_until.isoformat(),
            **erasure.detail,
        },
    )
    return erasure


@transaction.atomic
def erase_register_member(
    user: Any,
    member: Any,
    *,
    reason: str,
    on_request: bool,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """Clear a register member's details (name, organisation, school, availability, DBS date) with its audit row.

    `on_request`: the member asked (a subject's erasure request, any time); otherwise the retention
    schedule (only once they left the register before the end of the year plus the default period)."""
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ErasureRefused(f"Give the reason for erasing (at least {MIN_REASON} characters)")
    model = type(member)
    member = model._default_manager.select_for_update().get(pk=member.pk)
    if member.erased_at is not None:
        raise ErasureRefused("This member's details have already been erased")
    today = today or timezone.localdate()
    if not on_request and not rules.register_due(member.partnership_id, today).filter(pk=member.pk).exists():
        raise ErasureRefused("This member is not past the retention period of the register")
    label = f"{model._meta.app_label}.{model.__name__}"
    (source,) = [s for s in REGISTER_RECORDS if s.label == label]
    values: dict[str, Any] = {name: ERASED if _required(model, name) else "" for name in source.erase}
    values.update({name: None for name in REGISTER_DATE_FIELDS.get(label, ())})
    left_on = member.left_on or today
    # Erased members are no longer on the register; the version bump refuses edit forms opened before.
    model._default_manager.filter(pk=member.pk).update(
        **values, active=False, left_on=left_on, erased_at=timezone.now(), version=models.F("version") + 1
    )
    member.refresh_from_db()
    detail = {
        "register": label,
        "fields_cleared": sorted(values),
        "basis": "erasure request" if on_request else "retention schedule",
        "left_on": left_on.isoformat(),
        "retention_years": DEFAULT_YEARS,
    }
    log.record(
        user, AuditAction.ERASE, member, request=request, reason=reason, detail=detail, partnership=member.partnership
    )
    return detail


def erase_due_register_members(partnership: Any, *, today: datetime.date | None = None) -> int:
    """The retention schedule for the registers: erase every member past the period, each with its audit row."""
    today = today or timezone.localdate()
    count = 0
    for member in rules.register_due(partnership, today).order_by("pk"):
        erase_register_member(
            None,
            member,
            reason=(
                f"Retention schedule: left the register on {member.left_on:%-d %B %Y}, "
                f"kept to the end of that year plus {DEFAULT_YEARS} years"
            ),
            on_request=False,
            today=today,
        )
        count += 1
    return count


@transaction.atomic
def set_retention(
    user: Any,
    case_type: CaseType,
    *,
    years: int,
    basis: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> RetentionRule:
    """Set a case type's retention period if nobody changed it since it was read (version 0: no rule yet)."""
    rule = RetentionRule.objects.select_for_update().filter(case_type=case_type).first()
    stale = StaleEdit(f"The retention period for {case_type.name} was changed by someone else after you opened it.")
    if rule is None:
        if expected_version != 0:
            raise stale
        try:
            with transaction.atomic():
                rule = RetentionRule.objects.create(
                    partnership_id=case_type.partnership_id,
                    case_type=case_type,
                    years=years,
                    basis=basis,
                    modified_by=user,
                )
        except IntegrityError:  # someone created it meanwhile
            raise stale from None
        before: dict[str, Any] = {}
    else:
        if expected_version == 0:
            raise stale
        before = {"years": rule.years, "basis": rule.basis}
        claim_version(rule, expected_version, modified_by=user)
        rule.years, rule.basis = years, basis
        rule.save(update_fields=["years", "basis"])
    log.record(
        user,
        AuditAction.UPDATE,
        rule,
        request=request,
        detail={"case_type": case_type.code, "before": before, "after": {"years": years, "basis": basis}},
    )
    return rule
