"""Helpers for browser tests: signing in and axe accessibility checks in headless Chromium."""

from typing import Any

AXE_URL = "/static/saferhub/axe.min.js"


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    # Wait for the page the sign-in leads to, not only for the sign-in page's own load state.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _run_axe(page: Any) -> dict[str, Any]:
    """A click that navigates returns before the next page has loaded; a page still being replaced has no
    <head> to add the script to, or loses it mid-run. Wait for the page, and start again if it went."""
    from playwright.sync_api import Error

    for attempt in range(3):
        page.wait_for_load_state()
        try:
            page.add_script_tag(url=AXE_URL)
            return page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        except Error as error:
            navigating = "appendChild" in error.message or "context was destroyed" in error.message
            if not navigating or attempt == 2:
                raise
    raise AssertionError("unreachable")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (served from our own static files, so the strict CSP allows it) against the page."""
    result = _run_axe(page)
    found = []
    for violation in result["violations"]:
        nodes = [node for node in violation["nodes"] if not _known_govuk_issue(violation["id"], node)]
        if nodes:
            found.append(
                {
                    "id": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "nodes": [node["target"] for node in nodes][:5],
                }
            )
    return found


def _known_govuk_issue(rule: str, node: dict[str, Any]) -> bool:
    """GOV.UK Frontend's conditionally revealing radios carry aria-expanded, which ARIA does not allow on
    a radio; GOV.UK keeps it on purpose because screen readers announce it (govuk-frontend issue 979,
    a documented known issue). Only that one attribute on such a radio is let through."""
    if rule != "aria-allowed-attr" or "govuk-radios__input" not in node["html"] or "aria-controls" not in node["html"]:
        return False
    messages = [check["message"] for kind in ("any", "all", "none") for check in node.get(kind, [])]
    return bool(messages) and all("aria-expanded" in message for message in messages)


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found violations on {page.url}: {violations}"
    # expect() retries until the page settles: a page still loading after a redirect has no <h1> yet.
    from playwright.sync_api import expect

    expect(page.locator("h1"), f"{page.url} must have exactly one <h1>").to_have_count(1, timeout=5_000)


def sign_out(page: Any) -> None:
    """Forget the signed-in user. The tab leaves its page first: a poll still in flight (the notification
    count) would otherwise bring the session cookie back, since every response renews it."""
    page.goto("about:blank")
    page.context.clear_cookies()


def fill_date(scope: Any, label: str, value: Any) -> None:
    """Type a date (ISO text or a date; "YYYY-MM-DD HH:MM" for a date and time) into the GOV.UK date input
    whose legend is `label`: day, month and year boxes (and the time box). Text that is not a date goes
    in the day box, as a person might type it; "" clears the boxes."""
    group = scope.get_by_role("group", name=label, exact=True)
    if not group.count():
        group = scope.get_by_role("group", name=label)
    text = str(value).replace("T", " ").strip()
    day_part, _, time_part = text.partition(" ")
    pieces = day_part.split("-")
    if len(pieces) == 3 and all(piece.isdigit() for piece in pieces):
        year, month, day = pieces
        boxes = {"Day": str(int(day)), "Month": str(int(month)), "Year": year}
    else:
        boxes = {"Day": text, "Month": "", "Year": ""}
        time_part = ""
    if group.get_by_label("Time", exact=True).count():
        boxes["Time"] = time_part
    for box, typed in boxes.items():
        group.get_by_label(box, exact=True).fill(typed)
