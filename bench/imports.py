"""Import speed against PostgreSQL's own `COPY` of the same file (a benchmark that prints figures, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_imports_bench \\
        .venv/bin/python bench/imports.py --kind victim-hub-referrals --rows 100000

For one kind: builds a partnership set up for it (with the test worlds' factories, so run it
with the dev requirements), writes a synthetic file of that many rows (streamed to disk),
times `COPY` of the file into a bare table of text columns, then times the import exactly
as `manage.py import_records` runs it (binary file, one transaction, DEBUG as set), then the
same file again (every row unchanged). Prints rows/s, the ratio to COPY and the process's
memory before and after (peak resident set size): run it at two sizes to see memory stay flat.
The database name must contain "bench": the script fills it with data it never deletes.
"""

import argparse
import csv
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def victim_hub_world() -> tuple[Any, Callable[[int], Iterator[dict[str, str]]]]:
    from saferhub.victims.synthetic import synthetic_row
    from saferhub.victims.tests.world import build_world

    world = build_world()

    def rows(count: int) -> Iterator[dict[str, str]]:
        rng = random.Random(1)  # noqa: S311 - synthetic data
        for number in range(1, count + 1):
            yield synthetic_row(number, rng, datetime.date(2021, 4, 1), 1000)

    return world.partnership, rows


def asb_cases_world() -> tuple[Any, Callable[[int], Iterator[dict[str, str]]]]:
    from saferhub.asb.tests.world import build_world
    from saferhub.core.models import ReferenceCode, ReferenceList

    world = build_world()
    categories = [c.code for c in ReferenceCode.objects.of(world.partnership, ReferenceList.ASB_CASE_CATEGORY)]

    def rows(count: int) -> Iterator[dict[str, str]]:
        rng = random.Random(1)  # noqa: S311 - synthetic data
        for number in range(1, count + 1):
            opened = datetime.date(2021, 4, 1) + datetime.timedelta(days=rng.randrange(1000))
            closed = opened + datetime.timedelta(days=rng.randrange(10, 200))
            yield {
                "external_ref": f"ASB-{number:07d}",
                "opened_on": opened.isoformat(),
                "category": rng.choice(categories),
                "closed_on": closed.isoformat() if closed < datetime.date(2024, 6, 1) else "",
                "ward": rng.choice(["Invented Ward", ""]),
                "location": f"{rng.randrange(1, 200)} Example Street",
                "subject_ref": f"S{rng.randrange(number + 1):07d}",
                "complainant_ref": f"C{rng.randrange(number + 1):07d}" if rng.random() < 0.7 else "",
            }

    return world.partnership, rows


def marac_world() -> tuple[Any, Callable[[int], Iterator[dict[str, str]]]]:
    from saferhub.panels.tests.world import build_world

    world = build_world()

    def rows(count: int) -> Iterator[dict[str, str]]:
        rng = random.Random(1)  # noqa: S311 - synthetic data
        for number in range(1, count + 1):
            referred = datetime.date(2021, 4, 1) + datetime.timedelta(days=rng.randrange(1000))
            yield {
                "external_ref": f"MAR-{number:07d}",
                "panel_type": "da_marac",
                "referral_date": referred.isoformat(),
                "victim_ref": f"V{rng.randrange(number + 1):07d}",
                "referring_agency": "Testshire Police",
                "children_in_household": str(rng.randrange(0, 4)),
                "relationship": "partner",
            }

    return world.partnership, rows


WORLDS = {
    "victim-hub-referrals": victim_hub_world,
    "asb-cases": asb_cases_world,
    "marac-referrals": marac_world,
}


def write_file(path: Path, rows: Iterator[dict[str, str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
                writer.writeheader()
            writer.writerow(row)
            count += 1
    return count


def copy_rate(path: Path) -> tuple[float, int]:
    """Seconds to COPY the file into a bare table of text columns (created and dropped here)."""
    from django.db import connection, transaction

    with path.open("rb") as handle:
        header = handle.readline().decode().strip().split(",")
    columns = ", ".join(f'"{name}" text' for name in header)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_copy ({columns})")
        started = time.perf_counter()
        with path.open("rb") as handle, cursor.cursor.copy("COPY bench_copy FROM STDIN (FORMAT csv, HEADER)") as copy:
            while block := handle.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_copy")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy")
    return elapsed, count


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from saferhub.imports.registry import get_kind
    from saferhub.imports.runner import run_import

    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=sorted(WORLDS), default="victim-hub-referrals")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--again", action="store_true", help="import the same file a second time (all unchanged)")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or "bench" not in settings.DATABASES["default"]["NAME"]:
        raise SystemExit("Run against a PostgreSQL database whose name contains 'bench'.")

    partnership, rows = WORLDS[args.kind]()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{args.kind}.csv"
        count = write_file(path, rows(args.rows))
        size = path.stat().st_size / 1e6
        copy_seconds, copied = copy_rate(path)
        copy_per_s = copied / copy_seconds
        print(f"{args.kind}: {count:,} rows, {size:.0f} MB; DEBUG={settings.DEBUG}")
        print(f"  COPY into a bare table: {copy_seconds:7.1f} s  {copy_per_s:9,.0f} rows/s")
        runs = ["import", "same file again"] if args.again else ["import"]
        for label in runs:
            before = peak_mb()
            started = time.perf_counter()
            with path.open("rb") as handle:
                result = run_import(
                    get_kind(args.kind), handle, partnership=partnership, filename=path.name, create_organisations=True
                )
            elapsed = time.perf_counter() - started
            if not result.ok:
                raise SystemExit(f"import failed: {result.errors[:5]}")
            print(
                f"  {label + ':':<22} {elapsed:7.1f} s  {count / elapsed:9,.0f} rows/s  "
                f"{count / elapsed / copy_per_s:6.1%} of COPY  ({result.summary}); "
                f"peak memory {before:.0f} MB before, {peak_mb():.0f} MB after"
            )


if __name__ == "__main__":
    main()
