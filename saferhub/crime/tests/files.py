"""Synthetic files in the published layouts (made-up counts) and a small world for the dashboard."""

import csv
import datetime
import io
from pathlib import Path
from typing import Any

from django.utils import timezone

from saferhub.crime.models import CrimeFile, Level, RecordedCrime

BOROUGH_HEADER = ["MajorText", "MinorText", "BoroughName"]
OLDER_HEADER = ["Borough", "Major Category", "Minor Category"]
WARD_HEADER = ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName"]
STREET_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[list[Any]], bom: bool = False) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def month_columns(first: str, count: int) -> list[str]:
    year, month = int(first[:4]), int(first[4:])
    out = []
    for _ in range(count):
        out.append(f"{year}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def source_file(partnership: Any) -> CrimeFile:
    return CrimeFile.objects.create(
        partnership=partnership, kind="police-recorded-crime", name="synthetic.csv", sha256="0" * 64,
        imported_at=timezone.now(),
    )  # fmt: skip


def add_series(
    partnership: Any,
    source: CrimeFile,
    area: tuple[str, str],
    major: str,
    minor: str,
    first: datetime.date,
    values: list[int],
    *,
    level: str = Level.BOROUGH,
    authority: str | None = None,
    ranked: bool = True,
) -> None:
    RecordedCrime.objects.bulk_create(
        RecordedCrime(
            partnership=partnership, level=level, area_code=area[0], area_name=area[1],
            authority_code=authority or area[0], ranked=ranked and level == Level.BOROUGH, major=major,
            minor=minor, month=add_months(first, index), count=value, source=source,
        )
        for index, value in enumerate(values)
    )  # fmt: skip
