"""Seed a partnership's reference codes from the CSV files shipped in ``reference_data/``.

Each file is named after its ``ReferenceList`` value. Seeding is idempotent: codes a
partnership lacks are added; codes it already has are left exactly as they are, so
an administrator's edited labels, sort order or disabled codes survive a re-seed.
"""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from saferhub.core.models import ReferenceCode, ReferenceList

REFERENCE_DATA_DIR = Path(__file__).resolve().parent / "reference_data"

# The shared code lists name their columns differently; first match wins.
_CODE_COLUMNS = ("code", "number")
_LABEL_COLUMNS = ("label", "short_name", "offence", "condition")
_NOTES_COLUMNS = ("notes", "source")


@dataclass(frozen=True)
class SeedRow:
    code: str
    label: str
    group: str
    notes: str
    sort_order: int


def _first(row: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        if row.get(name):
            return row[name].strip()
    return ""


def read_list(code_list: str) -> list[SeedRow]:
    """The rows of one shipped code list, in file order."""
    path = REFERENCE_DATA_DIR / f"{code_list}.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = []
        for position, row in enumerate(csv.DictReader(handle), start=1):
            code = _first(row, _CODE_COLUMNS)
            if not code:
                continue
            rows.append(
                SeedRow(
                    code=code[:50],
                    label=(_first(row, _LABEL_COLUMNS) or code)[:255],
                    group=row.get("group", "").strip()[:100],
                    notes=_first(row, _NOTES_COLUMNS)[:255],
                    sort_order=position * 10,
                )
            )
        return rows


def seed_reference_codes(partnership: Any) -> int:
    """Add any shipped codes the partnership does not have yet. Returns how many were added."""
    existing = set(ReferenceCode.objects.filter(partnership=partnership).values_list("code_list", "code"))
    new = [
        ReferenceCode(
            partnership=partnership,
            code_list=code_list,
            code=row.code,
            label=row.label,
            group=row.group,
            notes=row.notes,
            sort_order=row.sort_order,
        )
        for code_list in ReferenceList.values
        if (REFERENCE_DATA_DIR / f"{code_list}.csv").exists()
        for row in read_list(code_list)
        if (code_list, row.code) not in existing
    ]
    with transaction.atomic():
        ReferenceCode.objects.bulk_create(new)
    return len(new)
