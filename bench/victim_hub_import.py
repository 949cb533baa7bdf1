"""Time `import_records victim-hub-referrals` on a synthetic file (a benchmark that prints figures, not a test).

    .venv/bin/python bench/victim_hub_import.py --rows 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_bench .venv/bin/python bench/victim_hub_import.py

Creates (or reuses) the partnership "bench-vch" with a hub team, writes a synthetic
file, imports it, imports it again (every row unchanged), then times the quarterly
return over the whole period.
"""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")


def main() -> None:
    import django

    django.setup()
    from saferhub.accounts.models import Agency, Partnership, Team
    from saferhub.accounts.partnerships import create_partnership
    from saferhub.imports.registry import get_kind
    from saferhub.imports.runner import run_import
    from saferhub.victims.actions import set_hub_team
    from saferhub.victims.report import build
    from saferhub.victims.synthetic import synthetic_csv

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    partnership = Partnership.objects.filter(slug="bench-vch").first() or create_partnership("bench-vch", "Bench VCH")
    council, _ = Agency.objects.get_or_create(partnership=partnership, name="Bench Council")
    team, _ = Team.objects.get_or_create(partnership=partnership, agency=council, name="Victim Care Hub")
    set_hub_team(None, partnership, team)
    text = synthetic_csv(args.rows, seed=int(time.time()))
    kind = get_kind("victim-hub-referrals")
    for label in ("first import", "same file again"):
        started = time.perf_counter()
        result = run_import(
            kind, io.StringIO(text), partnership=partnership, filename="bench.csv", create_organisations=True
        )
        elapsed = time.perf_counter() - started
        print(f"{label}: {args.rows} rows in {elapsed:.2f} s ({result.summary}; errors: {result.error_count})")
    started = time.perf_counter()
    build(partnership, datetime.date(2021, 4, 1), datetime.date(2024, 3, 31))
    print(f"return over three years: {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
