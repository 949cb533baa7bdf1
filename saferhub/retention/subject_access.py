"""Subject access: everything held about a person, as a ZIP of CSV files for the reviewer.

The export is raw material for the partnership's data protection lead, who reviews it
(removing what is about other people or exempt) before anything is released. It holds
the person, their aliases, contact details and identifiers, every record linking them
to a case or module, and every record of those cases (notes, actions, referrals,
assessments, hub, panel and ASB records). One query per kind of record.
"""

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhub.core.spreadsheets import neutralise_row
from saferhub.people.models import Person
from saferhub.retention.plan import CASE_SOURCES, FILE_SOURCES, PERSON_LINKS, PERSON_RECORDS

PERSON_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("person", "people.Person", "pk"),
    ("person_aliases", "people.Alias", "person"),
    ("person_contact_details", "people.ContactDetail", "person"),
    ("person_identifiers", "people.Identifier", "person"),
)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if value is None:
        return ""
    return value


def _csv(columns: list[str], rows: Iterable[tuple[Any, ...]]) -> tuple[str, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(neutralise_row(_cell(value) for value in row))
        count += 1
    return out.getvalue(), count


def _table(model: type[models.Model], **lookup: Any) -> tuple[str, int]:
    columns = [field.attname for field in model._meta.concrete_fields]
    return _csv(columns, model._default_manager.filter(**lookup).order_by("pk").values_list(*columns))


def case_ids(person: Person, within: Any) -> set[int]:
    """Every case among `within` (the requester's agency's) that the person is linked to, through any record."""
    ids: set[int] = set()
    for label, to_case, person_field in PERSON_LINKS:
        if to_case:
            model = apps.get_model(label)
            ids.update(
                model._default_manager.filter(
                    **{f"{person_field}_id": person.pk, f"{to_case}_id__in": within.values("pk")}
                )
                .values_list(f"{to_case}_id", flat=True)
                .distinct()
            )
    return ids


def build(person: Person, *, requested_by: Any) -> tuple[bytes, dict[str, int]]:
    """The ZIP and the number of rows in each of its files."""
    from saferhub import policy

    cases = sorted(case_ids(person, policy.subject_access_cases(requested_by)))
    files: dict[str, tuple[str, int]] = {}
    for name, label, field in PERSON_SOURCES:
        files[name] = _table(apps.get_model(label), **{field: person.pk})
    for label, to_case, person_field in PERSON_LINKS:
        model = apps.get_model(label)
        rows = model._default_manager.filter(**{f"{person_field}_id": person.pk})
        if to_case:
            # Links to other agencies' cases stay with those agencies; links with no case are the person's.
            rows = rows.filter(Q(**{f"{to_case}_id__in": cases}) | Q(**{f"{to_case}__isnull": True}))
        files[f"linked_{model._meta.model_name}"] = _table(model, pk__in=rows.values("pk"))
    for source in PERSON_RECORDS:
        files[source.title] = _table(apps.get_model(source.label), **{source.case_lookup: person.pk})
    for source in (*CASE_SOURCES, *FILE_SOURCES):
        model = apps.get_model(source.label)
        files[source.title] = _table(model, **{f"{source.case_lookup}__in": cases})
    counts = {name: count for name, (_, count) in files.items()}
    readme = (
        f"Subject access export for person {person.pk}, made {timezone.localtime():%-d %B %Y %H:%M} "
        f"by {getattr(requested_by, 'email', requested_by)}.\n\n"
        "Everything Saferhub holds about this person: the person, aliases, contact details and identifiers, "
        "every record linking them to a case or module (files linked_*), and every record of the "
        f"{len(cases)} case(s) of your agency they are linked to. Other agencies' cases are not included: "
        "each agency answers for the records it holds.\n\n"
        "REVIEW BEFORE RELEASE: case records also hold information about other people and about the "
        "agencies' work; remove what the person is not entitled to before anything is sent.\n\n"
        "Files (rows):\n" + "".join(f"  {name}.csv ({count})\n" for name, count in counts.items())
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, (text, _) in files.items():
            # A BOM so spreadsheet programs read the file as UTF-8.
            archive.writestr(f"{name}.csv", "\ufeff" + text)
    return buffer.getvalue(), counts


def register_members(partnership_id: int, text: str) -> Any:
    """Staff and volunteers on the registers (RJ Champions, practice leads, volunteers) whose name matches:
    they are not `people.Person` records, so a subject access request about them is answered from the
    register itself (the member's page lists everything held: details, Council membership, training)."""
    from saferhub.rj.models import Member

    words = text.split()
    if not words:
        return Member.objects.none()
    match = Q()
    for word in words:
        match &= Q(name__icontains=word)
    return Member.objects.filter(match, partnership_id=partnership_id, erased_at__isnull=True).order_by("name", "pk")
