"""Pages for strategies, their priorities and indicators.

Analysts and partnership administrators change them; team managers and board members
read them (`saferhub.policy.providers`). Another partnership's records are 404.
Changes go through `saferhub.governance.actions`.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import conflict
from saferhub.governance import actions
from saferhub.governance import indicators as figures
from saferhub.governance.models import Indicator, IndicatorTarget, IndicatorValue, Source
from saferhub.governance.periods import parse_period, period_containing, periods_back, same_period_a_year_before
from saferhub.governance.strategy_forms import (
    IndicatorChangeForm,
    IndicatorForm,
    MeasureChoiceForm,
    PriorityChangeForm,
    PriorityForm,
    StrategyChangeForm,
    StrategyForm,
    TargetForm,
    ValueForm,
)
from saferhub.governance.views import managers, readers
from saferhub.reporting.charts import bar_chart
from saferhub.reporting.registry import UnknownReport, get_report
from saferhub.reporting.service import ReportError

TREND_PERIODS = {"quarter": 8, "year": 4}


@require_http_methods(["GET"])
@readers
def strategy_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    strategies = policy.visible_strategies(request.user).order_by("name")
    can_manage = policy.can_manage_governance(request.user)
    context = {
        "strategies": strategies.live(),
        "archived": strategies.archived() if can_manage else [],
        "can_manage": can_manage,
    }
    return render(request, "governance/strategy_list.html", context)


@require_http_methods(["GET", "POST"])
@managers
def strategy_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if policy.visible_strategies(request.user).filter(name__iexact=form.cleaned_data["name"]).exists():
            form.add_error("name", "The partnership already has a strategy of that name: choose another name")
        else:
            strategy = actions.create_strategy(request.user, request=request, **form.cleaned_data)
            messages.success(request, f"Strategy {strategy.name} added")
            return redirect("governance:strategy", pk=strategy.pk)
    return render(request, "governance/strategy_form.html", {"form": form})


def _latest_rows(indicators: list[Indicator], today: Any) -> None:
    """Each indicator's figure, target and RAG for its current period, from what is stored (two queries)."""
    ids = [indicator.pk for indicator in indicators]
    values = {(v.indicator_id, v.period): v.value for v in IndicatorValue.objects.filter(indicator_id__in=ids)}
    targets = {(t.indicator_id, t.period): t.value for t in IndicatorTarget.objects.filter(indicator_id__in=ids)}
    for indicator in indicators:
        # The period in progress is incomplete: show the latest ended one with a figure.
        ended = [
            period
            for period in periods_back(indicator.frequency, today, TREND_PERIODS[indicator.frequency])
            if period.end < today
        ]
        shown = next((p for p in reversed(ended) if values.get((indicator.pk, p.label)) is not None), ended[-1])
        value = values.get((indicator.pk, shown.label))
        target = targets.get((indicator.pk, shown.label))
        indicator.shown_period = shown.label  # type: ignore[attr-defined]
        indicator.shown_value = figures.format_value(indicator.unit, value)  # type: ignore[attr-defined]
        indicator.shown_target = figures.format_value(indicator.unit, target) if target is not None else "No target"  # type: ignore[attr-defined]
        indicator.rating = figures.rag(indicator, value, target)  # type: ignore[attr-defined]


@require_http_methods(["GET"])
@readers
def strategy_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    strategy = policy.get_strategy_for_user(request.user, pk)
    priorities = list(
        strategy.priorities.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("name", "pk"))
        ).order_by("position", "pk")
    )
    live = [priority for priority in priorities if not priority.is_archived]
    indicators = [indicator for priority in live for indicator in priority.indicators.all()]
    _latest_rows(indicators, timezone.localdate())
    context = {
        "strategy": strategy,
        "priorities": live,
        "archived_priorities": [priority for priority in priorities if priority.is_archived],
        "can_manage": policy.can_manage_governance(request.user),
    }
    return render(request, "governance/strategy_detail.html", context)


@require_http_methods(["GET", "POST"])
@managers
def priority_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    strategy = policy.get_strategy_for_user(request.user, pk)
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_priority(request.user, strategy, request=request, **form.cleaned_data)
        messages.success(request, "Priority added")
        return redirect("governance:strategy", pk=strategy.pk)
    return render(request, "governance/priority_form.html", {"form": form, "strategy": strategy})


def _strategy_values(strategy: Any) -> dict[str, Any]:
    return {"name": strategy.name, "runs": strategy.runs, "summary": strategy.summary}


@require_http_methods(["GET", "POST"])
@managers
def strategy_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    strategy = policy.get_strategy_for_user(request.user, pk)
    form = StrategyChangeForm(request.POST or None, initial={**_strategy_values(strategy), "version": strategy.version})
    context = {"strategy": strategy, "editing": True}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        taken = policy.visible_strategies(request.user).filter(name__iexact=data["name"]).exclude(pk=strategy.pk)
        if taken.exists():
            form.add_error("name", "The partnership already has a strategy of that name: choose another name")
        else:
            try:
                actions.update_strategy(request.user, strategy, expected_version=expected, request=request, **data)
            except actions.StaleEdit:
                strategy = policy.get_strategy_for_user(request.user, pk)
                return conflict(
                    request,
                    "governance/strategy_form.html",
                    {**context, "strategy": strategy},
                    form_class=StrategyChangeForm,
                    stale_form=form,
                    instance=strategy,
                    current=_strategy_values(strategy),
                )
            messages.success(request, f"Strategy {strategy.name} saved")
            return redirect("governance:strategy", pk=strategy.pk)
    return render(request, "governance/strategy_form.html", {**context, "form": form})


def _priority_values(priority: Any) -> dict[str, Any]:
    return {"title": priority.title, "outcomes": priority.outcomes}


@require_http_methods(["GET", "POST"])
@managers
def priority_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    priority = policy.get_priority_for_user(request.user, pk)
    form = PriorityChangeForm(request.POST or None, initial={**_priority_values(priority), "version": priority.version})
    context = {"strategy": priority.strategy, "priority": priority, "editing": True}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            actions.update_priority(request.user, priority, expected_version=expected, request=request, **data)
        except actions.StaleEdit:
            priority = policy.get_priority_for_user(request.user, pk)
            return conflict(
                request,
                "governance/priority_form.html",
                {**context, "priority": priority},
                form_class=PriorityChangeForm,
                stale_form=form,
                instance=priority,
                current=_priority_values(priority),
            )
        messages.success(request, "Priority saved")
        return redirect("governance:strategy", pk=priority.strategy_id)
    return render(request, "governance/priority_form.html", {**context, "form": form})


# Indicators ---------------------------------------------------------------------------------------


def _measures(partnership: Any, slug: str, options: dict[str, str]) -> list[tuple[str, str]]:
    """The return's numeric figures, run with the chosen options (a panel type), as
    (path, "figure in words (value in the latest complete quarter)"); none until its options are chosen."""
    if not slug:
        return []
    if figures.missing_options(partnership, get_report(slug), options):
        return []
    today = timezone.localdate()
    quarter = period_containing("quarter", period_containing("quarter", today).start - datetime.timedelta(days=1))
    try:
        result = figures.run_measure(partnership, slug, options, quarter)
    except ReportError:
        return []
    return [
        (path, f"{figures.measure_label(path)} ({figures.format_number(value)} in {quarter.label})")
        for path, value in figures.numeric_paths(result)
    ]


def _chosen_report(request: AuthenticatedHttpRequest, default: str = "") -> str:
    slug = request.POST.get("report") or request.GET.get("report") or default
    allowed = {kind.slug for kind in figures.measurable_reports()}
    return slug if slug in allowed else ""


def _chosen_options(request: AuthenticatedHttpRequest, report: str, stored: dict[str, Any]) -> dict[str, str]:
    """The return's options as asked for (step one or the hidden fields); an indicator's own when neither
    names a return. Only the return's asked options are kept, as text."""
    if not report:
        return {}
    data = request.POST if request.method == "POST" else request.GET
    asked = figures.asked_options(get_report(report))
    if "report" not in data:
        return {option.name: str(stored[option.name]) for option in asked if stored.get(option.name)}
    return {option.name: data[option.name][:100] for option in asked if data.get(option.name)}


def _report_choices() -> list[tuple[str, str]]:
    return [(kind.slug, kind.title) for kind in figures.measurable_reports()]


def _option_choices(partnership: Any, report: str) -> figures.OptionChoices:
    return figures.option_choices(partnership, get_report(report)) if report else []


def _indicator_context(
    partnership: Any, report: str, options: dict[str, str], form: IndicatorForm | None = None
) -> dict[str, Any]:
    measure_form = MeasureChoiceForm(
        initial={"report": report, **options}, reports=_report_choices(), options=_option_choices(partnership, report)
    )
    if form is not None and form.is_bound:
        # An option's error shows where it is chosen too.
        measure_form.show_errors({name: form.errors[name] for name in measure_form.option_names if name in form.errors})
    return {
        "measure_form": measure_form,
        "report": report,
        "report_title": get_report(report).title if report else "",
        "chosen_options": options,
        "options_in_words": figures.options_in_words(partnership, report, options) if report else "",
        "needs_options": " and ".join(
            option.label.lower() for option in figures.missing_options(partnership, get_report(report), options)
        )
        if report
        else "",
    }


@require_http_methods(["GET", "POST"])
@managers
def indicator_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    priority = policy.get_priority_for_user(request.user, pk)
    partnership = priority.strategy.partnership
    report = _chosen_report(request)
    options = _chosen_options(request, report, {})
    initial = {"source": Source.RETURN if report else Source.ENTERED, "frequency": "quarter", "good_direction": "up"}
    form = IndicatorForm(
        request.POST or None,
        initial=initial,
        report=report,
        measures=_measures(partnership, report, options),
        partnership_id=priority.strategy.partnership_id,
        options=_option_choices(partnership, report),
    )
    if request.method == "POST" and form.is_valid():
        indicator = actions.create_indicator(request.user, priority, request=request, **form.values())
        if indicator.source != Source.ENTERED:
            today = timezone.localdate()
            actions.recompute(request.user, indicator, periods_back(indicator.frequency, today, 5), request=request)
        messages.success(request, f"Indicator {indicator.name} added")
        return redirect("governance:indicator", pk=indicator.pk)
    context = {
        "form": form,
        "priority": priority,
        "strategy": priority.strategy,
        **_indicator_context(partnership, report, options, form),
    }
    return render(request, "governance/indicator_form.html", context)


def _indicator_values(indicator: Indicator) -> dict[str, Any]:
    return {
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "good_direction": indicator.good_direction,
        "frequency": indicator.frequency,
        "baseline_value": indicator.baseline_value,
        "baseline_period": indicator.baseline_period,
        "amber_tolerance": indicator.amber_tolerance,
        "source": indicator.source,
        "measure_path": indicator.measure_path,
        "kpi": indicator.kpi_id,
    }


def _option_values(indicator: Indicator, report: str, options: Any) -> dict[str, str]:
    """The stored choice of each option the form asks (a panel type), so a conflict names a change in it."""
    stored = indicator.report_options if indicator.report == report else {}
    return {option.name: str(stored.get(option.name) or "") for option, _choices in options}


@require_http_methods(["GET", "POST"])
@managers
def indicator_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = policy.get_indicator_for_user(request.user, pk)
    report = _chosen_report(request, indicator.report)
    stored = indicator.report_options if report == indicator.report else {}
    options = _chosen_options(request, report, stored)
    kwargs = {
        "report": report,
        "measures": _measures(indicator.partnership, report, options),
        "partnership_id": indicator.partnership_id,
        "options": _option_choices(indicator.partnership, report),
    }
    form = IndicatorChangeForm(
        request.POST or None, initial={**_indicator_values(indicator), "version": indicator.version}, **kwargs
    )
    context = {
        "indicator": indicator,
        "priority": indicator.priority,
        "strategy": indicator.priority.strategy,
        **_indicator_context(indicator.partnership, report, options, form),
    }
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_indicator(
                request.user, indicator, expected_version=form.cleaned_data["version"], request=request, **form.values()
            )
        except actions.StaleEdit:
            indicator = policy.get_indicator_for_user(request.user, pk)
            return conflict(
                request,
                "governance/indicator_form.html",
                {**context, "indicator": indicator},
                form_class=IndicatorChangeForm,
                stale_form=form,
                instance=indicator,
                current={**_indicator_values(indicator), **_option_values(indicator, report, kwargs["options"])},
                form_kwargs=kwargs,
            )
        messages.success(request, f"Indicator {indicator.name} saved")
        return redirect("governance:indicator", pk=indicator.pk)
    return render(request, "governance/indicator_form.html", {**context, "form": form})


def _trend(indicator: Indicator, today: Any) -> list[dict[str, Any]]:
    stored = {row.period: row for row in indicator.values.select_related("entered_by")}
    targets = {row.period: row.value for row in indicator.targets.all()}
    count = TREND_PERIODS[indicator.frequency]
    # The period in progress is left out until it has a figure: a blank last point reads as a fall.
    periods = [
        period
        for period in periods_back(indicator.frequency, today, count + 1)
        if period.end < today or period.label in stored
    ][-count:]
    rows = []
    for period in periods:
        row = stored.get(period.label)
        value = row.value if row is not None else None
        before_row = stored.get(same_period_a_year_before(period).label)
        before = before_row.value if before_row is not None else None
        difference, percent = figures.change(value, before)
        target = targets.get(period.label)
        rows.append(
            {
                "period": period.label,
                "value": value,
                "shown": figures.format_value(indicator.unit, value),
                "target": figures.format_value(indicator.unit, target) if target is not None else "No target",
                "before": figures.format_value(indicator.unit, before),
                "change": "No comparison"
                if difference is None
                else f"{'+' if difference > 0 else ''}{figures.format_value(indicator.unit, difference)}"
                + (
                    f" ({'+' if percent and percent > 0 else ''}{figures.format_number(percent)}%)"
                    if percent is not None
                    else ""
                ),
                "rating": figures.rag(indicator, value, target),
                "stored": row,
            }
        )
    return rows


@require_http_methods(["GET"])
@readers
def indicator_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = policy.get_indicator_for_user(request.user, pk)
    today = timezone.localdate()
    rows = _trend(indicator, today)
    latest = next((row for row in reversed(rows) if row["value"] is not None), rows[-1])
    bars = [(row["period"], figures.as_number(row["value"])) for row in rows]
    listing = "; ".join(f"{row['period']}: {row['shown']}" for row in rows)
    chart = bar_chart(
        f"{indicator.name} by {indicator.get_frequency_display().lower().removeprefix('each ')}",
        f"Bar chart of the indicator's figure per period. {listing}.",
        bars,
        f"indicator-{indicator.pk}",
    )
    try:
        report_title = get_report(indicator.report).title if indicator.report else ""
    except UnknownReport:
        report_title = indicator.report
    context = {
        "indicator": indicator,
        "strategy": indicator.priority.strategy,
        "rows": rows,
        "latest": latest,
        "chart": chart,
        "rule": figures.rag_rule_in_words(indicator),
        "baseline": figures.format_value(indicator.unit, indicator.baseline_value)
        if indicator.baseline_value is not None
        else "",
        "report_title": report_title,
        "report_options": figures.options_in_words(indicator.partnership, indicator.report, indicator.report_options)
        if indicator.source == Source.RETURN
        else "",
        "measure_words": figures.measure_label(indicator.measure_path),
        "can_manage": policy.can_manage_governance(request.user),
        "computed": indicator.source != Source.ENTERED,
    }
    return render(request, "governance/indicator_detail.html", context)


@require_http_methods(["POST"])
@managers
def indicator_recompute(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = policy.get_indicator_for_user(request.user, pk)
    if indicator.source == Source.ENTERED:
        messages.error(request, "This indicator's figures are entered each period: there is nothing to recompute")
    else:
        periods = periods_back(indicator.frequency, timezone.localdate(), TREND_PERIODS[indicator.frequency])
        actions.recompute(request.user, indicator, periods, request=request)
        messages.success(request, "Figures recomputed")
    return redirect("governance:indicator", pk=indicator.pk)


@require_http_methods(["GET", "POST"])
@managers
def indicator_target(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = policy.get_indicator_for_user(request.user, pk)
    current = period_containing(indicator.frequency, timezone.localdate())
    form = TargetForm(request.POST or None, initial={"period": current.label})
    if request.method == "POST" and form.is_valid():
        actions.set_target(
            request.user, indicator, form.cleaned_data["period"], form.cleaned_data["value"], request=request
        )
        messages.success(request, f"Target for {form.cleaned_data['period'].label} saved")
        return redirect("governance:indicator", pk=indicator.pk)
    targets = indicator.targets.all()
    for target in targets:
        target.shown = figures.format_value(indicator.unit, target.value)  # type: ignore[attr-defined]
    context = {"form": form, "indicator": indicator, "strategy": indicator.priority.strategy, "targets": targets}
    return render(request, "governance/target_form.html", context)


def _period_label(text: str) -> str:
    """The period a link asked for, as its label; "" for anything that is not one (the current period)."""
    try:
        return parse_period(text).label if text else ""
    except ValueError:
        return ""


@require_http_methods(["GET", "POST"])
@managers
def indicator_value(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    indicator = policy.get_indicator_for_user(request.user, pk)
    entered = indicator.source == Source.ENTERED
    chosen = _period_label(request.GET.get("period", ""))
    current = period_containing(indicator.frequency, timezone.localdate())
    existing = indicator.values.filter(period=chosen or current.label).first()
    initial = {"period": chosen or current.label}
    if existing is not None:
        initial.update(value=existing.value, commentary=existing.commentary)
    form = ValueForm(request.POST or None, initial=initial, entered=entered, frequency=indicator.frequency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.record_value(
            request.user,
            indicator,
            data["period"],
            value=data.get("value"),
            commentary=data["commentary"],
            request=request,
        )
        messages.success(request, f"{data['period'].label} saved")
        return redirect("governance:indicator", pk=indicator.pk)
    context = {"form": form, "indicator": indicator, "strategy": indicator.priority.strategy, "entered": entered}
    return render(request, "governance/value_form.html", context)
