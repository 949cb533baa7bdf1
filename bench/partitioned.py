"""The largest tables partitioned by partnership: the same queries on a partitioned copy (figures, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_bench .venv/bin/python bench/partitioned.py

Copies ``cases_case`` and ``victims_hubreferral`` of the bench data into a schema
``bench_part`` as tables partitioned by LIST (partnership_id), one partition per
partnership, with the indexes the application relies on (a primary key or unique key
on a partitioned table must hold the partition key, so ``id`` becomes
``(id, partnership_id)``). The application's own queries then run twice, once with
``search_path`` = ``public`` and once with ``bench_part`` first (Django does not name
the schema, so the same SQL reads the partitioned tables), and the script prints both
times and the difference. ``--drop`` removes the schema. See docs/scaling.md.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from saferhub import policy  # noqa: E402
from saferhub.accounts.models import Partnership, User  # noqa: E402
from saferhub.cases.models import Case  # noqa: E402
from saferhub.core.keyset import KeysetPaginator  # noqa: E402
from saferhub.victims.report import build as victim_hub_return  # noqa: E402

SCHEMA = "bench_part"
TABLES: dict[str, list[str]] = {
    "cases_case": [
        "PRIMARY KEY (id, partnership_id)",
        "CREATE INDEX ON {t} (partnership_id, owning_team_id, opened_on DESC, id DESC)",
        "CREATE INDEX ON {t} (partnership_id, owning_team_id, status)",
        "CREATE INDEX ON {t} (partnership_id, opened_on DESC, id DESC)",
        "CREATE INDEX ON {t} (upper(reference))",
    ],
    "victims_hubreferral": [
        "PRIMARY KEY (id, partnership_id)",
        "CREATE UNIQUE INDEX ON {t} (referral_id, partnership_id)",
        "CREATE INDEX ON {t} (partnership_id, received_on)",
        "CREATE INDEX ON {t} (partnership_id, first_contact_due_on, id) "
        "WHERE first_contact_on IS NULL AND first_contact_due_on IS NOT NULL",
    ],
}


def execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def build_copy() -> None:
    execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    execute(f"CREATE SCHEMA {SCHEMA}")
    partnerships = list(Partnership.objects.values_list("pk", flat=True))
    for table, ddl in TABLES.items():
        target = f"{SCHEMA}.{table}"
        started = time.perf_counter()
        execute(
            f"CREATE TABLE {target} (LIKE public.{table} INCLUDING DEFAULTS, {ddl[0]}) PARTITION BY LIST (partnership_id)"
        )
        for pk in partnerships:
            execute(f"CREATE TABLE {target}_p{pk} PARTITION OF {target} FOR VALUES IN ({pk})")
        for statement in ddl[1:]:
            execute(statement.format(t=target))
        execute(f"INSERT INTO {target} SELECT * FROM public.{table}")  # noqa: S608  (table names are constants)
        execute(f"ANALYZE {target}")
        print(
            f"  {target}: {len(partnerships)} partitions, copied in {time.perf_counter() - started:.0f} s", flush=True
        )


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def on(schema: str, fn: Callable[[], Any], runs: int) -> float:
    execute(f"SET search_path TO {schema}")
    try:
        return median_ms(fn, runs)
    finally:
        execute("SET search_path TO public")


def figures(runs: int) -> list[tuple[str, Callable[[], Any], int]]:
    rows: list[tuple[str, Callable[[], Any], int]] = []
    for label, email in (
        ("caseworker", "p1-t1-u1@bench.saferhub.invalid"),
        ("hub worker", "p1-hub-u1@bench.saferhub.invalid"),
    ):
        user = User.objects.filter(email=email).first()
        if user is None:
            continue

        def page(u: User = user) -> list[Any]:
            paginator = KeysetPaginator(
                Case.objects.with_list_columns(), policy.visible_case_parts(u), ("-opened_on", "-pk"), 25
            )
            return paginator.page(QueryDict()).object_list

        rows.append((f"Case list, first page ({label}), ms", page, runs * 5))
    partnership = Partnership.objects.filter(slug="bench-p1").first()
    if partnership is not None:
        quarter = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
        rows.append(
            (
                "Return victim-hub, one quarter, ms",
                lambda: victim_hub_return(partnership, *quarter),
                runs,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="measure on the copy already made")
    parser.add_argument("--drop", action="store_true", help="drop the partitioned copy and stop")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/partitioned.py needs PostgreSQL (the bench database).")
    if args.drop:
        execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        return
    if not args.reuse:
        print("Copying the largest tables into partitioned tables …", flush=True)
        build_copy()
    print(f"\n| {'Figure':<44} | {'plain':>9} | {'partitioned':>11} | {'difference':>10} |")
    print(f"|{'-' * 46}|{'-' * 11}|{'-' * 13}|{'-' * 12}|")
    for name, fn, runs in figures(args.runs):
        plain = on("public", fn, runs)
        parted = on(f"{SCHEMA}, public", fn, runs)
        print(f"| {name:<44} | {plain:>9.1f} | {parted:>11.1f} | {(parted - plain) / plain:>+9.0%} |", flush=True)
    print(f"Load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
