"""Helpers for browser tests: signing in and axe accessibility checks in headless Chromium."""

from typing import Any

AXE_URL = "/static/saferhub/axe.min.js"


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (served from our own static files, so the strict CSP allows it) against the page."""
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found violations on {page.url}: {violations}"
    assert page.locator("h1").count() == 1, f"{page.url} must have exactly one <h1>"


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
