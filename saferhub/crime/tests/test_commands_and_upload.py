"""The crime kinds through the web import page, and `report` without --from."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.crime.models import RecordedCrime
from saferhub.crime.tests.files import BOROUGH_HEADER, month_columns, write_csv
from saferhub.crime.tests.test_pages import user_in
from saferhub.crime.tests.world import build_world

pytestmark = pytest.mark.django_db


def test_the_import_page_takes_a_published_file(client, tmp_path):
    world = build_world()
    path = write_csv(
        tmp_path / "MPS Borough Level Crime (most recent 24 months).csv",
        [*BOROUGH_HEADER, *month_columns("202601", 2)],
        [["THEFT", "SHOPLIFTING", "Barnet", 4, 5]],
    )
    client.force_login(user_in(world.partnership, [Role.ANALYST]))
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    response = client.post(reverse("imports:upload"), {"kind": "police-recorded-crime", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 created, 0 updated, 0 unchanged" in html
    assert RecordedCrime.objects.filter(month__year=2026).count() == 2
    bad = SimpleUploadedFile("bad.csv", b"MajorText,MinorText,BoroughName,202601\nTHEFT,SHOPLIFTING,Barnet,x\n")
    html = client.post(reverse("imports:upload"), {"kind": "police-recorded-crime", "file": bad}).content.decode()
    assert "line 2, column 202601: &#x27;x&#x27; is not a count" in html


def test_other_reports_still_need_from(capsys):
    build_world()
    with pytest.raises(CommandError, match="needs --from"):
        call_command("report", "caseload", "--to", "2025-11-30")
    call_command("report", "crime-dashboard", "--to", "2025-11-30", "--from", "2024-12-01")
    assert '"last_month": "2025-11"' in capsys.readouterr().out
