"""The `missing` return (missing children: episodes, strategy meetings, return home interviews) at scale
(figures, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_bench .venv/bin/python bench/missing_return.py

Needs the bench data of bench/generate.py (its missing episodes: 100,000 over five years by default in
`bench-p1`; `--missing-only` adds them to an older bench database). Times what `manage.py report missing
--format json` does (the return built in the database, the audit row of the export, the JSON rendered)
for the last whole financial year and its last quarter, --runs times each after one warm-up, and prints
the median in the table of bench/run.py, with the rows in the period, the queries one build runs and how
many of them the build runs per episode (a return's queries should not grow with its rows).
"""

import argparse
import datetime
import io
import os
import statistics
import sys
from functools import partial
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "bench"))

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from run import RETURN_BUDGET_S, Figure, machine, print_table, timed  # noqa: E402 (sets Django up)

from saferhub.accounts.models import Partnership  # noqa: E402
from saferhub.missing import config  # noqa: E402
from saferhub.missing.models import Episode  # noqa: E402
from saferhub.reporting.registry import get_report  # noqa: E402

SLUG = "bench-p1"


def periods(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """The last whole financial year and its last quarter (as bench/run.py)."""
    fy_start = datetime.date(today.year - (1 if today.month >= 4 else 2), 4, 1)
    year_end = datetime.date(fy_start.year + 1, 3, 31)
    return [("quarter", datetime.date(fy_start.year + 1, 1, 1), year_end), ("year", fy_start, year_end)]


def report_json(date_from: datetime.date, date_to: datetime.date) -> str:
    out = io.StringIO()
    call_command(
        "report", "missing", "--from", date_from.isoformat(), "--to", date_to.isoformat(), "--partnership", SLUG,
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per period (default 3)")
    args = parser.parse_args()

    partnership = Partnership.objects.filter(slug=SLUG).first()
    episodes = Episode.objects.filter(partnership=partnership)
    if partnership is None or not episodes.exists():
        raise SystemExit("No bench missing episodes: run bench/generate.py (or --missing-only) first.")
    print(f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}")
    print(f"{episodes.count():,} missing episodes in {SLUG}")
    figures: list[Figure] = []
    notes: list[str] = []
    kind = get_report("missing")
    for label, date_from, date_to in periods(timezone.localdate()):
        start, end = config.day_start(date_from), config.day_start(date_to + datetime.timedelta(days=1))
        in_period = episodes.missing_between(start, end)
        rows = in_period.count()
        report_json(date_from, date_to)  # warm up
        measured = statistics.median(timed(partial(report_json, date_from, date_to), args.runs))
        build = statistics.median(timed(partial(kind.build, partnership, date_from, date_to), args.runs))
        connection.queries_log.clear()  # the timed runs filled it (DEBUG): count from empty
        with CaptureQueriesContext(connection) as queries:
            result = kind.build(partnership, date_from, date_to)
        long = result["episodes"]["over_72_hours"]
        figures.append(
            Figure(
                f"report missing --format json, one {label} ({rows:,} episodes)",
                f"< {RETURN_BUDGET_S:.0f} s",
                measured / 1000,
                unit="s",
                limit=RETURN_BUDGET_S,
            )
        )
        notes.append(
            f"one {label} ({date_from:%-d %B %Y} to {date_to:%-d %B %Y}): build {build / 1000:.2f} s of the "
            f"{measured / 1000:.2f} s; {len(queries)} queries for {rows:,} episodes, {long:,} of them over 72 hours "
            f"({result['episodes']['strategy_meetings_due']:,} strategy meetings due)"
        )
    print_table(figures)
    for note in notes:
        print(note)
    print(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
