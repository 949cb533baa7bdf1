"""The audit viewer, its CSV export and the review of emergency (break-glass) access.

Auditors see their own partnership's trail (`policy.can_view_audit`); auditors
and partnership administrators review break-glass grants
(`policy.can_review_break_glass`). Looking at the trail is itself audited.
"""

import csv
import json
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.forms import AuditFilterForm, BreakGlassReviewForm
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.audit.reviews import ReviewError, review_break_glass
from saferhub.cases.models import BreakGlassGrant
from saferhub.core.spreadsheets import neutralise_row

PAGE_SIZE = 50
EXPORT_CHUNK = 2000


def _only_if(check: Callable[[Any], bool], message: str) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


auditor_only = _only_if(policy.can_view_audit, "Only auditors can see the audit trail.")
reviewer_only = _only_if(policy.can_review_break_glass, "Only auditors and administrators review emergency access.")


def _filtered_events(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    partnership: Any = request.user.partnership  # type: ignore[union-attr]
    form = AuditFilterForm(request.GET or None, partnership=partnership)
    events: Any = AuditEvent.objects.filter(partnership=partnership).select_related("user").order_by("-at", "-pk")
    if form.is_bound:
        events = form.filter(events) if form.is_valid() else events.none()
    return form, events


# Audit trail ----------------------------------------------------------------


@require_GET
@auditor_only
def events(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered_events(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # Recorded after the page is read, so the auditor's own search does not fill the top of every page.
    log.record(
        request.user,
        AuditAction.SEARCH,
        request=request,
        detail={"audit_trail": form.audit_detail(), "page": page.number},
    )
    export_query = request.GET.copy()
    export_query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "events": rows,
        "export_url": f"{reverse('audit:export')}?{export_query.urlencode()}",
        "can_review": policy.can_review_break_glass(request.user),
    }
    return render(request, "audit/events.html", context)


class _Echo:
    """A file-like object whose write() hands back the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


EXPORT_COLUMNS = [
    "When",
    "User e-mail",
    "User name",
    "Action",
    "Object type",
    "Object id",
    "Object",
    "Case id",
    "Person id",
    "Reason",
    "Flagged",
    "IP address",
    "Path",
    "Detail",
]


def _export_rows(events: Any) -> Iterator[list[Any]]:
    yield EXPORT_COLUMNS
    for event in events.iterator(chunk_size=EXPORT_CHUNK):
        user = event.user
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            user.email if user else "",
            user.full_name if user else "",
            event.get_action_display(),
            event.object_type,
            event.object_id,
            event.object_repr,
            event.case_id or "",
            event.person_id or "",
            event.reason,
            "yes" if event.flagged else "no",
            event.ip_address or "",
            event.path,
            json.dumps(event.detail, sort_keys=True) if event.detail else "",
        ]


@require_GET
@auditor_only
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form, queryset = _filtered_events(request)
    if form.is_bound and not form.is_valid():
        # The viewer shows what is wrong with the filters.
        return redirect(f"{reverse('audit:events')}?{request.GET.urlencode()}")
    recorded = log.record(
        request.user, AuditAction.EXPORT, request=request, detail={"audit_trail": form.audit_detail()}
    )
    # The file holds the trail as it was asked for, without the row recording this download.
    queryset = queryset.exclude(pk=recorded.pk)
    writer = csv.writer(_Echo())
    lines = (writer.writerow(neutralise_row(row)) for row in _export_rows(queryset))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="saferhub-audit-{stamp}.csv"'
    return response


# Break-glass review ---------------------------------------------------------


def _partnership_id(request: HttpRequest) -> int:
    return request.user.partnership_id  # type: ignore[union-attr,return-value]


def _get_grant_for_review(request: HttpRequest, pk: int) -> BreakGlassGrant:
    return get_object_or_404(
        BreakGlassGrant.objects.select_related("user", "case", "reviewed_by"),
        pk=pk,
        case__partnership_id=_partnership_id(request),
    )


@require_GET
@reviewer_only
def break_glass_list(request: HttpRequest) -> HttpResponse:
    grants = (
        BreakGlassGrant.objects.filter(case__partnership_id=_partnership_id(request), reviewed_at__isnull=True)
        .select_related("user", "case")
        .order_by("granted_at", "pk")
    )
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "grants": page.object_list, "can_view_audit": policy.can_view_audit(request.user)}
    return render(request, "audit/break_glass_list.html", context)


@require_http_methods(["GET", "POST"])
@reviewer_only
def break_glass_review(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _get_grant_for_review(request, pk)
    if grant.reviewed_at is not None:
        messages.info(request, f"That use of emergency access was already reviewed by {grant.reviewed_by}.")
        return redirect("audit:break-glass")
    form = BreakGlassReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_break_glass(request.user, grant, form.cleaned_data["review_note"], request=request)
        except ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Review of {grant.user}'s emergency access to {grant.case.reference} recorded.")
            return redirect("audit:break-glass")
    # What the user did with the case while the grant was open, to judge it by.
    activity = AuditEvent.objects.filter(
        partnership_id=grant.case.partnership_id,
        user_id=grant.user_id,
        case_id=grant.case_id,
        at__gte=grant.granted_at,
        at__lte=grant.expires_at,
    ).order_by("at", "pk")[:PAGE_SIZE]
    context = {"form": form, "grant": grant, "activity": activity, "own_grant": grant.user_id == request.user.pk}
    return render(request, "audit/break_glass_review.html", context)
