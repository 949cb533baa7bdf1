"""Every page needs a signed-in user who has passed the second factor, unless the view is marked public."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, resolve_url

# Any view, function or `as_view()`; the decorators hand back the very same object.
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def public(view: View) -> View:
    """Mark a view as reachable without signing in (sign-in itself, public forms)."""
    view.saferhub_public = True  # type: ignore[attr-defined]
    return view


def two_factor_pending(view: View) -> View:
    """Mark a view as reachable after the password but before the second factor."""
    view.saferhub_two_factor_step = True  # type: ignore[attr-defined]
    return view


def second_factor_pending(request: HttpRequest) -> bool:
    """Signed in with the password but not yet through the second factor."""
    user = request.user
    if not user.is_authenticated or not settings.REQUIRE_TWO_FACTOR or request.session.get("saferhub_sso"):
        return False
    return not user.is_verified()  # type: ignore[attr-defined]  # django-otp's OTPMiddleware adds it


def _send_to(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect, but an htmx fragment request asks htmx to move the whole page instead.

    Following a plain redirect, htmx would swap the sign-in (or second-factor) page into the fragment's
    place, and that page's own fragments would load into it again, page within page.
    """
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


class RequireSignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        view = getattr(view_func, "view_class", view_func)
        if getattr(view_func, "saferhub_public", False) or getattr(view, "saferhub_public", False):
            return None
        if request.path.startswith(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        ):
            return None
        user = request.user
        if not user.is_authenticated:
            if request.headers.get("HX-Request"):
                return _send_to(request, resolve_url(settings.LOGIN_URL))
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if getattr(view_func, "saferhub_two_factor_step", False) or getattr(view, "saferhub_two_factor_step", False):
            return None
        if second_factor_pending(request):
            return _send_to(request, resolve_url("accounts:two-factor"))
        return None
