"""The sweep: every page of the demo in headless Chromium at 1280 and 375 px (issue 13).

Every URL pattern of the crawler's world is opened as the first user of the demo partnership who may
see it; the page must not scroll sideways at either width, and its visible text must hold no raw code
(`snake_case`), no ISO date and no generic message. Each form with a required field is then sent empty
(nothing is written: it cannot be valid) and its error page checked the same way.

Fast by design: one browser tab for the whole sweep; pages are served to it straight from Django's
test client through Playwright's request routing (no live server, so the world's transaction holds),
static files from the finders (requests the page makes itself, such as htmx polls, get nothing).
Each page is laid out once and measured at both widths.
"""

import mimetypes
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from saferhub.core.tests.crawl.test_form_fuzz import NOT_FUZZED, PLAIN_KWARGS
from saferhub.core.tests.crawl.world import FILL, url_patterns

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

ORIGIN = "http://saferhub.test"
WIDTHS = (1280, 375)

NOT_SWEPT = {
    **NOT_FUZZED,
    "core:keep-alive": "a POST for the idle sign-out warning, no page",
}

# Words with underscores people do read, and why.
ALLOWED_CODES = {
    "csrfmiddlewaretoken": "never visible; listed in case a page prints its form",
}
CODE = re.compile(r"(?<![\w@./:#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
ISO_DATE = re.compile(r"(?<![\w-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?(?![\w-])")
GENERIC = re.compile(
    r"This field is required|Enter a valid|Select a valid choice|Enter a whole number|Ensure this value|"
    r"Enter a number\.|---------"
)

# What the browser reports for a page: how wide it is laid out, and the text a person sees.
# Text in <code> is a code shown on purpose (to administrators: an import column, a set-up file key).
MEASURE = """() => {
  const main = document.querySelector("main") || document.body;
  const options = [...document.querySelectorAll("option")].map((o) => o.textContent.trim());
  const codes = [...document.querySelectorAll("code, kbd, samp")];
  codes.forEach((el) => { el.dataset.sweepDisplay = el.style.display; el.style.display = "none"; });
  const text = document.body.innerText;
  codes.forEach((el) => { el.style.display = el.dataset.sweepDisplay; });
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    widest: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 3)
      .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "")),
    text: text + "\\n" + options.join("\\n"),
    main: main.innerText.slice(0, 80),
  };
}"""


def _url(world: Any, name: str) -> str | None:
    fill = PLAIN_KWARGS.get(name) or (lambda w: FILL[name](w.everything) if name in FILL else {})
    try:
        return reverse(name, kwargs=fill(world))
    except (AttributeError, NoReverseMatch):  # no object of the kind, or parameters no page names
        return None


def _form(response: Any) -> forms.BaseForm | None:
    context = response.context
    found = context.get("form") if context is not None else None
    return found if isinstance(found, forms.BaseForm) and found.fields else None


class Server:
    """Answers the tab's requests: the page the sweep rendered with Django's test client (as whichever
    user it is using), and static files from the finders."""

    def __init__(self) -> None:
        self.client = Client()
        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def handle(self, route: Any, request: Any) -> None:
        path = urlsplit(request.url).path
        if path in self.pages:
            status, headers, body = self.pages.pop(path)
            route.fulfill(status=status, headers=headers, body=body)
            return
        if path.startswith("/static/"):
            found = finders.find(path.removeprefix("/static/"))
            if not found:
                route.fulfill(status=404, body=b"")
                return
            kind = "text/javascript" if path.endswith((".js", ".mjs")) else mimetypes.guess_type(path)[0]
            with open(found, "rb") as file:
                route.fulfill(
                    status=200, headers={"Content-Type": kind or "application/octet-stream"}, body=file.read()
                )
            return
        # Anything else (an htmx poll, a lazy fragment) gets nothing: the handler runs in Playwright's
        # greenlet, whose database connection would be outside the world's transaction.
        route.fulfill(status=204, body=b"")

    def show(self, path: str, response: Any) -> None:
        """Serve this response the next time the tab asks for the path."""
        self.pages[path] = (response.status_code, dict(response.headers), response.content)


def _problems(report: dict[str, Any], width: int, where: str) -> list[str]:
    problems = []
    if report["overflow"] > 0:
        problems.append(f"{where} at {width} px scrolls sideways by {report['overflow']} px ({report['widest']})")
    text = report["text"]
    codes = sorted({code for code in CODE.findall(text) if code not in ALLOWED_CODES})
    if codes:
        problems.append(f"{where} shows codes: {codes[:6]}")
    dates = sorted(set(ISO_DATE.findall(text)))
    if dates:
        problems.append(f"{where} shows ISO dates: {dates[:4]}")
    generic = sorted(set(GENERIC.findall(text)))
    if generic:
        problems.append(f"{where} shows generic messages: {generic}")
    return problems


def _measure(tab: Any, where: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        problems += _problems(tab.evaluate(MEASURE), width, where)
    return problems


def _first_page(world: Any, server: Server, clients: dict[Any, Client], url: str) -> Any:
    """The page as the first user of the demo (one of each role first) who may open it, or None."""
    others = [user for user in world.demo_users if user not in world.authorised]
    for user in [*world.authorised, *others]:
        if user not in clients:
            clients[user] = Client()
            clients[user].force_login(user)
        response = clients[user].get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            server.client = clients[user]
            return response
    return None


def _send_empty(server: Server, tab: Any, url: str, response: Any) -> list[str]:
    """Post the page's form empty when it has a required field (so it cannot be valid and nothing is
    written), and check the page with its error messages."""
    form = _form(response)
    if form is None or b'method="post"' not in response.content.lower():
        return []
    if not any(field.required and not field.widget.is_hidden for field in form.fields.values()):
        return []
    answer = server.client.post(url, {})
    if answer.status_code != 200 or not answer["Content-Type"].startswith("text/html"):
        return []
    path = urlsplit(url).path
    server.show(path, answer)
    tab.goto(ORIGIN + path)
    return _measure(tab, f"{url} (sent empty)")


def test_every_page_reads_well_at_1280_and_375_px(world, browser):
    if connection.vendor != "sqlite":
        # Layout and wording do not depend on the database; CI sweeps once, on SQLite, to keep within its time.
        pytest.skip("the sweep runs on SQLite only")
    server = Server()
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    csp: list[str] = []
    tab.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    tab.route(f"{ORIGIN}/**", server.handle)
    clients: dict[Any, Client] = {}
    problems: list[str] = []
    swept = 0
    try:
        for name, _ in sorted(url_patterns(), key=lambda item: item[0]):
            if name in NOT_SWEPT:
                continue
            url = _url(world, name)
            response = _first_page(world, server, clients, url) if url else None
            if response is None:
                continue
            swept += 1
            print(f"sweep {swept}: {url}", flush=True)  # noqa: T201 - progress, shown with -s
            server.show(urlsplit(url).path, response)
            tab.goto(ORIGIN + url)
            problems += _measure(tab, url)
            problems += _send_empty(server, tab, url, response)
    finally:
        context.close()
    assert swept > 100, f"only {swept} pages were swept: is the world built?"
    assert not csp, f"Content-Security-Policy violations: {csp[:5]}"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
