"""Import speed against PostgreSQL's own `COPY` of the same file (a benchmark that prints figures, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_bench \\
        .venv/bin/python bench/imports.py --kind victim-hub-referrals --rows 100000,1000000

For each kind (default: every kind below) and size: builds a partnership set up for it (with the
test worlds' factories, so run it with the dev requirements), writes a deterministic synthetic
file of that many rows (streamed to disk), times `COPY` of the file into a bare table of text
columns, then times the import exactly as `manage.py import_records` runs it (binary file, one
transaction, DEBUG as set). Everything runs in one transaction that is rolled back, so nothing
is left in the database. Prints rows/s, the ratio to COPY, the process's peak resident set size
(run two sizes in one process to see memory stay flat) and the load average before and after.
`make bench` shows the same figures at 100,000 rows (bench/run.py).
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


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(kind: str, rows: int) -> dict[str, Any]:
    """COPY and import of a synthetic file of `rows` rows of `kind`, in one transaction rolled back at
    the end (nothing is left behind, so any database with the migrations will do). Constraints are
    checked as each statement ends (`SET CONSTRAINTS ALL IMMEDIATE`): the foreign-key checks a real
    import pays at commit are inside the timing."""
    from django.db import connection, transaction

    from saferhub.imports.registry import get_kind
    from saferhub.imports.runner import run_import

    with tempfile.TemporaryDirectory() as directory, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        partnership, generate = WORLDS[kind]()
        path = Path(directory) / f"{kind}.csv"
        count = write_file(path, generate(rows))
        copy_seconds, copied = copy_rate(path)
        load_before = load()
        started = time.perf_counter()
        with path.open("rb") as handle:
            result = run_import(
                get_kind(kind), handle, partnership=partnership, filename=path.name, create_organisations=True
            )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    if not result.ok:
        raise SystemExit(f"{kind}: import failed: {result.errors[:5]}")
    return {
        "kind": kind,
        "rows": count,
        "copy_s": copy_seconds,
        "import_s": elapsed,
        "summary": result.summary,
        "peak_mb": peak_mb(),
        "load": f"{load_before} → {load()}",
    }


def report(figure: dict[str, Any]) -> str:
    copy_rate_ = figure["rows"] / figure["copy_s"]
    rate = figure["rows"] / figure["import_s"]
    return (
        f"{figure['kind']:<22} {figure['rows']:>9,} rows  COPY {figure['copy_s']:7.1f} s {copy_rate_:9,.0f} rows/s  "
        f"import {figure['import_s']:7.1f} s {rate:9,.0f} rows/s  {rate / copy_rate_:6.1%} of COPY  "
        f"peak RSS {figure['peak_mb']:.0f} MB  load {figure['load']}"
    )


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=sorted(WORLDS), action="append", help="(repeatable; default every kind)")
    parser.add_argument("--rows", default="100000", help="comma-separated sizes, e.g. 100000,1000000")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run against PostgreSQL: the set-wise path is PostgreSQL's.")
    print(f"DEBUG={settings.DEBUG}; {os.cpu_count()} cores; load average {load()}")
    for kind in args.kind or sorted(WORLDS):
        for rows in (int(size) for size in args.rows.split(",")):
            print(report(measure(kind, rows)), flush=True)


if __name__ == "__main__":
    main()
