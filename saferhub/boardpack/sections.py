"""The board pack's section registry: each section is built from one registered return.

A section names its title and the `ReportKind` it is built from; its figures are that
report's result for the pack's period, so a return's figures in the pack always equal the
same return run on its own. A section whose report is not registered is not offered: the
returns of later modules (offender management, missing children, restorative justice,
strategy indicators) appear in the pack as soon as their report kinds are registered.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from saferhub.reporting.registry import ReportKind, UnknownReport, get_report


@dataclass(frozen=True)
class Section:
    """One section of a pack: its key (stored on the pack), title, report and that report's options."""

    key: str
    title: str
    report: str
    options: dict[str, str] = field(default_factory=dict)
    # How the RAG ratings in this section are worked out, for a report that rates; printed with it.
    rag: str = ""

    @property
    def kind(self) -> ReportKind:
        return get_report(self.report)


@dataclass(frozen=True)
class SectionKind:
    report: str
    title: str
    rag: str = ""
    # For reports run per panel type: (partnership) -> [(code, name)] of the panel types to offer.
    per_panel_type: Callable[[Any], list[tuple[str, str]]] | None = None

    def sections(self, partnership: Any) -> Iterator[Section]:
        if self.per_panel_type is None:
            yield Section(self.report, self.title, self.report, rag=self.rag)
            return
        for code, name in self.per_panel_type(partnership):
            yield Section(
                f"{self.report}:{code}", f"{self.title}: {name}", self.report, {"panel_type": code}, rag=self.rag
            )


_KINDS: list[SectionKind] = []


def register_section(kind: SectionKind) -> SectionKind:
    """Add a kind of section (in the pack's default order); registering a report twice is refused."""
    if any(existing.report == kind.report for existing in _KINDS):
        raise ValueError(f"A board pack section for the '{kind.report}' report is already registered.")
    _KINDS.append(kind)
    return kind


def is_registered(report: str) -> bool:
    try:
        get_report(report)
    except UnknownReport:
        return False
    return True


def offered_sections(partnership: Any) -> list[Section]:
    """Every section the partnership's pack may hold, in the default order."""
    return [section for kind in _KINDS if is_registered(kind.report) for section in kind.sections(partnership)]


def sections_by_key(partnership: Any) -> dict[str, Section]:
    return {section.key: section for section in offered_sections(partnership)}


def chosen_sections(partnership: Any, keys: list[str]) -> list[Section]:
    """The chosen sections in the chosen order; keys no longer offered (a panel type removed) are left out."""
    offered = sections_by_key(partnership)
    return [offered[key] for key in keys if key in offered]


def _marac_panel_types(partnership: Any) -> list[tuple[str, str]]:
    from saferhub.panels.models import PanelKind, PanelType

    marac = (PanelKind.DA_MARAC, PanelKind.CS_MARAC)
    rows = PanelType.objects.filter(partnership=partnership, active=True, kind__in=marac).order_by("name")
    return list(rows.values_list("code", "name"))


def _all_panel_types(partnership: Any) -> list[tuple[str, str]]:
    from saferhub.panels.models import PanelType

    rows = PanelType.objects.filter(partnership=partnership, active=True).order_by("name")
    return list(rows.values_list("code", "name"))


CRIME_RAG = (
    "Each crime group is rated on the last 12 months against the 12 months before: green when every factor "
    "improved (fewer offences, a better or unchanged rank among peers), amber when some did, red when none did. "
    "The factors are listed beside each rating."
)
INDICATOR_RAG = (
    "Each indicator is rated against its target for the period by the indicator's own RAG rule, taking account "
    "of which direction is good; an indicator with no target or no value is not rated."
)
ACTION_PLAN_RAG = (
    "Each commitment's latest rating on the period's last day: where none was given it follows the status "
    "(on track or completed: green; in progress or at risk: amber; off track: red; not started: not rated)."
)

# The pack's default order, after the shape of the board papers (seeds 000 and 001).
for _kind in (
    SectionKind("crime-dashboard", "Summary crime dashboard", rag=CRIME_RAG),
    SectionKind("victim-hub", "Victim Care Hub"),
    SectionKind("marac", "MARAC", per_panel_type=_marac_panel_types),
    SectionKind("panel-activity", "Panel activity", per_panel_type=_all_panel_types),
    SectionKind("asb", "Anti-social behaviour"),
    SectionKind("iom", "Integrated offender management"),
    SectionKind("missing", "Missing children"),
    SectionKind("rj", "Restorative justice"),
    SectionKind("activities", "Activities: training, meetings and outreach"),
    SectionKind("indicators", "Strategy indicators", rag=INDICATOR_RAG),
    SectionKind("action-plan", "Action plan progress", rag=ACTION_PLAN_RAG),
):
    register_section(_kind)
