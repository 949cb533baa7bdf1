"""The progress page of a background import, in Chromium: it follows the run by itself (htmx) and fits a phone."""

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.imports.models import ImportRun, ImportStatus

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def test_the_progress_page_follows_the_run(transactional_db, page, tmp_path):
    admin = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    admin.set_password(PASSWORD)
    admin.save()
    run = ImportRun.objects.create(
        partnership=admin.partnership,
        kind="organisations",
        filename="big.csv",
        started_at=timezone.now(),
        status=ImportStatus.RUNNING,
        rows_total=4000,
        rows_done=1000,
    )
    sign_in(page, admin.email, PASSWORD)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(reverse("imports:run", args=[run.pk]))
    assert page.get_by_role("heading", level=1).inner_text() == "Importing big.csv"
    page.get_by_text("1000 of about 4000 rows read (25%)").wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)

    # The worker moves on: the page shows it without being reloaded.
    ImportRun.objects.filter(pk=run.pk).update(rows_done=3000, error_count=1)
    page.get_by_text("3000 of about 4000 rows read (75%). 1 problem found so far.").wait_for(timeout=6000)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.SUCCEEDED, rows_done=4000, error_count=0, created_count=4000, finished_at=timezone.now()
    )
    page.get_by_text("4000 created, 0 updated, 0 unchanged").wait_for(timeout=6000)
    assert page.get_by_role("heading", level=1).inner_text() == "File imported"
    assert_accessible(page)
