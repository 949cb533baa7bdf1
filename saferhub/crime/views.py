"""The crime dashboard page for analysts and board members, its downloads and the analyst's commentary."""

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.crime import actions, dashboard
from saferhub.crime.charts import trend_chart
from saferhub.crime.forms import CommentaryForm, DashboardForm
from saferhub.crime.maps import map_sections
from saferhub.crime.models import Commentary, Level, Publisher, RecordedCrime
from saferhub.crime.report import GLOSSARY, KIND, month_text, rag_text, rank_text
from saferhub.reporting.charts import bar_chart
from saferhub.reporting.periods import financial_quarter
from saferhub.reporting.service import FORMATS, ReportError, run_report

MONTHS_OFFERED = 60


def dashboard_viewers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_view_crime_dashboard(request.user):
            raise PermissionDenied("Only analysts, board members, team managers and administrators see the dashboard.")
        return view(request, *args, **kwargs)

    return wrapped


def _choices(partnership: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Months with borough data (latest first) and the local authorities with data (the partnership's first)."""
    borough = RecordedCrime.objects.filter(partnership=partnership, publisher=Publisher.MPS, level=Level.BOROUGH)
    months = list(borough.values_list("month", flat=True).distinct().order_by("-month")[:MONTHS_OFFERED])
    areas = list(
        borough.filter(ranked=True).values("area_code").annotate(name=Max("area_name")).order_by("name", "area_code")
    )
    own = set(partnership.areas or [])
    ordered = sorted(areas, key=lambda area: (area["area_code"] not in own, area["name"]))
    return (
        [(f"{month:%Y-%m}", month_text(f"{month:%Y-%m}")) for month in months],
        [(area["area_code"], area["name"]) for area in ordered],
    )


def _selection(request: AuthenticatedHttpRequest) -> tuple[DashboardForm, list[str]]:
    partnership = request.user.partnership
    months, areas = _choices(partnership)
    groups = [
        *RecordedCrime.objects.filter(partnership=partnership, level=Level.BOROUGH)
        .values_list("major", flat=True)
        .distinct()
        .order_by("major"),
    ]
    from saferhub.crime.models import CrimeGroup

    groups += list(CrimeGroup.objects.filter(partnership=partnership, active=True).values_list("name", flat=True))
    groups.append(dashboard.TOTAL_NAME)
    initial = {
        "month": months[0][0] if months else "",
        "area": areas[0][0] if areas else "",
        "group": dashboard.TOTAL_NAME,
    }
    data = {name: request.GET.get(name) or value for name, value in initial.items()}
    return DashboardForm(data, months=months, areas=areas, groups=groups), groups


def _month_end(month: str) -> datetime.date:
    first = datetime.date.fromisoformat(f"{month}-01")
    return dashboard.add_months(first, 1) - datetime.timedelta(days=1)


@require_http_methods(["GET"])
@dashboard_viewers_only
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, _ = _selection(request)
    context: dict[str, Any] = {"form": form, "formats": FORMATS}
    if not form.fields["month"].choices:  # type: ignore[attr-defined]
        return render(request, "crime/dashboard.html", context)
    if not form.is_valid():
        return render(request, "crime/dashboard.html", context)
    data = form.cleaned_data
    date_to = _month_end(data["month"])
    partnership = request.user.partnership
    try:
        report = run_report(
            KIND,
            partnership,
            KIND.default_from(date_to),  # type: ignore[misc]
            date_to,
            fmt="html",
            options={"area": data["area"]},
            user=request.user,
            request=request,
        )
    except ReportError as exc:
        form.add_error(None, str(exc))
        return render(request, "crime/dashboard.html", context)
    result = report.result
    last = date_to.replace(day=1)
    points = dashboard.trend(partnership, data["area"], last, dashboard.group_named(partnership, data["group"]))
    query = urlencode({"month": data["month"], "area": data["area"], "group": data["group"]})
    context.update(
        dashboard_context(result),
        trend=points,
        trend_chart=trend_chart(
            f"{data['group']}: monthly counts, 36 months to {month_text(data['month'])}", points, "trend"
        ),
        group=data["group"],
        query=query,
    )
    context.update(map_sections(partnership, result, last))
    if data["area"] in (getattr(partnership, "areas", None) or []):
        context.update(stop_search_context(partnership, last))
    if policy.can_edit_crime_commentary(request.user) and data["area"] in (getattr(partnership, "areas", None) or []):
        back = reverse("crime:index") + "?" + query
        context["commentary_query"] = urlencode({"quarter": financial_quarter(last), "back": back})
    return render(request, "crime/dashboard.html", context)


def stop_search_context(partnership: Any, last: datetime.date) -> dict[str, Any]:
    """Stop and search by ward (the partnership's own wards), its chart and its note; empty without any."""
    from saferhub.crime.documents import stop_search_note
    from saferhub.crime.geography import searches_by_ward

    searches = searches_by_ward(partnership, last)
    if searches is None:
        return {}
    wards = searches["wards"]
    return {
        "stop_search": searches,
        "stop_search_note": stop_search_note(searches),
        "stop_search_chart": bar_chart(
            "Stop and search by ward in the rolling year",
            "Bar chart of stop and search by ward. "
            + "; ".join(f"{ward['name']}: {ward['searches']}" for ward in wards),
            [(ward["name"], ward["searches"]) for ward in wards],
            "stop-search",
        ),
    }


def dashboard_context(result: dict[str, Any]) -> dict[str, Any]:
    """What the dashboard partial needs, shared by the page and the downloaded HTML."""
    rows = [*result["groups"], result["total"]]
    return {
        "result": result,
        "rows": [
            {
                **group,
                "rag_label": rag_text(group["rag"]),
                "area_rank_text": rank_text(group["area_rank"]),
                "peer_rank_text": rank_text(group["peer_rank"]),
                "recent": group["months"][-3:][::-1],
            }
            for group in rows
        ],
        "recent_months": [month_text(item["month"]) for item in (rows[0]["months"][-3:][::-1] if rows else [])],
        "glossary": GLOSSARY,
        "last_month_text": month_text(result["last_month"]),
        "ward_chart": bar_chart(
            "Crimes in the rolling year by ward",
            "Bar chart of crimes in the rolling year by ward. "
            + "; ".join(f"{ward['name']}: {ward['rolling_year']}" for ward in result.get("wards", [])),
            [(ward["name"], ward["rolling_year"]) for ward in result.get("wards", [])],
            "wards",
        )
        if result.get("wards")
        else None,
    }


@require_http_methods(["GET"])
@dashboard_viewers_only
def download(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    form, _ = _selection(request)
    if not form.is_valid():
        return redirect(reverse("crime:index") + "?" + request.GET.urlencode())
    date_to = _month_end(form.cleaned_data["month"])
    try:
        report = run_report(
            KIND,
            request.user.partnership,
            KIND.default_from(date_to),  # type: ignore[misc]
            date_to,
            fmt=fmt,
            options={"area": form.cleaned_data["area"]},
            user=request.user,
            request=request,
        )
    except ReportError:
        return redirect(reverse("crime:index") + "?" + request.GET.urlencode())
    content, content_type, filename = report.render(fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@dashboard_viewers_only
def commentary(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_edit_crime_commentary(request.user):
        raise PermissionDenied("Only analysts write the dashboard's commentary.")
    partnership = request.user.partnership
    source = request.POST if request.method == "POST" else request.GET
    group, quarter = source.get("group", "").strip(), source.get("quarter", "").strip()
    back = source.get("back", "")
    if not group or not quarter or len(group) > 120 or len(quarter) > 12:
        raise Http404("Choose a crime group and quarter from the dashboard.")
    current = Commentary.objects.filter(partnership=partnership, group=group, quarter=quarter).first()
    version = current.version if current else 0
    if request.method == "POST":
        form = CommentaryForm(request.POST)
        if form.is_valid():
            try:
                actions.save_commentary(
                    partnership,
                    request.user,
                    group=group,
                    quarter=quarter,
                    text=form.cleaned_data["text"],
                    version=form.cleaned_data["version"],
                    request=request,
                )
            except actions.StaleCommentary as exc:
                # Show what the other person saved, with its version: nothing of theirs is overwritten unseen.
                form = CommentaryForm({"text": current.text if current else "", "version": version})
                form.is_valid()
                form.add_error(None, f"{exc} Their commentary is shown below: make your changes again and save.")
                context = {"form": form, "group": group, "quarter": quarter, "back": _safe_back(back)}
                return render(request, "crime/commentary.html", context, status=409)
            return redirect(_safe_back(back))
    else:
        form = CommentaryForm(initial={"text": current.text if current else "", "version": version})
    context = {"form": form, "group": group, "quarter": quarter, "back": _safe_back(back)}
    return render(request, "crime/commentary.html", context)


def _safe_back(back: str) -> str:
    index = reverse("crime:index")
    return back if back.startswith(index + "?") or back == index else index
