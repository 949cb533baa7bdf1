"""Search, exports, the case summary and attachments in headless Chromium, with axe checks."""

import datetime

import pytest

from saferhub.cases.models import Participant, ParticipantRole
from saferhub.cases.tests.test_case_world import build_world
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"  # noqa: S105 - test users only
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def world(transactional_db):
    w = build_world()
    w.person = PersonFactory(
        partnership=w.partnership, first_name="Rosalind", last_name="Thackeray", date_of_birth=datetime.date(1984, 5, 9)
    )
    Participant.objects.create(case=w.case, person=w.person, role=ParticipantRole.DIRECT_VICTIM)
    hidden = PersonFactory(partnership=w.partnership, first_name="Rosalind", last_name="Thackery")
    Participant.objects.create(case=w.restricted_case, person=hidden, role=ParticipantRole.WITNESS)
    return w


def _header_search(page, text):
    page.get_by_label("Search everywhere").fill(text)
    page.locator(".saferhub-header__search button").click()
    page.wait_for_load_state()


def test_search_export_summary_and_attachment(world, page, tmp_path):
    sign_in(page, world.teammate.email, PASSWORD)

    # A misspelt name finds the person, and nothing of the restricted case the teammate is not named on.
    _header_search(page, "Rosalind Thackerey")
    results = page.locator("main")
    assert results.get_by_role("link", name="Rosalind Thackeray").count() == 1
    assert "Thackery" not in results.inner_text().replace("Thackeray", "")
    assert results.get_by_role("link", name="WLD-2024-00001: Invented case one").count() == 1
    assert_accessible(page)

    # A case by its reference; the restricted one is not found.
    _header_search(page, "WLD-2024-00001")
    page.get_by_role("link", name="WLD-2024-00001: Invented case one").click()
    page.wait_for_load_state()
    assert page.url.endswith("/cases/WLD-2024-00001/")
    _header_search(page, "WLD-2024-00002")
    assert "Nothing found" in page.locator("main").inner_text()

    # The case list downloads as CSV.
    page.goto("/cases/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV file").click()
    download = download_info.value
    assert download.suggested_filename.startswith("cases-") and download.suggested_filename.endswith(".csv")
    saved = tmp_path / "cases.csv"
    download.save_as(saved)
    assert "WLD-2024-00001" in saved.read_text(encoding="utf-8-sig")
    assert "WLD-2024-00002" not in saved.read_text(encoding="utf-8-sig")

    # An attachment uploads, is listed on the case and downloads.
    page.goto("/cases/WLD-2024-00001/")
    page.get_by_role("link", name="Attach a file").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "Witness statement.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("What the file is").fill("Signed statement")
    page.get_by_role("button", name="Attach file").click()
    page.wait_for_load_state()
    assert "Witness statement.pdf was attached" in page.content()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Witness statement.pdf").click()
    saved = tmp_path / "statement.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes() == PDF

    # The printable summary lists the attachment and is accessible.
    page.get_by_role("link", name="Case summary and chronology").click()
    page.wait_for_load_state()
    assert "Witness statement.pdf" in page.content()
    assert_accessible(page)
