"""Importing CSV files from the web: the same runner as `manage.py import_records`."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.imports.forms import UploadForm
from saferhub.imports.models import ImportRun
from saferhub.imports.registry import all_kinds, get_kind
from saferhub.imports.runner import count_rows, run_import
from saferhub.imports.tasks import queue_import

RECENT_RUNS = 20


def importers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_import(request.user):
            raise PermissionDenied("Only partnership administrators and analysts can import files.")
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET"])
@importers_only
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    runs = ImportRun.objects.filter(partnership_id=request.user.partnership_id).select_related("user")[:RECENT_RUNS]  # type: ignore[misc]
    return render(request, "imports/index.html", {"kinds": all_kinds(), "runs": runs})


@require_http_methods(["GET", "POST"])
@importers_only
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = UploadForm(initial={"kind": request.GET.get("kind", "")})
        return render(request, "imports/upload.html", {"form": form})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/upload.html", {"form": form})
    upload_file = form.cleaned_data["file"]
    kind = get_kind(form.cleaned_data["kind"])
    if hasattr(kind, "run_files"):  # published police data: the kind's own streaming path
        (result,) = kind.run_files(
            [(upload_file.name, upload_file.file)],
            partnership=request.user.partnership,
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
            request=request,
        )
        return render(request, "imports/result.html", {"result": result, "kind": kind})
    if count_rows(upload_file.file) > settings.IMPORT_BACKGROUND_ROWS:
        # A big file is imported by the worker: the request does not wait for it.
        run = queue_import(
            kind=form.cleaned_data["kind"],
            upload=upload_file,
            partnership=request.user.partnership,
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
            create_organisations=form.cleaned_data["create_organisations"],
        )
        return redirect("imports:run", pk=run.pk)
    # Stream the upload: the runner decodes and reads it row by row.
    result = run_import(
        kind,
        upload_file.file,
        partnership=request.user.partnership,
        filename=upload_file.name,
        user=request.user,
        dry_run=form.cleaned_data["dry_run"],
        create_organisations=form.cleaned_data["create_organisations"],
        request=request,
    )
    return render(request, "imports/result.html", {"result": result, "kind": get_kind(result.kind)})


@require_http_methods(["GET"])
@importers_only
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A run's progress while it is queued or running (polled every 2 s by htmx), then its result."""
    run = get_object_or_404(
        ImportRun.objects.select_related("user"),
        pk=pk,
        partnership_id=request.user.partnership_id,  # type: ignore[misc]
    )
    kinds = {kind.slug: kind for kind in all_kinds()}
    return render(request, "imports/run.html", {"run": run, "kind": kinds.get(run.kind)})
