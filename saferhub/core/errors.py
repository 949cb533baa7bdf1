"""Our own error pages. The 404 for a case says only that the user cannot open it, and offers emergency access
when the policy would grant it; 403, 400 and 500 use Django's handlers with our templates."""

import posixpath
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse

from saferhub import policy

CASE_ROUTE_PART = "<caseref:reference>"


def _case_reference(request: HttpRequest) -> str | None:
    """The case reference in the URL, when the path is one of a case's pages."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if CASE_ROUTE_PART not in (match.route or ""):
        return None
    return match.kwargs.get("reference")


def _emergency_access_link(path: str, reference: str) -> str:
    """A link to emergency access that does not spell out the reference, so no refusal page ever names a case.

    From the case's own pages, a relative link to its emergency-access page; from elsewhere (e.g. the ASB
    record), the emergency-access form, where the user types the reference they already have.
    """
    target = reverse("cases:break-glass", kwargs={"reference": reference})
    base = path if path.endswith("/") else posixpath.dirname(path) + "/"
    relative = posixpath.relpath(target, base) + "/"
    return relative if reference not in relative else reverse("cases:break-glass-start")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context: dict[str, Any] = {"case_reference": None, "emergency_access_url": None}
    reference = _case_reference(request)
    user = getattr(request, "user", None)
    if reference and user is not None and user.is_authenticated:
        if policy.visible_cases(user).filter(reference=reference).exists():
            # The case is theirs to see: what is missing is a page or record within it.
            reference = None
        else:
            try:
                policy.find_case_for_break_glass(user, reference)
            except Http404:
                pass  # missing, restricted, archived, another partnership's, or no casework role: all look alike
            else:
                context["emergency_access_url"] = _emergency_access_link(request.path, reference)
                context["minutes"] = settings.BREAK_GLASS_MINUTES
        context["case_reference"] = reference
    return render(request, "404.html", context, status=404)
