"""Report pages: choose a report and period, then see it as a page or download it."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.reporting.forms import ReportForm, ReportKindForm
from saferhub.reporting.outputs import table_context
from saferhub.reporting.registry import all_reports, get_report
from saferhub.reporting.service import ReportError, run_report


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
    # Reading a report changes nothing, so the forms are GETs and a report's address can be bookmarked.
    # First the report (`kind`), then a form with only that report's options: no script needed.
    chooser = ReportKindForm(request.GET if "kind" in request.GET else None)
    if not chooser.is_valid():
        return render(request, "reporting/choose.html", {"form": chooser})
    kind = get_report(chooser.cleaned_data["kind"])
    context: dict[str, Any] = {"kind": kind}
    if "date_from" not in request.GET and "date_to" not in request.GET:
        context["form"] = ReportForm(kind=kind, initial={"fmt": "html"})
        return render(request, "reporting/run.html", context)
    form = context["form"] = ReportForm(request.GET, kind=kind)
    if not form.is_valid():
        return render(request, "reporting/run.html", context)
    data = form.cleaned_data
    try:
        report = run_report(
            kind,
            request.user.partnership,  # type: ignore[union-attr]
            data["date_from"],
            data["date_to"],
            fmt=data["fmt"],
            publish=data["publish"],
            options=form.options,
            user=request.user,
            request=request,
        )
    except ReportError as exc:
        # For example an unknown panel type: nothing was recorded, say why on the form.
        form.add_error(None, str(exc))
        return render(request, "reporting/run.html", context)
    if data["fmt"] == "html":
        return render(request, "reporting/report.html", {"report": report, "tables": table_context(report.tables)})
    content, content_type, filename = report.render(data["fmt"])
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
