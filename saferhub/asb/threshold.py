"""The ASB Case Review threshold, computed from the reports recorded on an ASB case.

Default rule (settings with effective dates): at least 3 qualifying reports about
the same problem in the 6 months before the application, a report qualifying when
it was made within 1 month of the behaviour. Reports of one incident to several
bodies (council, police, social landlord) count once. Alternative rules, each
switched off by a setting of 0: a number of qualifying hate incidents; a number of
qualifying reports when they come from more than one person.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from saferhub.asb.limits import Limits
from saferhub.asb.models import Report, SettingKey
from saferhub.asb.rules import add_months


@dataclass
class ReportLine:
    report: Report
    in_window: bool
    qualifies: bool
    counted: bool
    reason: str


@dataclass
class ThresholdResult:
    met: bool
    rule: str
    incidents: int
    hate_incidents: int
    reporters: int
    window_from: datetime.date
    window_to: datetime.date
    lines: list[ReportLine] = field(default_factory=list)
    explanation: str = ""

    def as_json(self) -> dict[str, Any]:
        """What the officer saw when deciding, kept with the decision."""
        return {
            "met": self.met,
            "rule": self.rule,
            "incidents": self.incidents,
            "hate_incidents": self.hate_incidents,
            "reporters": self.reporters,
            "window": [self.window_from.isoformat(), self.window_to.isoformat()],
            "reports": [
                {"id": line.report.pk, "reported_on": line.report.reported_on.isoformat(), "counted": line.counted}
                for line in self.lines
            ],
            "explanation": self.explanation,
        }


def _line(
    report: Report, window_from: datetime.date, applied_on: datetime.date, within: int, seen: set[int]
) -> ReportLine:
    behaviour_on = report.incident.behaviour_on
    in_window = window_from <= report.reported_on <= applied_on
    qualifies = report.reported_on <= add_months(behaviour_on, within)
    counted = in_window and qualifies and report.incident_id not in seen
    if not in_window:
        reason = "made outside the period the threshold looks at"
    elif not qualifies:
        reason = f"made more than {within} month{'s' if within != 1 else ''} after the behaviour"
    elif not counted:
        reason = "same incident as a report already counted"
    else:
        reason = "counts"
    return ReportLine(report, in_window, qualifies, counted, reason)


def evaluate(partnership: Any, case: Any, applied_on: datetime.date) -> ThresholdResult:
    limits = Limits(partnership, applied_on)
    window_from = add_months(applied_on, -limits[SettingKey.CR_WINDOW_MONTHS])
    within = limits[SettingKey.CR_REPORT_WITHIN_MONTHS]
    reports = (
        Report.objects.filter(case=case).select_related("incident", "reporter").order_by("reported_on", "pk")
        if case is not None
        else Report.objects.none()
    )
    seen: set[int] = set()
    lines, hate, reporters = [], set(), set()
    for report in reports:
        line = _line(report, window_from, applied_on, within, seen)
        if line.counted:
            seen.add(report.incident_id)
            reporters.add(report.reporter_id or f"anon-{report.pk}")
            if report.incident.hate_incident:
                hate.add(report.incident_id)
        lines.append(line)
    result = ThresholdResult(
        met=False,
        rule="",
        incidents=len(seen),
        hate_incidents=len(hate),
        reporters=len(reporters),
        window_from=window_from,
        window_to=applied_on,
        lines=lines,
    )
    _decide(result, limits)
    return result


def _decide(result: ThresholdResult, limits: Limits) -> None:
    needed = limits[SettingKey.CR_QUALIFYING_REPORTS]
    hate_needed = limits[SettingKey.CR_HATE_INCIDENTS]
    multi = limits[SettingKey.CR_MULTI_VICTIM_REPORTS]
    period = f"{result.window_from:%-d %B %Y} to {result.window_to:%-d %B %Y}"
    if result.incidents >= needed:
        result.met, result.rule = True, "qualifying_reports"
        result.explanation = (
            f"{result.incidents} qualifying reports of separate incidents from {period} (threshold {needed})."
        )
    elif hate_needed and result.hate_incidents >= hate_needed:
        result.met, result.rule = True, "hate_incident"
        result.explanation = (
            f"{result.hate_incidents} qualifying hate incident(s) from {period} (threshold {hate_needed})."
        )
    elif multi and result.incidents >= multi and result.reporters > 1:
        result.met, result.rule = True, "several_reporters"
        result.explanation = f"{result.incidents} qualifying reports from {result.reporters} people from {period}."
    else:
        result.explanation = (
            f"{result.incidents} qualifying report{'s' if result.incidents != 1 else ''} of separate incidents "
            f"from {period}; the threshold is {needed}."
        )


def earlier_report_within(report: Report, months: int) -> Report | None:
    """The same person's previous report in the `months` before this one (on any case), if any."""
    if report.reporter_id is None:
        return None
    since = add_months(report.reported_on, -months)
    return (
        Report.objects.filter(reporter_id=report.reporter_id, reported_on__range=(since, report.reported_on))
        .exclude(pk=report.pk)
        .order_by("-reported_on")
        .first()
    )
