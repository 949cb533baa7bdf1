"""Time the case pages as a signed-in caseworker (a benchmark that prints figures, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_bench .venv/bin/python bench/run.py
    make bench            # the same, on whatever DATABASE_URL points at

Pages are fetched through Django's test Client, so every request runs the real
middleware, view, policy and template. Each page is fetched once to warm up,
then --requests times; p50/p95 are wall-clock milliseconds per request. The
SQL query count is taken from one more request. A route that answers 404 is
reported as "not available". The policy's `visible_cases(user)` is also timed
directly (count, and the first page of 25).

The caseworker is the first bench user (bench/generate.py) when there is one,
else the demo caseworker (manage.py load_demo); --user picks another.
"""

import argparse
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
# Development settings, as the figures in docs/benchmarks.md were measured (no HTTPS redirect for the test Client).
os.environ.setdefault("DEBUG", "True")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from saferhub.accounts.models import User  # noqa: E402
from saferhub.cases.models import Participant  # noqa: E402
from saferhub.policy import visible_cases  # noqa: E402

DEFAULT_USERS = ["p1-t1-u1@bench.saferhub.invalid", "caseworker@demo.saferhub.invalid"]
PAGE_SIZE = 25


def percentile(samples: list[float], pct: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def case_list_url() -> str:
    try:
        return reverse("cases:list")
    except NoReverseMatch:
        return "/cases/"


def pick_user(email: str | None) -> User:
    for candidate in [email] if email else DEFAULT_USERS:
        user = User.objects.filter(email=candidate).select_related("team", "agency", "partnership").first()
        if user is not None:
            return user
    raise SystemExit(
        "No caseworker to sign in as: run bench/generate.py (or manage.py load_demo), or give --user EMAIL."
    )


def sample_queries(user: User) -> tuple[str, str]:
    """A reference the user can see (for search and detail) and a surname on one of their cases."""
    case = visible_cases(user).order_by("-opened_on", "-pk").first()
    if case is None:
        raise SystemExit(f"{user.email} can see no cases: nothing to measure.")
    person = Participant.objects.filter(case=case).select_related("person").first()
    surname = person.person.last_name if person else case.title.split()[0]
    return case.reference, surname


def measure_page(client: Client, label: str, url: str, repeat: int) -> dict[str, Any]:
    first = client.get(url)
    if first.status_code == 404:
        return {"label": label, "url": url, "note": "not available (404)"}
    if first.status_code != 200:
        return {"label": label, "url": url, "note": f"answered {first.status_code}"}
    samples = timed(lambda: client.get(url), repeat)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "label": label,
        "url": url,
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "queries": len(queries.captured_queries),
    }


def measure_policy(user: User, repeat: int) -> list[dict[str, Any]]:
    def count() -> int:
        return visible_cases(user).count()

    def first_page() -> list[Any]:
        qs = visible_cases(user).with_list_columns().select_related("assigned_to")  # type: ignore[attr-defined]
        return list(qs.order_by("-opened_on", "-pk")[:PAGE_SIZE])

    rows = []
    for label, fn in (("visible_cases(user).count()", count), ("visible_cases(user) first page", first_page)):
        fn()
        samples = timed(fn, repeat)
        rows.append(
            {
                "label": label,
                "url": "(ORM)",
                "p50": percentile(samples, 50),
                "p95": percentile(samples, 95),
                "queries": 1,
            }
        )
    return rows


def explain_list(user: User) -> str:
    """The plans of the list page's two queries: the paginator's count and the first page."""
    qs = visible_cases(user).with_list_columns().select_related("assigned_to")  # type: ignore[attr-defined]
    if connection.vendor != "postgresql":
        return qs.order_by("-opened_on", "-pk")[:PAGE_SIZE].explain()
    sql, params = visible_cases(user).order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # The SQL is Django's own compiled query; values stay parameters.
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({sql}) AS visible", params)  # noqa: S608
        count_plan = "\n".join(row[0] for row in cursor.fetchall())
    page_plan = qs.order_by("-opened_on", "-pk")[:PAGE_SIZE].explain(analyze=True, buffers=True)
    return f"-- count (paginator)\n{count_plan}\n\n-- first page of {PAGE_SIZE}\n{page_plan}"


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'What':<34} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>5}  URL")
    for row in rows:
        if "note" in row:
            print(f"{row['label']:<34} {row['note']:>24}  {row['url']}")
        else:
            print(f"{row['label']:<34} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['queries']:>5}  {row['url']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", help="e-mail of the caseworker to sign in as")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--explain", action="store_true", help="also print EXPLAIN ANALYZE of the list's queries")
    args = parser.parse_args()

    user = pick_user(args.user)
    reference, surname = sample_queries(user)
    db = connection.settings_dict
    print(
        f"Database: {connection.vendor} {db['NAME']}; cases in the partnership: "
        f"{user.partnership.cases.count():,}; visible to {user.email} ({user.team}): {visible_cases(user).count():,}"
    )
    print(f"{args.requests} timed requests per row after one warm-up.\n")

    # The bench signs in with force_login: no second factor, and the test client's host is allowed.
    with override_settings(REQUIRE_TWO_FACTOR=False, ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        base = case_list_url()
        pages = [
            ("Case list, first page", base),
            ("Case list, open and mine", f"{base}?status=open&assigned_to_me=on"),
            ("Case list, page 20", f"{base}?page=20"),
            (f"Search by name ({surname})", f"{base}?q={surname}"),
            ("Search by reference", f"{base}?q={reference}"),
            ("Case detail", f"{base}{reference}/"),
        ]
        rows = [measure_page(client, label, url, args.requests) for label, url in pages]
    rows += measure_policy(user, args.requests)
    print_table(rows)
    if args.explain:
        print("\nEXPLAIN ANALYZE of the case list's queries:\n")
        print(explain_list(user))


if __name__ == "__main__":
    main()
