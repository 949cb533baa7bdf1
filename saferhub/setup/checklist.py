"""What a partnership still lacks before its imports and pages work, each with the page that fixes it.

A bounded number of queries whatever the partnership's size: one per duty kind, one for
wards and one for population.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from saferhub.accounts import duties
from saferhub.accounts.models import Partnership
from saferhub.places.models import PopulationMeasure, Ward
from saferhub.places.population import partnership_population


@dataclass(frozen=True)
class Item:
    title: str
    done: bool
    status: str  # what is there now, in words
    hint: str  # what it is for, and the command that also does it
    url: str  # the page that fixes it
    link_text: str


def checklist(partnership: Partnership) -> list[Item]:
    items = []
    for duty in duties.duties_of(partnership):
        team = duty.team
        items.append(
            Item(
                title=duty.label,
                done=team is not None,
                status=f"{team.name} ({team.agency.name})" if team is not None else "No team holds this duty yet",
                hint=f"{duty.description} Duty {duty.code} in the set-up file.",
                url=reverse("setup:duty", args=[duty.code]),
                link_text=f"Choose the team for {duty.label}" if team is None else f"Change the team for {duty.label}",
            )
        )
    areas = partnership.areas or []
    items.append(
        Item(
            title="Local authority areas",
            done=bool(areas),
            status=", ".join(areas) if areas else "No areas yet",
            hint="The ONS codes of the local authorities the partnership covers: the geography import keeps "
            "their wards, and crime data is read for them. areas in the set-up file.",
            url=reverse("setup:areas"),
            link_text="Set the areas and peer group",
        )
    )
    ward_count = Ward.objects.filter(partnership=partnership, active=True).count()
    items.append(
        Item(
            title="Wards",
            done=ward_count > 0,
            status=f"{ward_count} ward{'s' if ward_count != 1 else ''}" if ward_count else "No wards yet",
            hint="Imports and cases name wards. Load the ONS lookup of LSOAs to wards on the Wards page or with "
            "manage.py import_records geography FILE (after the areas are set), or add wards by hand.",
            url=reverse("places:wards"),
            link_text="Load or add wards",
        )
    )
    population_done, population = population_summary(partnership)
    items.append(
        Item(
            title="Population",
            done=population_done,
            status=population,
            hint="Rates per 1,000 residents and SafeLives' expected MARAC volume (per 10,000 women aged 16 and "
            "over) need residents and women aged 16 and over for every area: add them on the Population page "
            "or load them with manage.py import_records population FILE.",
            url=reverse("places:population"),
            link_text="Load population figures",
        )
    )
    peers = partnership.peer_group or []
    items.append(
        Item(
            title="Peer group",
            done=bool(peers),
            status=", ".join(peers) if peers else "No peer group yet",
            hint="The local authorities the partnership compares itself with (its Most Similar Group), "
            "by ONS code. peer_group in the set-up file.",
            url=reverse("setup:areas"),
            link_text="Set the areas and peer group",
        )
    )
    return items


def population_summary(partnership: Partnership) -> tuple[bool, str]:
    """Whether the figures the report rates need are held, and what is held, in words.

    Residents (rates per 1,000) and women aged 16 and over (SafeLives' expected MARAC volume),
    for every one of the partnership's areas, in the latest year held (one query each).
    """
    today = timezone.localdate()
    parts, done = [], True
    for measure in (PopulationMeasure.RESIDENTS, PopulationMeasure.WOMEN_16_PLUS):
        figure = partnership_population(partnership, measure, today)
        label = measure.label.lower()
        if figure.value is not None:
            years = "/".join(str(year) for year in figure.years)
            parts.append(f"{figure.value:,} {label} ({years})")
            continue
        done = False
        missing = ", ".join(figure.missing)
        parts.append(f"{label}: none{f' for {missing}' if missing else ''}")
    return done, "; ".join(parts)
