"""Staying signed in: the idle sign-out warning's "Stay signed in" button (WCAG 2.2.1 Timing adjustable).

Sessions end after ``SESSION_COOKIE_AGE`` seconds without a request (``SESSION_SAVE_EVERY_REQUEST``), so
any request extends one; this one changes nothing else and says how long the session now lasts. Like
every page it needs sign-in (an ended session is sent to the sign-in page, which the script notices).
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    request.session.modified = True
    return JsonResponse({"signed_in": True, "seconds": settings.SESSION_COOKIE_AGE})
