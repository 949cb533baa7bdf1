"""Street-level crime import against PostgreSQL COPY, and the crime dashboard's p95 (a benchmark, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_crime_bench \\
        .venv/bin/python bench/crime_street.py --rows-per-month 90000 --months 36

Writes (once, then reuses) a synthetic file in the data.police.uk street layout: a whole
force's months (about 90,000 rows a month, over every London LSOA) with made-up codes
and counts. Then:

1. the reference: `COPY` of the same file into a bare table of twelve text columns;
2. `import_records police-street-crime` of the file for a partnership of one borough
   (its LSOAs a twentieth of the force's: the rest are skipped, as in real use), and
   the same file again (every row unchanged);
3. peak memory of this process, against the file's size (the import streams);
4. the dashboard for that borough, over synthetic MPS borough-level tables of all
   London (33 areas, 13 categories, 15 years): p50 and p95 of 50 runs.

Each figure is printed beside its reference. Use a database of its own; drop it after.
"""

import argparse
import datetime
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")

AREAS = 33
LSOAS_PER_AREA = 150
WARDS_PER_AREA = 24
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n"
)
TYPES = ["Anti-social behaviour", "Burglary", "Criminal damage and arson", "Drugs", "Other theft", "Robbery",
         "Shoplifting", "Vehicle crime", "Violence and sexual offences", "Public order"]  # fmt: skip
OUTCOMES = ["Under investigation", "Investigation complete; no suspect identified", "Unable to prosecute suspect", ""]
FORCE = "Metropolitan Police Service"


def lsoa_code(area: int, index: int) -> str:
    return f"E01{area:02d}{index:04d}"


def write_file(path: Path, rows_per_month: int, months: int) -> None:
    rng = random.Random(2026)  # noqa: S311 - synthetic data, not security
    first = datetime.date(2022, 12, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for m in range(months):
            index = first.year * 12 + first.month - 1 + m
            month = f"{index // 12}-{index % 12 + 1:02d}"
            lines = []
            for n in range(rows_per_month):
                area, lsoa = rng.randrange(AREAS), rng.randrange(LSOAS_PER_AREA)
                kind = rng.choice(TYPES)
                # Anti-social behaviour has no Crime ID; one row in fifty has no location.
                crime_id = "" if kind == "Anti-social behaviour" else f"{rng.getrandbits(256):064x}"
                if n % 50 == 0:
                    place = ",,No location,,"
                else:
                    place = (
                        f"{-0.5 + rng.random() * 0.7:.6f},{51.3 + rng.random() * 0.4:.6f},On or near Made-up Street,"
                        f"{lsoa_code(area, lsoa)},Inventedshire {area:03d}{lsoa:03d}"
                    )
                outcome = "" if kind == "Anti-social behaviour" else rng.choice(OUTCOMES)
                lines.append(f"{crime_id},{month},{FORCE},{FORCE},{place},{kind},{outcome},\n")
                if len(lines) >= 10_000:
                    out.writelines(lines)
                    lines = []
            out.writelines(lines)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:  # noqa: C901 - a script of steps
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows-per-month", type=int, default=90_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--file", default=str(BASE_DIR / "var" / "bench" / "street.csv"))
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--dashboard-only", action="store_true", help="time the dashboard again, nothing else")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from saferhub.accounts.models import Partnership
    from saferhub.accounts.partnerships import create_partnership
    from saferhub.places.models import Lsoa, Ward
    from saferhub.places.reference import london_local_authorities

    if connection.vendor != "postgresql":
        sys.exit("This benchmark compares with PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database.")
    from django.core.management import call_command

    # A database of its own, fresh or from an earlier run: bring its tables up to date.
    call_command("migrate", verbosity=0)
    path = Path(args.file)
    rows = args.rows_per_month * args.months
    marker = path.with_suffix(".rows")
    if not path.exists() or not marker.exists() or marker.read_text() != str(rows):
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_file(path, args.rows_per_month, args.months)
        marker.write_text(str(rows))
        print(f"wrote {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
    size_mb = path.stat().st_size / 1e6

    partnership = Partnership.objects.filter(slug="bench-crime").first() or create_partnership(
        "bench-crime", "Bench Crime Partnership"
    )
    authorities = [authority for authority in london_local_authorities()][:AREAS]
    ours = authorities[2]  # a borough of its own: one area of the force's 33
    partnership.areas = [ours.code]
    partnership.peer_group = [authority.code for authority in authorities[3:8]]
    partnership.save()
    area_index = authorities.index(ours)
    if not Lsoa.objects.filter(partnership=partnership).exists():
        Ward.objects.filter(partnership=partnership).delete()  # left by an interrupted run
        wards = Ward.objects.bulk_create(
            Ward(partnership=partnership, name=f"Bench ward {n}", code=f"E0599{n:04d}", local_authority_code=ours.code)
            for n in range(WARDS_PER_AREA)
        )
        Lsoa.objects.bulk_create(
            Lsoa(partnership=partnership, code=lsoa_code(area_index, n), name=f"Bench {n}", ward=wards[n % len(wards)])
            for n in range(LSOAS_PER_AREA)
        )

    if not args.dashboard_only:
        time_imports(path, rows, size_mb, partnership)
    time_dashboard(partnership, authorities, args.runs)


def time_imports(path: Path, rows: int, size_mb: float, partnership: Any) -> None:
    from django.db import connection

    from saferhub.crime.models import CrimeFile, StreetCrime
    from saferhub.imports.registry import get_kind

    # 1. The reference: COPY of the same file into a bare table.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_reference")
        cursor.execute(
            "CREATE TABLE bench_copy_reference (crime_id text, month text, reported_by text, falls_within text, "
            "longitude text, latitude text, location text, lsoa_code text, lsoa_name text, crime_type text, "
            "last_outcome text, context text)"
        )
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.cursor.copy("COPY bench_copy_reference FROM STDIN (FORMAT csv, HEADER true)") as copy,
        ):
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                copy.write(chunk)
        copy_seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy_reference")
    print(f"COPY into a bare table: {rows:,} rows in {copy_seconds:.1f} s ({rows / copy_seconds:,.0f} rows/s)")

    # 2. The import, then the same file again.
    StreetCrime.objects.filter(partnership=partnership).delete()
    CrimeFile.objects.filter(partnership=partnership, kind="police-street-crime").delete()
    kind = get_kind("police-street-crime")
    rss_before = peak_rss_mb()
    for label in ("import", "same file again"):
        started = time.perf_counter()
        with path.open("rb") as handle:
            (result,) = kind.run_files([(path.name, handle)], partnership=partnership)  # type: ignore[attr-defined]
        seconds = time.perf_counter() - started
        print(
            f"{label}: {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s), "
            f"{seconds / copy_seconds:.2f}x the COPY time (budget 4x); {result.summary}"
        )
    print(f"peak memory of this process: {peak_rss_mb():.0f} MB (before the imports {rss_before:.0f} MB); "
          f"file {size_mb:.0f} MB")  # fmt: skip


def time_dashboard(partnership: Any, authorities: list[Any], runs: int) -> None:
    from django.db import connection

    from saferhub.crime import dashboard
    from saferhub.crime.models import CrimeFile, Level, RecordedCrime, StreetCrime
    from saferhub.places.models import Population

    # 3. The dashboard on MPS-shaped borough tables for all London, 15 years of months.
    if not RecordedCrime.objects.filter(partnership=partnership).exists():
        source = CrimeFile.objects.create(
            partnership=partnership, kind="police-recorded-crime", name="bench", sha256="1" * 64,
            imported_at=datetime.datetime.now(tz=datetime.UTC),
        )  # fmt: skip
        rng = random.Random(7)  # noqa: S311 - synthetic data
        majors = [(f"MAJOR {m}", [f"MINOR {m}.{n}" for n in range(3)]) for m in range(13)]
        batch = []
        for authority in authorities:
            Population.objects.get_or_create(
                partnership=partnership, area_code=authority.code, measure="residents", year=2021,
                defaults={"value": rng.randrange(150_000, 450_000), "area_name": authority.name},
            )  # fmt: skip
            for major, minors in majors:
                for minor in minors:
                    for m in range(180):
                        index = 2011 * 12 + m
                        batch.append(
                            RecordedCrime(
                                partnership=partnership, level=Level.BOROUGH, area_code=authority.code,
                                area_name=authority.name, authority_code=authority.code, ranked=True, major=major,
                                minor=minor, month=datetime.date(index // 12, index % 12 + 1, 1),
                                count=rng.randrange(0, 300), source=source,
                            )
                        )  # fmt: skip
            RecordedCrime.objects.bulk_create(batch, batch_size=5000)
            batch = []
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE crime_recordedcrime")
    last = datetime.date(2025, 11, 30)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        dashboard.build(partnership, last.replace(day=1), last)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    counts = RecordedCrime.objects.filter(partnership=partnership).count()
    print(
        f"dashboard for one borough ({counts:,} monthly counts held, {StreetCrime.objects.count():,} street rows): "
        f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms (budget 300 ms)"
    )


if __name__ == "__main__":
    main()
