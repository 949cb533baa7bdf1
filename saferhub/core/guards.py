"""View decorators that refuse a whole page by role, asking the policy package (never deciding here)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def require(check: Callable[[Any], bool], refusal: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Answer 403 with `refusal` to users for whom `check(user)` (a `saferhub.policy` rule) is false."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
