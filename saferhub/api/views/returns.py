"""Returns (every registered report kind) as JSON for a period, and the crime dashboard.

The body is exactly what `manage.py report KIND --format json` prints: the same builder,
the same options, and the same audit row (an export).
"""

import datetime
import json
import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from saferhub import policy
from saferhub.api.serializers import ReturnKindSerializer
from saferhub.api.views.common import ApiMixin, http_request
from saferhub.reporting.registry import ReportKind, UnknownReport, all_reports, get_report
from saferhub.reporting.service import ReportError, run_report

_PERIOD = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "period", OpenApiTypes.STR, description="A financial quarter, e.g. '2026/27 Q1' (instead of from/to)"
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (YYYY-MM-DD)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD)"),
    OpenApiParameter("publish", OpenApiTypes.BOOL, description="Suppress small numbers, as for publication"),
    OpenApiParameter("panel_type", OpenApiTypes.STR, description="Panel type code, for panel reports"),
    OpenApiParameter("plan", OpenApiTypes.STR, description="Action plan name, for the action-plan report"),
    OpenApiParameter("area", OpenApiTypes.STR, description="ONS code of the area, for the crime dashboard"),
]


def quarter_period(text: str) -> tuple[datetime.date, datetime.date]:
    """'2026/27 Q1' → 1 April to 30 June 2026."""
    match = _PERIOD.match(text.strip())
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValidationError({"period": ["Enter a financial quarter such as 2026/27 Q1"]})
    year, quarter = int(match[1]), int(match[3])
    start_month = 4 + 3 * (quarter - 1)
    start_year = year + (start_month > 12)
    start_month = (start_month - 1) % 12 + 1
    start = datetime.date(start_year, start_month, 1)
    end_month, end_year = (start_month + 3, start_year) if start_month <= 9 else (start_month - 9, start_year + 1)
    return start, datetime.date(end_year, end_month, 1) - datetime.timedelta(days=1)


def _date(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [f"Enter the '{name}' date as YYYY-MM-DD, for example 2026-04-01"]}) from None


def period_of(request: Request, kind: ReportKind) -> tuple[datetime.date, datetime.date]:
    if request.query_params.get("period"):
        return quarter_period(request.query_params["period"])
    date_to = _date(request, "to")
    if date_to is None:
        raise ValidationError({"to": ["Enter the last day of the period ('to', YYYY-MM-DD), or a 'period'"]})
    date_from = _date(request, "from")
    if date_from is None:
        if kind.default_from is None:
            raise ValidationError({"from": ["Enter the first day of the period ('from', YYYY-MM-DD)"]})
        date_from = kind.default_from(date_to)
    if date_from > date_to:
        raise ValidationError({"from": ["The first day must be on or before the last day ('to')"]})
    return date_from, date_to


def report_json(request: Request, kind: ReportKind) -> Response:
    date_from, date_to = period_of(request, kind)
    params = request.query_params
    options = {name: params.get(name) for name in ("panel_type", "plan", "area") if params.get(name)}
    try:
        report = run_report(
            kind,
            request.user.partnership,  # type: ignore[union-attr]
            date_from,
            date_to,
            fmt="json",
            publish=params.get("publish", "").lower() in ("1", "true", "yes"),
            options=options,
            user=request.user,
            request=http_request(request),
        )
    except ReportError as exc:
        raise ValidationError({"non_field_errors": [str(exc)]}) from exc
    content, _, _ = report.render("json")
    return Response(json.loads(content))


@extend_schema(tags=["returns"])
class ReturnKindList(ApiMixin, generics.GenericAPIView):
    """The returns you may pull (analysts, board members, team managers, administrators)."""

    serializer_class = ReturnKindSerializer
    pagination_class = None

    @extend_schema(operation_id="returns_kinds_list", responses={200: ReturnKindSerializer(many=True)})
    def get(self, request: Request) -> Response:
        if not policy.can_view_reports(request.user):
            raise PermissionDenied("Only analysts, board members, team managers and administrators can see reports.")
        kinds = [
            {
                "slug": kind.slug,
                "title": kind.title,
                "description": kind.description,
                "needs_from": kind.default_from is None,
            }
            for kind in all_reports()
        ]
        return Response(ReturnKindSerializer(kinds, many=True).data)


@extend_schema(tags=["returns"], parameters=PERIOD_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
class ReturnDetail(ApiMixin, generics.GenericAPIView):
    """One return for a period, as JSON (the same as `manage.py report KIND --format json`); audited as an export."""

    def get(self, request: Request, slug: str) -> Response:
        if not policy.can_view_reports(request.user):
            raise PermissionDenied("Only analysts, board members, team managers and administrators can see reports.")
        try:
            kind = get_report(slug)
        except UnknownReport:
            raise Http404("No such return") from None
        return report_json(request, kind)


@extend_schema(tags=["returns"], parameters=PERIOD_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
class CrimeDashboard(ApiMixin, generics.GenericAPIView):
    """The crime dashboard for the twelve months to `to` (police recorded crime, aggregate)."""

    def get(self, request: Request) -> Response:
        if not policy.can_view_crime_dashboard(request.user):
            raise PermissionDenied("Only analysts, board members, team managers and administrators see the dashboard.")
        from saferhub.crime.dashboard import SLUG

        return report_json(request, get_report(SLUG))


__all__ = ["CrimeDashboard", "ReturnDetail", "ReturnKindList", "quarter_period"]
