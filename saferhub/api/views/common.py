"""What every endpoint shares: sign-in through DRF (not the page middleware), the scope check,
the audit of reads and searches, `modified_since` and the 409 of a stale `version`."""

import datetime
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from saferhub.api.authentication import credential_label
from saferhub.api.pagination import SyncCursorPagination
from saferhub.audit import log
from saferhub.audit.models import AuditAction

MODIFIED_SINCE = OpenApiParameter(
    "modified_since",
    OpenApiTypes.DATETIME,
    description="Only records changed at or after this moment (ISO 8601, e.g. 2026-11-30T09:00:00Z): for syncing.",
)


def http_request(request: Request | HttpRequest) -> HttpRequest:
    """The Django request under a DRF one (the policy helpers and the audit take it)."""
    return getattr(request, "_request", request)


class ApiMixin:
    """Reached without the page sign-in (DRF signs the client in); lists are cursor-paged."""

    saferhub_public = True  # RequireSignInMiddleware: DRF authenticates, and answers 401 itself
    pagination_class: Any = SyncCursorPagination
    # The subject of the list, for the audit trail ("cases", "people" …).
    audit_subject = ""

    request: Request

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        # No database stores a NUL in text: refuse it here rather than fail in a query.
        for name, value in request.query_params.items():
            if "\x00" in value or "\x00" in name:
                raise ValidationError({name: ["Remove the NUL character from the value"]})

    def audit_search(self) -> None:
        request = self.request
        log.record(
            request.user,
            AuditAction.SEARCH,
            None,
            request=http_request(request),
            detail={
                "api": self.audit_subject,
                "query": dict(request.query_params.items()),
                "via": credential_label(request.auth),
            },
        )

    def audit_view(self, obj: models.Model) -> None:
        log.record(
            self.request.user,
            AuditAction.VIEW,
            obj,
            request=http_request(self.request),
            detail={"via": credential_label(self.request.auth)},
        )


def modified_since(request: Request, queryset: Any, field: str = "modified_at") -> Any:
    raw = request.query_params.get("modified_since")
    if not raw:
        return queryset
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw) if len(raw) == 10 else None
        if day is None:
            raise ValidationError(
                {"modified_since": ["Enter a date and time in ISO 8601 form, for example 2026-11-30T09:00:00Z"]}
            )
        value = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return queryset.filter(**{f"{field}__gte": value})


class AuditedListView(ApiMixin, generics.ListAPIView):
    """A list read through the policy, filtered by `modified_since`, audited as a search."""

    def visible(self) -> Any:  # the policy's queryset for request.user
        raise NotImplementedError

    def get_queryset(self) -> Any:
        return modified_since(self.request, self.visible())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        self.audit_search()
        return response


def conflict(current_version: int, message: str) -> Response:
    """A stale `version`: nothing was saved; the client re-reads and tries again."""
    return Response(
        {"detail": message, "current_version": current_version},
        status=status.HTTP_409_CONFLICT,
    )
