"""The pack's crime dashboard section carries the analyst's commentary for the quarter (issue 10)."""

import datetime
import io

import docx
import pytest

from saferhub.boardpack.contents import PackSpec, build_contents
from saferhub.boardpack.document import render_docx
from saferhub.crime.models import Commentary
from saferhub.crime.tests.world import build_world

pytestmark = pytest.mark.django_db


def test_the_crime_section_prints_the_quarters_commentary():
    world = build_world()
    Commentary.objects.create(partnership=world.partnership, group="THEFT", quarter="2025/26 Q3", text="Shop thefts.")
    Commentary.objects.create(partnership=world.partnership, group="THEFT", quarter="2025/26 Q2", text="Older words.")
    spec = PackSpec(
        date_from=datetime.date(2025, 9, 1), date_to=datetime.date(2025, 11, 30), sections=["crime-dashboard"]
    )
    contents = build_contents(world.partnership, spec)
    (section,) = contents["sections"]
    assert section["report"] == "crime-dashboard" and section["figures"] is not None
    document = docx.Document(io.BytesIO(render_docx(contents, publish=False)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Shop thefts." in cells
    assert "Older words." not in cells
