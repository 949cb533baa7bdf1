"""Report pages: choose a report and period, then see it as a page or download it."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.reporting.forms import ReportForm
from saferhub.reporting.outputs import table_context
from saferhub.reporting.registry import all_reports, get_report
from saferhub.reporting.service import run_report


def report_viewers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_view_reports(request.user):
            raise PermissionDenied("Only analysts, board members, team managers and administrators can see reports.")
        return view(request, *args, **kwargs)

    return require_http_methods(["GET"])(wrapped)


@report_viewers_only
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/index.html", {"reports": all_reports()})


@report_viewers_only
def run(request: HttpRequest) -> HttpResponse:
    # Reading a report changes nothing, so the form is a GET and a report's address can be bookmarked.
    if "date_from" not in request.GET and "date_to" not in request.GET:
        form = ReportForm(initial={"kind": request.GET.get("kind", ""), "fmt": "html"})
        return render(request, "reporting/run.html", {"form": form})
    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "reporting/run.html", {"form": form})
    data = form.cleaned_data
    report = run_report(
        get_report(data["kind"]),
        request.user.partnership,  # type: ignore[union-attr]
        data["date_from"],
        data["date_to"],
        fmt=data["fmt"],
        publish=data["publish"],
        options={"panel_type": data["panel_type"]},
        user=request.user,
        request=request,
    )
    if data["fmt"] == "html":
        return render(request, "reporting/report.html", {"report": report, "tables": table_context(report.tables)})
    content, content_type, filename = report.render(data["fmt"])
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
