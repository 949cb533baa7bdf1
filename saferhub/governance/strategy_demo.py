"""Demo data for strategies, indicators and commissioned services, added to the demo partnership.

A synthetic strategy with three priorities and nine indicators (figures of returns, one of
them the DA MARAC's referrals, entered figures and commissioned services' KPIs), two commissioned services with KPIs, an
accepted return, a submitted one and one asked for. Made through the module's actions.
Everything is invented. Idempotent: nothing happens when the partnership has a strategy.
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import Agency, Role, User
from saferhub.governance import actions
from saferhub.governance import indicators as figures
from saferhub.governance.models import Frequency, GoodDirection, Indicator, Source, Strategy, Unit
from saferhub.governance.periods import period_containing, periods_back
from saferhub.reporting.registry import get_report

STRATEGY = "Safer Communities Strategy (demo)"
REFUGE, YOUTH = "Lantern Lane Refuge", "Harbourside Youth Project"
# (name, agency, contract, KPIs: (name, unit, quarterly target))
SERVICES = [
    (
        "Lantern Lane domestic abuse outreach",
        REFUGE,
        "Domestic abuse outreach contract 2025 to 2028",
        [("Clients supported", Unit.COUNT, 60), ("Clients feeling safer at closure", Unit.PERCENT, 85)],
    ),
    (
        "Harbourside mentoring academy",
        YOUTH,
        "Youth mentoring grant 2026 to 2027",
        [("Young people mentored", Unit.COUNT, 25), ("Mentoring sessions delivered", Unit.COUNT, 120)],
    ),
]


def _analyst(partnership: Any) -> User | None:
    return (
        User.objects.filter(partnership=partnership, role_assignments__role=Role.ANALYST).order_by("pk").first()
        or User.objects.filter(partnership=partnership).order_by("pk").first()
    )


def _provider(partnership: Any, agency: Agency) -> User | None:
    return User.objects.filter(partnership=partnership, agency=agency, role_assignments__role=Role.PROVIDER).first()


@transaction.atomic
def build_strategy_demo(partnership: Any, rng: random.Random) -> bool:
    if Strategy.objects.of(partnership).exists():
        return False
    analyst = _analyst(partnership)
    if analyst is None:
        return False
    today = timezone.localdate()
    last_quarter = period_containing("quarter", period_containing("quarter", today).start - datetime.timedelta(days=1))
    kpis = _services(partnership, analyst, today, last_quarter)
    _strategy(partnership, analyst, today, kpis, rng)
    return True


def _services(partnership: Any, analyst: User, today: datetime.date, quarter: Any) -> dict[str, Any]:
    kpis: dict[str, Any] = {}
    for index, (name, agency_name, contract, measures) in enumerate(SERVICES):
        agency = Agency.objects.filter(partnership=partnership, name=agency_name).first()
        if agency is None:
            continue
        service = actions.create_service(
            analyst,
            name=name,
            agency=agency,
            contract_name=contract,
            contract_starts_on=datetime.date(quarter.start.year - 1, 4, 1),
            contract_ends_on=datetime.date(quarter.start.year + 2, 3, 31),
            description="Invented for the demo.",
        )
        for kpi_name, unit, target in measures:
            kpis[kpi_name] = actions.add_kpi(
                analyst,
                service,
                name=kpi_name,
                unit=unit,
                good_direction=GoodDirection.UP,
                quarterly_target=Decimal(target),
            )
        provider_return = actions.request_return(
            analyst, service, period=quarter.label, due_on=quarter.end + datetime.timedelta(days=30)
        )
        share = Decimal("0.9" if index else "1.05")
        values: dict[int, Decimal | None] = {
            kpi.pk: (Decimal(target) * share).quantize(Decimal(1))
            for kpi, (_name, _unit, target) in zip(service.kpis.order_by("position"), measures, strict=True)
        }
        actions.save_return(
            _provider(partnership, agency),
            provider_return,
            values=values,
            narrative="Referrals rose after the awareness campaign; two outreach workers joined in the quarter.",
            case_studies="A woman in her thirties (details changed) was helped to stay safely in her home.",
            submit=True,
            expected_version=provider_return.version,
        )
        if index == 0:
            provider_return.refresh_from_db()
            actions.accept_return(analyst, provider_return, expected_version=provider_return.version)
            current = period_containing("quarter", today)
            actions.request_return(
                analyst, service, period=current.label, due_on=current.end + datetime.timedelta(days=30)
            )
    return kpis


# The options a return's figure is taken with: the MARAC return counts one panel type.
REPORT_OPTIONS = {"marac": {"panel_type": "da_marac"}}
# (priority, outcomes, indicators: (name, unit, direction, frequency, source, report, path or KPI, target))
PRIORITIES = [
    (
        "Protecting victims of domestic abuse and violence against women and girls",
        "More victims come forward and are supported\nVictims feel safer when support ends",
        [
            (
                "Victims referred to the Victim Care Hub",
                Unit.COUNT,
                "up",
                "quarter",
                Source.RETURN,
                "victim-hub",
                "referrals.total",
                24,
            ),
            (
                "Referrals to the DA MARAC",
                Unit.COUNT,
                "up",
                "quarter",
                Source.RETURN,
                "marac",
                "total.referrals",
                10,
            ),
            (
                "Clients supported by the outreach service",
                Unit.COUNT,
                "up",
                "quarter",
                Source.PROVIDER,
                "",
                "Clients supported",
                60,
            ),
            (
                "Outreach clients feeling safer at closure",
                Unit.PERCENT,
                "up",
                "quarter",
                Source.PROVIDER,
                "",
                "Clients feeling safer at closure",
                85,
            ),
        ],
    ),
    (
        "Tackling anti-social behaviour",
        "Fewer repeat reports of anti-social behaviour\nResidents feel safe in their neighbourhood",
        [
            ("New anti-social behaviour cases", Unit.COUNT, "down", "quarter", Source.RETURN, "asb", "cases.total", 14),
            ("Residents feeling safe after dark", Unit.PERCENT, "up", "year", Source.ENTERED, "", "", 70),
        ],
    ),
    (
        "Preventing offending and reoffending",
        "Young people at risk are diverted from offending\nProfessionals are trained to spot exploitation",
        [
            (
                "People reached by training and outreach",
                Unit.COUNT,
                "up",
                "quarter",
                Source.RETURN,
                "activities",
                "total.participants",
                200,
            ),
            ("Young people mentored", Unit.COUNT, "up", "quarter", Source.PROVIDER, "", "Young people mentored", 25),
            (
                "Cost of the mentoring programme per young person",
                Unit.MONEY,
                "down",
                "quarter",
                Source.ENTERED,
                "",
                "",
                900,
            ),
        ],
    ),
]


def _strategy(partnership: Any, analyst: User, today: datetime.date, kpis: dict[str, Any], rng: random.Random) -> None:
    strategy = actions.create_strategy(
        analyst, name=STRATEGY, runs="2026 to 2029", summary="The partnership's priorities for three years (demo)."
    )
    for title, outcomes, measures in PRIORITIES:
        priority = actions.add_priority(analyst, strategy, title=title, outcomes=outcomes)
        for name, unit, direction, frequency, source, report, measure, target in measures:
            if source == Source.PROVIDER and measure not in kpis:
                continue
            options = REPORT_OPTIONS.get(report, {})
            if options and figures.missing_options(partnership, get_report(report), options):
                continue  # e.g. a partnership without the DA MARAC panel type
            indicator = actions.create_indicator(
                analyst,
                priority,
                name=name,
                definition=f"{name}, as the partnership counts it (demo).",
                unit=unit,
                good_direction=direction,
                frequency=frequency,
                baseline_value=Decimal(target),
                baseline_period="2025/26",
                amber_tolerance=Decimal(10),
                source=source,
                report=report,
                report_options=options,
                measure_path=measure if source == Source.RETURN else "",
                kpi=kpis.get(measure) if source == Source.PROVIDER else None,
            )
            _figures(analyst, indicator, today, Decimal(target), rng)


def _figures(analyst: User, indicator: Indicator, today: datetime.date, target: Decimal, rng: random.Random) -> None:
    count = 4 if indicator.frequency == Frequency.QUARTER else 3
    # Complete periods only: the one in progress has no figure worth a board's time yet.
    current = period_containing(indicator.frequency, today)
    periods = periods_back(indicator.frequency, current.start - datetime.timedelta(days=1), count + 4)
    for period in periods:
        actions.set_target(analyst, indicator, period, target)
    note = "Discussed at the board (demo): partners agreed to keep the target."
    if indicator.source == Source.ENTERED:
        for period in periods[:-1]:
            value = (target * Decimal(rng.randint(85, 110)) / 100).quantize(Decimal(1))
            commentary = note if period == periods[-2] else ""
            actions.record_value(analyst, indicator, period, value=value, commentary=commentary)
    else:
        actions.recompute(analyst, indicator, periods)
        actions.record_value(analyst, indicator, periods[-1], value=None, commentary=note)
