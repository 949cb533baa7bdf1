"""Every benchmark, as one table of figure, budget, measured, reference and ratio (figures, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_bench .venv/bin/python bench/run.py
    make bench            # the same, on whatever DATABASE_URL points at

Pages are fetched through Django's test Client, so every request runs the real
middleware, view, policy and template: each page once to warm up, then --requests
times; the page figures are the p95 of the wall-clock milliseconds. Returns are
built (``ReportKind.build``, everything the database does) --runs times and the
median is reported, beside the median of a hand-written SQL query computing the
same numbers (bench/reference_sql.py); the ratio is measured / reference.

Who is measured (bench/generate.py makes them):
- a caseworker, ``p1-t1-u1``, who sees a few thousand of the partnership's cases;
- a hub worker, ``p1-hub-u1``, whose team owns every accepted hub referral's case;
- an ASB officer, ``p1-asb-u1``, whose team owns the partnership's ASB cases.
A figure whose user or data is missing is reported as "no data". On the SQLite demo
(``manage.py load_demo``) the demo caseworker is used for the case pages.

--explain prints EXPLAIN (ANALYZE, BUFFERS) of the case list's page query.
--only WORD limits the run to figures whose name contains WORD.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")
# Development settings, as the figures in docs/benchmarks.md were measured (no HTTPS redirect for the test Client).
os.environ.setdefault("DEBUG", "True")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from saferhub import policy  # noqa: E402
from saferhub.accounts.models import Partnership, User  # noqa: E402
from saferhub.cases.models import Case, Participant  # noqa: E402
from saferhub.core.keyset import KeysetPaginator  # noqa: E402
from saferhub.reporting.registry import get_report  # noqa: E402
from saferhub.victims.models import HubReferral  # noqa: E402

CASEWORKERS = ["p1-t1-u1@bench.saferhub.invalid", "caseworker@demo.saferhub.invalid"]
HUB_WORKER = "p1-hub-u1@bench.saferhub.invalid"
ASB_OFFICER = "p1-asb-u1@bench.saferhub.invalid"
MARAC_COORDINATOR = "p1-marac-u1@bench.saferhub.invalid"
PAGE_BUDGET_MS = 100.0
LIST_BUDGET_MS = 80.0
RETURN_BUDGET_S = 2.0
SEARCH_RATIO = 1.3
RETURN_RATIO = 1.5


@dataclass
class Figure:
    name: str
    budget: str
    measured: float | None = None  # ms for pages, s for returns
    reference: float | None = None
    unit: str = "ms"
    limit: float | None = None
    ratio_limit: float | None = None
    note: str = ""
    # The 1-minute load average when the figure was taken: the machine is shared.
    load: float = field(default_factory=lambda: os.getloadavg()[0])

    @property
    def ratio(self) -> float | None:
        if self.measured is None or not self.reference:
            return None
        return self.measured / self.reference

    @property
    def met(self) -> str:
        if self.measured is None:
            return self.note or "no data"
        ok = self.limit is None or self.measured < self.limit
        if self.ratio_limit is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.ratio_limit
        return "met" if ok else "NOT MET"


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


def user(email: str) -> User | None:
    return User.objects.filter(email=email).select_related("team", "agency", "partnership").first()


def client_for(account: User) -> Client:
    client = Client()
    client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
    return client


def fetch(client: Client, url: str) -> Any:
    """The response with its body read: a download streams, and its time is the time to send all of it."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def page_p95(client: Client, url: str, repeat: int) -> tuple[float | None, str]:
    first = fetch(client, url)
    if first.status_code != 200:
        return None, f"answered {first.status_code}"
    return percentile(timed(lambda: fetch(client, url), repeat), 95), ""


def cursor_of_page(base: Any, parts: list[Any], ordering: tuple[str, ...], number: int, refine: Any = None) -> str:
    """The ?after= cursor that opens page `number` (following "next" from the first page)."""
    paginator = KeysetPaginator(base, parts, ordering, 25, refine=refine)
    query = QueryDict()
    for _ in range(number - 1):
        page = paginator.page(query)
        if not page.has_next:
            break
        query = QueryDict(page.next_url.lstrip("?"))
    return query.urlencode()


def case_pages(figures: list[Figure], repeat: int, want: Callable[[str], bool]) -> None:
    from reference_sql import search_sql

    caseworker = next((u for u in map(user, CASEWORKERS) if u is not None), None)
    if caseworker is None:
        return
    sees = policy.visible_cases(caseworker).count()
    base = reverse("cases:list")
    case = policy.visible_cases(caseworker).order_by("-opened_on", "-pk").first()
    participant = Participant.objects.filter(case=case).select_related("person").first() if case else None
    surname = participant.person.last_name if participant else "Glenmorrow"
    misspelt = surname[:-2] + surname[-1] if len(surname) > 4 else surname
    page20 = cursor_of_page(Case.objects.all(), policy.visible_case_parts(caseworker), ("-opened_on", "-pk"), 20)
    client = client_for(caseworker)
    who = f"caseworker who sees {sees:,}"
    rows: list[tuple[str, str, float, float | None, Callable[[], float] | None]] = [
        (f"Case list, first page ({who})", base, LIST_BUDGET_MS, None, None),
        ("Case list, page 20", f"{base}?{page20}", LIST_BUDGET_MS, None, None),
        ("Case list, open and mine", f"{base}?status=open&assigned_to_me=on", LIST_BUDGET_MS, None, None),
        (
            f"Search by a common surname ({surname})",
            f"{base}?q={surname}",
            PAGE_BUDGET_MS,
            SEARCH_RATIO,
            lambda: search_sql(caseworker, surname, repeat),
        ),
        (f"Search by a misspelt surname ({misspelt})", f"{base}?q={misspelt}", PAGE_BUDGET_MS, None, None),
    ]
    search = reverse("search:results")
    rows += [
        (f"Header search, a surname ({surname})", f"{search}?q={surname}", PAGE_BUDGET_MS, None, None),
        (f"Header search, a misspelt surname ({misspelt})", f"{search}?q={misspelt}", PAGE_BUDGET_MS, None, None),
    ]
    if case is not None:
        prefix = case.reference.rsplit("-", 1)[0]
        rows += [
            ("Header search, a case reference", f"{search}?q={case.reference}", PAGE_BUDGET_MS, None, None),
            (f"Header search, a reference prefix ({prefix})", f"{search}?q={prefix}", PAGE_BUDGET_MS, None, None),
            (
                "Case list download, CSV",
                f"{base}?status=open&assigned_to_me=on&download=csv",
                PAGE_BUDGET_MS,
                None,
                None,
            ),
        ]
    if case is not None:
        rows += [
            ("Search by reference", f"{base}?q={case.reference}", PAGE_BUDGET_MS, None, None),
            ("Case detail", f"{base}{case.reference}/", PAGE_BUDGET_MS, None, None),
        ]
    for name, url, limit, ratio_limit, reference in rows:
        if not want(name):
            continue
        measured, note = page_p95(client, url, repeat)
        budget = f"p95 < {limit:.0f} ms" + (f", ≤ {ratio_limit}× raw SQL" if ratio_limit else "")
        figures.append(
            Figure(
                name,
                budget,
                measured,
                reference() if reference and measured is not None else None,
                limit=limit,
                ratio_limit=ratio_limit,
                note=note,
            )
        )


def hub_pages(figures: list[Figure], repeat: int, want: Callable[[str], bool]) -> None:
    worker = user(HUB_WORKER)
    if worker is None:
        return
    sees = policy.visible_hub_referrals(worker).count()
    client = client_for(worker)
    page20 = cursor_of_page(Case.objects.all(), policy.visible_case_parts(worker), ("-opened_on", "-pk"), 20)
    triage2 = cursor_of_page(
        HubReferral.objects.all(),
        policy.visible_hub_referral_parts(worker),
        ("first_contact_due_on", "referral__received_at", "pk"),
        2,
        refine=lambda qs: qs.awaiting_first_contact(),
    )
    who = f"hub worker who sees {sees:,} hub referrals"
    for name, url in (
        (f"Hub page (/victims/, {who})", reverse("victims:index")),
        ("Hub triage queue", reverse("victims:triage")),
        ("Hub open cases", reverse("victims:open-cases")),
        ("Hub triage queue, page 2", f"{reverse('victims:triage')}?{triage2}"),
        ("Case list, first page (hub worker)", reverse("cases:list")),
        ("Case list, page 20 (hub worker)", f"{reverse('cases:list')}?{page20}"),
        ("Referral inbox, awaiting decision (hub worker)", reverse("cases:referral-inbox")),
        ("Referral inbox, decided in 30 days (hub worker)", reverse("cases:referral-decided")),
    ):
        if want(name):
            measured, note = page_p95(client, url, repeat)
            figures.append(Figure(name, "p95 < 100 ms", measured, limit=PAGE_BUDGET_MS, note=note))


def panel_pages(figures: list[Figure], repeat: int, want: Callable[[str], bool]) -> None:
    coordinator = user(MARAC_COORDINATOR)
    if coordinator is None:
        return
    client = client_for(coordinator)
    for name, url in (
        ("Panel home (MARAC coordinator)", reverse("panels:index")),
        ("DA MARAC page with its referrals (100,000)", reverse("panels:type", kwargs={"code": "da_marac"})),
        ("Referral inbox, sent by my team (MARAC coordinator)", reverse("cases:referral-sent")),
    ):
        if want(name):
            measured, note = page_p95(client, url, repeat)
            figures.append(Figure(name, "p95 < 100 ms", measured, limit=PAGE_BUDGET_MS, note=note))


def asb_pages(figures: list[Figure], repeat: int, want: Callable[[str], bool]) -> None:
    officer = user(ASB_OFFICER)
    if officer is None:
        return
    client = client_for(officer)
    for name, url in (
        ("ASB case list (ASB officer)", reverse("asb:index")),
        ("ASB tools and powers register", reverse("asb:register")),
    ):
        if want(name):
            measured, note = page_p95(client, url, repeat)
            figures.append(Figure(name, "p95 < 100 ms", measured, limit=PAGE_BUDGET_MS, note=note))


def has_data(slug: str, partnership: Partnership) -> bool:
    from saferhub.asb.models import AsbCase
    from saferhub.missing.models import Episode
    from saferhub.panels.models import PanelReferral
    from saferhub.victims.models import HubReferral

    model: Any = {"victim-hub": HubReferral, "asb": AsbCase, "marac": PanelReferral, "missing": Episode}[slug]
    return model.objects.filter(partnership=partnership).exists()


def returns(figures: list[Figure], runs: int, want: Callable[[str], bool]) -> None:
    import reference_sql

    partnership = Partnership.objects.filter(slug="bench-p1").first()
    if partnership is None:
        return
    today = timezone.localdate()
    # The last whole financial year, and its last quarter.
    fy_start = datetime.date(today.year - (1 if today.month >= 4 else 2), 4, 1)
    year = (fy_start, datetime.date(fy_start.year + 1, 3, 31))
    quarter = (datetime.date(fy_start.year + 1, 1, 1), year[1])
    for slug, options, reference in (
        ("victim-hub", {}, reference_sql.victim_hub),
        ("asb", {}, reference_sql.asb),
        ("marac", {"panel_type": "da_marac"}, reference_sql.marac),
        # No hand-written SQL yet: the time alone (bench/missing_return.py times the JSON export too).
        ("missing", {}, None),
    ):
        for label, (date_from, date_to) in (("quarter", quarter), ("year", year)):
            name = f"Return {slug}, one {label}"
            if not want(name):
                continue
            kind = get_report(slug)
            if not has_data(slug, partnership):
                figures.append(Figure(name, "", note="no data (bench/generate.py does not make it yet)"))
                continue
            try:
                kind.build(partnership, date_from, date_to, **options)
            except Exception as exc:  # noqa: BLE001  a figure without data says why, the others still run
                figures.append(Figure(name, "", note=f"no data ({exc})"))
                continue
            measured = statistics.median(
                timed(lambda k=kind, f=date_from, t=date_to, o=options: k.build(partnership, f, t, **o), runs)
            )
            if reference is None:
                figures.append(
                    Figure(name, f"< {RETURN_BUDGET_S:.0f} s", measured / 1000, unit="s", limit=RETURN_BUDGET_S)
                )
                continue
            ref = statistics.median(
                timed(lambda f=date_from, t=date_to, r=reference: r(partnership, f, t), runs)  # type: ignore[misc]
            )
            figures.append(
                Figure(
                    name,
                    f"< {RETURN_BUDGET_S:.0f} s, ≤ {RETURN_RATIO}× SQL",
                    measured / 1000,
                    ref / 1000,
                    unit="s",
                    limit=RETURN_BUDGET_S,
                    ratio_limit=RETURN_RATIO,
                )
            )


def explain_list(account: User) -> str:
    paginator = KeysetPaginator(
        Case.objects.with_list_columns(), policy.visible_case_parts(account), ("-opened_on", "-pk"), 25
    )
    ids = paginator._ids(None, reverse=False)
    qs = Case.objects.with_list_columns().filter(pk__in=ids).order_by("-opened_on", "-pk")[:26]
    return qs.explain(analyze=True, buffers=True)


IMPORT_RATIO = 4.0  # the import takes at most 4× the time of COPY: at least 25% of its speed
BATCHED_IMPORT_ROWS = 2_000


def imports(figures: list[Figure], rows: int, want: Callable[[str], bool]) -> None:
    """Each import kind against PostgreSQL's COPY of the same file (bench/imports.py; rolled back)."""
    import imports as import_bench

    from saferhub.imports.registry import ImportKind, get_kind

    for kind in sorted(import_bench.WORLDS):
        # Kinds still written row by row take minutes a thousand rows on the loaded machine.
        setwise = type(get_kind(kind)).stage_sql is not ImportKind.stage_sql
        size = rows if setwise else min(rows, BATCHED_IMPORT_ROWS)
        figure = Figure(
            f"import {kind}, {size:,} rows (vs COPY)", "≥ 25% of COPY's speed", unit="s", ratio_limit=IMPORT_RATIO
        )
        figures.append(figure)
        if not want(figure.name):
            figures.pop()
            continue
        if connection.vendor != "postgresql":
            figure.note = "PostgreSQL only"
            continue
        measured = import_bench.measure(kind, size)
        figure.measured, figure.reference = measured["import_s"], measured["copy_s"]
        path = "set-wise" if setwise else "batched"
        figure.note = f"{path}; peak RSS {measured['peak_mb']:.0f} MB, load {measured['load']}"


def machine() -> str:
    load = os.getloadavg()
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()") if connection.vendor == "postgresql" else None
        version = cursor.fetchone()[0].split(" on ")[0] if connection.vendor == "postgresql" else "SQLite"
    return (
        f"{platform.node()}: {os.cpu_count()} cores, {version}, database {db['NAME']}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def print_table(figures: list[Figure]) -> None:
    header = (
        f"| {'Figure':<58} | {'Budget':<28} | {'Measured':>10} | {'Reference':>10} | {'Ratio':>6} | Result  | Load  |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for f in figures:
        fmt = (lambda v: f"{v:.2f} s") if f.unit == "s" else (lambda v: f"{v:.1f} ms")
        measured = fmt(f.measured) if f.measured is not None else "—"
        reference = fmt(f.reference) if f.reference is not None else "—"
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
        print(
            f"| {f.name:<58} | {f.budget:<28} | {measured:>10} | {reference:>10} | {ratio:>6} | {f.met:<7} "
            f"| {f.load:5.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per return (default 3)")
    parser.add_argument("--only", default="", help="only the figures whose name contains this text")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows per import file (default 100,000)")
    parser.add_argument("--explain", action="store_true", help="also print EXPLAIN ANALYZE of the case list page")
    args = parser.parse_args()

    def want(name: str) -> bool:
        return args.only.lower() in name.lower()

    print(f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}")
    figures: list[Figure] = []
    # The bench signs in with force_login: no second factor, and the test client's host is allowed.
    with override_settings(REQUIRE_TWO_FACTOR=False, ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        case_pages(figures, args.requests, want)
        hub_pages(figures, args.requests, want)
        asb_pages(figures, args.requests, want)
        panel_pages(figures, args.requests, want)
    returns(figures, args.runs, want)
    imports(figures, args.import_rows, want)
    print_table(figures)
    for figure in figures:
        if figure.name.startswith("import ") and figure.measured is not None:
            print(f"{figure.name}: {figure.note}")
    print(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.explain:
        account = next((u for u in map(user, CASEWORKERS) if u is not None), None)
        if account is not None:
            print("\nEXPLAIN ANALYZE of the case list's page query:\n")
            print(explain_list(account))


if __name__ == "__main__":
    main()
