"""The IOM figures pages: the cost-of-crime table, reoffending against comparators, the Youth Justice
KPIs and the contact-frequency settings. Aggregates only: no person is shown."""

import datetime
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.guards import require
from saferhub.iom import actions
from saferhub.iom import forms as iom_forms
from saferhub.iom.models import (
    RAG_SETTING,
    CohortStay,
    CostOfCrime,
    IomSetting,
    Offence,
    ReoffendingComparator,
    YjKpi,
    YjKpiValue,
    quarter_label,
)
from saferhub.iom.views.common import contact_days, form_page, refilled, today
from saferhub.reporting.periods import percent

FIGURES = "The IOM figures are for analysts, board members and the IOM team."
MANAGE = "Only analysts and partnership administrators change the IOM reference figures."
COST_FIELDS = ["label", "unit_cost", "price_year", "source"]
KPI_FIELDS = ["value", "national", "regional", "statistical_neighbours"]


@require_http_methods(["GET"])
@require(policy.can_view_iom_figures, FIGURES)
def costs(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    day = today()
    in_force = set(CostOfCrime.objects.of(user.partnership_id).in_force_on(day).values_list("pk", flat=True))
    rates = list(CostOfCrime.objects.of(user.partnership_id).order_by("offence_group", "-effective_from"))
    for rate in rates:
        rate.in_force = rate.pk in in_force  # type: ignore[attr-defined]
    context = {"rates": rates, "can_manage": policy.can_manage_cost_of_crime(user)}
    return render(request, "iom/costs.html", context)


@require_http_methods(["GET", "POST"])
@require(policy.can_manage_cost_of_crime, MANAGE)
def cost_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = iom_forms.CostAddForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: actions.add_cost(user, user.partnership, request=request, **data),
        title="Add a unit cost from a date",
        submit="Save the unit cost",
        done="The unit cost is saved.",
        back_url=reverse("iom:costs"),
        caption="Cost of crime",
        intro="Offences on or after the date are priced at this cost; earlier ones keep the cost in force then.",
    )


@require_http_methods(["GET", "POST"])
@require(policy.can_manage_cost_of_crime, MANAGE)
def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    rate = get_object_or_404(CostOfCrime, partnership_id=user.partnership_id, pk=pk)
    initial = {name: getattr(rate, name) for name in COST_FIELDS} | {"version": rate.version}
    form = iom_forms.CostEditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: actions.update_cost(
            user, rate, expected_version=data["version"], changes={n: data[n] for n in COST_FIELDS}, request=request
        ),
        title=f"Change the unit cost of {rate.label.lower()}",
        submit="Save the unit cost",
        done="The unit cost is saved.",
        back_url=reverse("iom:costs"),
        caption=f"Cost of crime from {rate.effective_from:%-d %B %Y}",
        on_conflict=refilled(iom_forms.CostEditForm, rate, COST_FIELDS),
    )


def _quarter_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start_month = 4 + (quarter - 1) * 3
    start_year = year if start_month <= 12 else year + 1
    start_month = (start_month - 1) % 12 + 1
    first = datetime.date(start_year, start_month, 1)
    end_month, end_year = (start_month + 3, start_year) if start_month <= 9 else (start_month - 9, start_year + 1)
    return first, datetime.date(end_year, end_month, 1) - datetime.timedelta(days=1)


def partnership_figures(partnership_id: int, year: int, quarter: int) -> dict[str, Any]:
    """The cohort at the quarter's end and its charged offences in the quarter, as the comparators count them."""
    first, last = _quarter_dates(year, quarter)
    cohort = CohortStay.objects.of(partnership_id).in_cohort_on(last)
    offenders = cohort.count()
    charged = Offence.objects.filter(
        partnership_id=partnership_id,
        charged="yes",
        offence_date__range=(first, last),
        person_id__in=cohort.values("person_id"),
    ).aggregate(offences=Count("pk"), people=Count("person_id", distinct=True))
    return {
        "offenders": offenders,
        "charged_offences": charged["offences"],
        "offenders_charged": charged["people"],
        "reoffending_rate": percent(charged["people"], offenders),
    }


@require_http_methods(["GET"])
@require(policy.can_view_iom_figures, FIGURES)
def reoffending(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    comparators = ReoffendingComparator.objects.filter(partnership_id=user.partnership_id)
    quarters = sorted(set(comparators.values_list("year", "quarter")), reverse=True)
    chosen = quarters[0] if quarters else None
    wanted = request.GET.get("quarter", "")
    for year, number in quarters:
        if quarter_label(year, number) == wanted:
            chosen = (year, number)
    context: dict[str, Any] = {
        "quarters": [quarter_label(y, q) for y, q in quarters],
        "chosen": quarter_label(*chosen) if chosen else "",
        "can_manage": policy.can_manage_cost_of_crime(user),
    }
    if chosen:
        context["rows"] = list(comparators.filter(year=chosen[0], quarter=chosen[1]).order_by("area"))
        context["ours"] = partnership_figures(user.partnership_id, *chosen)
    return render(request, "iom/reoffending.html", context)


@require_http_methods(["GET"])
@require(policy.can_view_iom_figures, FIGURES)
def kpis(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    values = list(YjKpiValue.objects.filter(partnership_id=user.partnership_id).order_by("-year", "-quarter", "kpi"))
    for value in values:
        value.period = quarter_label(value.year, value.quarter)  # type: ignore[attr-defined]
    context = {"values": values, "can_manage": policy.can_manage_cost_of_crime(user), "kpis": YjKpi.choices}
    return render(request, "iom/kpis.html", context)


@require_http_methods(["GET", "POST"])
@require(policy.can_manage_cost_of_crime, MANAGE)
def kpi_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = iom_forms.KpiAddForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        data = {**data, "year": int(data["year"]), "quarter": int(data["quarter"])}
        return actions.set_kpi_value(user, user.partnership, request=request, **data)

    return form_page(
        request,
        form,
        save,
        title="Enter a Youth Justice KPI value",
        submit="Save the value",
        done="The KPI value is saved.",
        back_url=reverse("iom:kpis"),
        caption="Youth Justice KPIs",
        intro="A value for a KPI and quarter that already has one replaces it.",
    )


@require_http_methods(["GET", "POST"])
@require(policy.can_manage_cost_of_crime, MANAGE)
def kpi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    value = get_object_or_404(YjKpiValue, partnership_id=user.partnership_id, pk=pk)
    initial = {name: getattr(value, name) for name in KPI_FIELDS} | {"version": value.version}
    form = iom_forms.KpiEditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: actions.update_kpi_value(
            user, value, expected_version=data["version"], changes={n: data[n] for n in KPI_FIELDS}, request=request
        ),
        title=f"Change {value.get_kpi_display()}",
        submit="Save the value",
        done="The KPI value is saved.",
        back_url=reverse("iom:kpis"),
        caption=quarter_label(value.year, value.quarter),
        on_conflict=refilled(iom_forms.KpiEditForm, value, KPI_FIELDS),
    )


@require_http_methods(["GET"])
@require(policy.can_view_iom_figures, FIGURES)
def settings_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    days = contact_days(user.partnership_id, today())
    settings = IomSetting.objects.filter(partnership_id=user.partnership_id).order_by("key", "-effective_from")
    context = {
        "in_force": [(RAG_SETTING[rag].label, n) for rag, n in days.items()],
        "settings": settings,
        "can_manage": policy.can_manage_cost_of_crime(user),
    }
    return render(request, "iom/settings.html", context)


@require_http_methods(["GET", "POST"])
@require(policy.can_manage_cost_of_crime, MANAGE)
def setting_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = iom_forms.SettingForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: actions.add_setting(user, user.partnership, request=request, **data),
        title="Change a contact frequency from a date",
        submit="Save the setting",
        done="The contact frequency is saved.",
        back_url=reverse("iom:settings"),
        caption="Risk-matched contact",
    )
