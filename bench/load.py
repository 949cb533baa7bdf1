"""Load benchmark: signed-in caseworkers on the production server (gunicorn, DEBUG off, PostgreSQL).

A benchmark that prints figures, not a test. Each simulated caseworker signs in through the
real sign-in and two-factor pages (password, then the current TOTP code of their own device,
computed with django_otp), then works: the case list, a case page, a search and adding a note,
with 1–4 seconds of thinking between requests. At the end it prints, per request kind and in
total, the number of requests, errors, median and 95th percentile, and whether the budget
(p95 < 500 ms, no errors) is met.

    # once: a PostgreSQL database with the demo partnership and the load users
    createdb -h 127.0.0.1 -U postgres saferhub_load
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_load
    .venv/bin/python manage.py migrate
    DEBUG=True SAFERHUB_DEMO=1 .venv/bin/python manage.py load_demo
    .venv/bin/python bench/load_users.py --users 200

    # the run: starts gunicorn on --port, drives it, stops it
    .venv/bin/python bench/load.py --users 200 --minutes 10 --port 8000

The server runs with production settings (DEBUG=False, a random SECRET_KEY, secure cookies,
HSTS). On loopback there is no TLS, so the server is told it sits behind a TLS-terminating
proxy (BEHIND_PROXY=1) and every request carries `X-Forwarded-Proto: https`, as the proxy
would send; the client sends its secure cookies back over loopback as the proxy would.
`--no-serve --host URL` drives a server you started yourself. The request statistics start
once every user is signed in (sign-in is reported on its own).
"""

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopUser
from locust.stats import StatsEntry
from requests.cookies import RequestsCookieJar

BASE_DIR = Path(__file__).resolve().parent.parent
USERS_FILE = BASE_DIR / "var" / "load-users.json"
BUDGET_MS = 500
TASKS = ["case list", "case page", "search", "add note (form)", "add note"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/([A-Za-z]{1,10}-\d{4}-\d{1,9})/"')
SEARCH_WORDS = ["burglary", "support", "Test", "harassment", "VCH", "noise", "a"]

_accounts: list[dict[str, str]] = []
_signin_stats: dict[str, Any] = {}


class BehindTLSProxy(RequestsCookieJar):
    """Keep secure cookies for loopback: the TLS-terminating proxy would send them on."""

    def set_cookie(self, cookie: Any, *args: Any, **kwargs: Any) -> None:
        cookie.secure = False
        super().set_cookie(cookie, *args, **kwargs)


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    if match is None:
        raise StopUser("no CSRF token on the page")
    return match.group(1)


class Caseworker(HttpUser):
    wait_time = between(1, 4)

    def on_start(self) -> None:
        account = _accounts.pop()
        self.client.cookies = BehindTLSProxy()
        origin = f"https://{urlsplit(self.host).netloc}"
        self.client.headers.update({"X-Forwarded-Proto": "https", "Referer": f"{origin}/"})
        self.references: list[str] = []
        page = self.client.get("/sign-in/", name="sign in")
        page = self.client.post(
            "/sign-in/",
            {"username": account["email"], "password": account["password"], "csrfmiddlewaretoken": _csrf(page.text)},
            name="sign in",
        )
        if "/two-factor/" not in page.url:
            raise StopUser(f"{account['email']}: the password was not accepted")
        # Imported here, after locust's gevent patching: django_otp brings Django in with it.
        from django_otp.oath import TOTP

        code = f"{TOTP(bytes.fromhex(account['key'])).token():06d}"
        page = self.client.post(
            "/sign-in/two-factor/", {"code": code, "csrfmiddlewaretoken": _csrf(page.text)}, name="sign in"
        )
        if "/sign-in/" in urlsplit(page.url).path:
            raise StopUser(f"{account['email']}: the two-factor code was not accepted")
        _signed_in_one(self.environment)
        self.case_list()

    def _remember(self, html: str) -> None:
        found = CASE_LINK.findall(html)
        if found:
            self.references = found

    @task(3)
    def case_list(self) -> None:
        with self.client.get("/cases/", name="case list", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"case list: {response.status_code}")
                return
            self._remember(response.text)

    @task(4)
    def case_page(self) -> None:
        if not self.references:
            return
        reference = random.choice(self.references)  # noqa: S311 - choosing a page, not a secret
        self.client.get(f"/cases/{reference}/", name="case page")

    @task(2)
    def search(self) -> None:
        word = random.choice(SEARCH_WORDS)  # noqa: S311 - choosing a word, not a secret
        self.client.get("/cases/", params={"q": word}, name="search")

    @task(1)
    def add_note(self) -> None:
        if not self.references:
            return
        reference = random.choice(self.references)  # noqa: S311 - choosing a case, not a secret
        page = self.client.get(f"/cases/{reference}/notes/new/", name="add note (form)")
        if page.status_code != 200:
            return  # a case the user may read but not add to: nothing to post
        with self.client.post(
            f"/cases/{reference}/notes/new/",
            {"text": "Load benchmark note: synthetic text.", "csrfmiddlewaretoken": _csrf(page.text)},
            name="add note",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"add note: {response.status_code}")


_signed_in = {"count": 0, "target": 0}


def _signed_in_one(environment: Any) -> None:
    """Once every user has signed in, keep the sign-in figures and measure the working pages from then on."""
    _signed_in["count"] += 1
    if _signed_in["count"] != _signed_in["target"]:
        return
    stats = environment.stats
    entry = stats.get("sign in", "POST")
    _signin_stats.update(
        requests=entry.num_requests,
        failures=entry.num_failures + stats.get("sign in", "GET").num_failures,
        p95=entry.get_response_time_percentile(0.95) if entry.num_requests else 0,
    )
    stats.reset_all()
    _signed_in["measuring_since"] = time.monotonic()
    print(f"{_signed_in['count']} users signed in; measuring from now", flush=True)


_environment: Any = None


def _serve(port: int, workers: int, conn_max_age: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_PROXY": "True",
        "SAFERHUB_DEMO": "",
        "DATABASE_CONN_MAX_AGE": str(conn_max_age),
    }
    # As `make serve` does: WhiteNoise serves the collected, hashed static files with DEBUG off.
    python = str(BASE_DIR / ".venv" / "bin" / "python")
    collect = [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collect, cwd=BASE_DIR, env=env, check=True)  # noqa: S603 - our own fixed command
    command = [
        str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
        "saferhub.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "/dev/null",
        # Its own control socket, not the shared default in the home directory.
        "--control-socket",
        str(BASE_DIR / "var" / f"gunicorn-load-{port}.ctl"),
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603 - our own fixed command
    for _ in range(60):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 30 seconds")


def _row(name: str, entry: StatsEntry) -> str:
    p50 = entry.get_response_time_percentile(0.5) if entry.num_requests else 0
    p95 = entry.get_response_time_percentile(0.95) if entry.num_requests else 0
    return f"{name:<18} {entry.num_requests:>9} {entry.num_failures:>7} {p50:>8.0f} {p95:>8.0f}"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load benchmark: signed-in caseworkers against gunicorn")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--minutes", type=float, default=10, help="measured time, after every user signed in")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--sign-in-timeout", type=float, default=600, help="seconds after spawning for every user to be signed in"
    )
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE for the server (persistent connections)"
    )
    parser.add_argument("--no-serve", action="store_true", help="drive a server already running at --host")
    parser.add_argument("--host", help="default http://127.0.0.1:PORT")
    parser.add_argument("--accounts", default=str(USERS_FILE), help="written by bench/load_users.py")
    return parser.parse_args()


def _drive(args: argparse.Namespace, host: str) -> tuple[float, float]:
    """Run the users until --minutes after the last one signed in; (minutes in all, minutes measured)."""
    global _environment
    _environment = Environment(user_classes=[Caseworker], events=events, host=host)
    runner = _environment.create_local_runner()
    started = time.monotonic()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    _signed_in["target"] = args.users

    def stop_when_measured() -> None:
        deadline = started + args.users / args.spawn_rate + args.sign_in_timeout
        while "measuring_since" not in _signed_in and time.monotonic() < deadline:
            gevent.sleep(1)
        gevent.sleep(args.minutes * 60)
        runner.quit()

    gevent.spawn(stop_when_measured)
    runner.greenlet.join()
    now = time.monotonic()
    return (now - started) / 60, (now - _signed_in.get("measuring_since", now)) / 60


def _report(args: argparse.Namespace, host: str, served: bool, elapsed: float, measured_for: float) -> None:
    stats = _environment.stats
    measured = StatsEntry(stats, "working pages", None)
    print(f"\n{args.users} users, {measured_for:.1f} min measured ({elapsed:.1f} min in all), {host}")
    if served:
        database = os.environ.get("DATABASE_URL", "(default)")
        print(f"gunicorn, {args.workers} workers, DEBUG off, CONN_MAX_AGE {args.conn_max_age}, database {database}")
    print(f"load average at the end: {' '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'Request':<18} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for (name, method), entry in sorted(stats.entries.items()):
        if name == "sign in":
            continue
        print(_row(f"{name}" if method == "GET" else f"{name} ({method})", entry))
        if name in TASKS:
            measured.extend(entry)
    print(_row("working pages", measured))
    print(
        f"sign in: {_signin_stats.get('requests', 0)} POSTs, {_signin_stats.get('failures', 0)} errors, "
        f"p95 {_signin_stats.get('p95', 0):.0f} ms"
    )
    not_signed_in = args.users - _signed_in["count"]
    errors = stats.total.num_failures + _signin_stats.get("failures", 0) + not_signed_in
    p95 = measured.get_response_time_percentile(0.95) if measured.num_requests else float("inf")
    verdict = "within" if p95 < BUDGET_MS and errors == 0 else "OVER"
    print(f"p95 {p95:.0f} ms, {errors} errors: {verdict} budget (p95 < {BUDGET_MS} ms, 0 errors)")
    for error in stats.errors.values():
        print(f"  {error.occurrences} x {error.method} {error.name}: {error.error}")
    if not_signed_in:
        print(f"{not_signed_in} of {args.users} users did not sign in in time; measuring never started")
    for exception in _environment.runner.exceptions.values():
        print(f"  {exception['count']} x {exception['msg']}")


def main() -> None:
    args = _arguments()
    accounts = json.loads(Path(args.accounts).read_text(encoding="utf-8"))
    if len(accounts) < args.users:
        sys.exit(f"{args.accounts} has {len(accounts)} users; run bench/load_users.py --users {args.users}")
    _accounts.extend(accounts[: args.users])
    host = args.host or f"http://127.0.0.1:{args.port}"
    server = None if args.no_serve else _serve(args.port, args.workers, args.conn_max_age)
    try:
        elapsed, measured_for = _drive(args, host)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    _report(args, host, server is not None, elapsed, measured_for)


if __name__ == "__main__":
    main()
