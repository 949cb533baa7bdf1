"""Report pages: choose a report and period, then see it as a page or download it."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.reporting.builds import build_dir, needs_background, queue_build
from saferhub.reporting.forms import FORMAT_CHOICES, ReportForm, ReportKindForm, submitted
from saferhub.reporting.outputs import table_context
from saferhub.reporting.registry import all_reports, get_report
from saferhub.reporting.service import FORMATS, ReportError, clean_options, run_report


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
    partnership = request.user.partnership  # type: ignore[union-attr]
    if not submitted(request.GET):
        context["form"] = ReportForm(kind=kind, partnership=partnership, initial={"fmt": "html"})
        return render(request, "reporting/run.html", context)
    form = context["form"] = ReportForm(request.GET, kind=kind, partnership=partnership)
    if not form.is_valid():
        return render(request, "reporting/run.html", context)
    data = form.cleaned_data
    rows = needs_background(kind, partnership, data["date_from"], data["date_to"])
    if rows is not None:
        # A big report is built by the worker: the request does not wait for it.
        try:
            options = clean_options(kind, form.options)
        except ReportError as exc:
            form.add_error(None, str(exc))
            return render(request, "reporting/run.html", context)
        build = queue_build(
            kind=kind,
            partnership=partnership,
            user=request.user,
            date_from=data["date_from"],
            date_to=data["date_to"],
            fmt=data["fmt"],
            publish=data["publish"],
            options=options,
            rows_total=rows,
        )
        return redirect("reporting:build", pk=build.pk)
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


@report_viewers_only
def build_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A background build's status (polled every 2 s by htmx while it runs), then its download link."""
    build = get_object_or_404(policy.visible_report_builds(request.user).select_related("requested_by"), pk=pk)
    kinds = {kind.slug: kind for kind in all_reports()}
    context = {"build": build, "kind": kinds.get(build.kind), "format_label": dict(FORMAT_CHOICES).get(build.format)}
    return render(request, "reporting/build.html", context)


@report_viewers_only
def build_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The built file, for those who may see the partnership's reports; audited like a direct download."""
    build = get_object_or_404(policy.visible_report_builds(request.user).select_related("partnership"), pk=pk)
    path = build_dir() / build.file_name
    if not build.file_name or not path.is_file():
        raise Http404("This report has not been built.")
    log.record(
        request.user,
        AuditAction.EXPORT,
        None,
        request=request,
        partnership=build.partnership,
        detail={
            "report": build.kind,
            "from": build.date_from.isoformat(),
            "to": build.date_to.isoformat(),
            "format": build.format,
            "publish": build.publish,
            "build": build.pk,
            **build.options,
        },
    )
    response = HttpResponse(path.read_bytes(), content_type=FORMATS[build.format][0])
    response["Content-Disposition"] = f'attachment; filename="{build.download_name}"'
    return response
