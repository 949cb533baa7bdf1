"""Issue 13's "done means": a partnership edits its CPW letter template and an officer issues one from an ASB case,
in headless Chromium, with axe on each page."""

import io

import docx
import pytest

from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.letters.models import IssuedLetter, LetterTemplate
from saferhub.letters.tests.world import letters_world

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return letters_world()


def test_an_administrator_edits_the_cpw_and_an_officer_issues_it(world, page, browser, live_server):
    sign_in(page, world.admin.email, PASSWORD)
    page.goto("/letters/templates/")
    assert_accessible(page)
    page.get_by_role("link", name="Change the Community Protection Warning").click()
    page.wait_for_load_state()
    assert_accessible(page)
    body = page.get_by_label("Wording")
    body.fill(body.input_value().replace("Dear {{ recipient.name }},", "Dear {{ recipient.nme }},"))
    page.get_by_role("button", name="Save the template").click()
    page.wait_for_load_state()
    assert "{{ recipient.nme }}, which is not a merge field" in page.content()
    assert_accessible(page)
    body = page.get_by_label("Wording")
    body.fill(
        body.input_value().replace("{{ recipient.nme }}", "{{ recipient.name }}")
        + "\n\nInvented closing line written by the partnership."
    )
    page.get_by_label("What you changed").fill("Added a closing line")
    page.get_by_role("button", name="Preview with example details").click()
    page.wait_for_load_state()
    assert "Dear Sam Example," in page.locator("#letter-preview").inner_text()
    page.get_by_role("button", name="Save the template").click()
    page.wait_for_load_state()
    assert LetterTemplate.objects.get(partnership=world.partnership, kind="cpw").revisions.count() == 2

    context = browser.new_context(base_url=live_server.url)
    officer = context.new_page()
    sign_in(officer, world.owner.email, PASSWORD)
    officer.goto(f"/asb/cases/{world.case.reference}/")
    officer.get_by_role("button", name="Issue a letter").click()  # a link styled and announced as a button
    officer.wait_for_load_state()
    assert_accessible(officer)
    officer.get_by_label("Community Protection Warning", exact=True).check()
    officer.get_by_label("Sid Testsubject (Subject or perpetrator)").check()
    officer.get_by_label("The tool or power it concerns").select_option(index=1)
    for part, value in (("day", "18"), ("month", "12"), ("year", "2026")):
        officer.locator(f'[name="deadline-{part}"]').fill(value)
    officer.get_by_role("button", name="Preview the letter").click()
    officer.wait_for_load_state()
    preview = officer.locator("#letter-preview").inner_text()
    assert "Dear Sid Testsubject," in preview and "Invented closing line written by the partnership." in preview
    assert_accessible(officer)
    officer.get_by_role("button", name="Issue the letter").click()
    officer.wait_for_load_state()
    assert "Community Protection Warning issued and filed on the case" in officer.content()
    assert_accessible(officer)
    letter = IssuedLetter.objects.get(case=world.case)
    with letter.file.open("rb") as handle:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs)
    assert "Invented closing line written by the partnership." in text and "18 December 2026" in text
    context.close()
