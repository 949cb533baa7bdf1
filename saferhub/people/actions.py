"""State changes of the person index.

Each function is one transaction that writes its audit row with the change.
Callers check permission first through `saferhub.policy` (`can_edit_person`).
"""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import claim_version
from saferhub.people.models import Alias, ContactDetail, Identifier, Person

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
