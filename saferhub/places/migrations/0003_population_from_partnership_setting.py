"""Move each partnership's `women_aged_16_plus` setting into a population figure.

The setting had no year and no area, so the figure is filed under the partnership's
only area when it has exactly one, otherwise as a figure for the partnership as a
whole (area code blank), with the year this migration runs. The old field is left in
place, deprecated and no longer read (accounts owns it).
"""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    Population = apps.get_model("places", "Population")
    year = timezone.now().year
    for partnership in Partnership.objects.filter(women_aged_16_plus__isnull=False):
        areas = partnership.areas or []
        code = areas[0].strip().upper() if len(areas) == 1 else ""
        if Population.objects.filter(partnership=partnership, area_code=code, measure="women_16_plus").exists():
            continue
        Population.objects.create(
            partnership=partnership,
            area_code=code,
            area_name=partnership.name[:100],
            year=year,
            measure="women_16_plus",
            value=partnership.women_aged_16_plus,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_partnership_areas_and_peer_group"),
        ("places", "0002_ward_codes_lsoas_and_population"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
