"""Notification pages: the list (paged), the header's unread count, marking read, preferences.

A user only ever sees their own notifications (``policy.visible_notifications``); one URL per action.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferhub import policy
from saferhub.notifications import actions
from saferhub.notifications.forms import PreferencesForm
from saferhub.notifications.models import Kind, NotificationPreference

PER_PAGE = 25


def _require(request: HttpRequest) -> None:
    if not policy.can_receive_notifications(request.user):
        raise PermissionDenied("Notifications are for members of a partnership.")


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    notifications = policy.visible_notifications(request.user)
    show_unread = request.GET.get("show") == "unread"
    if show_unread:
        notifications = notifications.unread()
    page = Paginator(notifications.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "show_unread": show_unread,
        "unread_count": policy.visible_notifications(request.user).unread().count(),
        "query": "show=unread" if show_unread else "",
    }
    return render(request, "notifications/list.html", context)


@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    """The header's bell: loaded after the page (htmx), so no page pays a query for it."""
    _require(request)
    count = policy.visible_notifications(request.user).unread().count()
    return render(request, "notifications/_count.html", {"count": count})


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    notification = policy.get_notification_for_user(request.user, pk)
    actions.mark_read(request.user, notification, request=request)
    messages.success(request, "Notification marked as read")
    return redirect("notifications:list")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    _require(request)
    count = actions.mark_all_read(request.user, request=request)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read")
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    _require(request)
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery"))  # type: ignore[misc]
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        actions.save_preferences(request.user, form.choices(), request=request)
        messages.success(request, "Your notification choices have been saved")
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html", {"form": form, "kinds": list(Kind)})


app_name = "notifications"

urlpatterns = [
    path("", notification_list, name="list"),
    path("count/", unread_count, name="count"),
    path("read-all/", mark_all_read, name="read-all"),
    path("preferences/", preferences, name="preferences"),
    path("<int:pk>/read/", mark_read, name="read"),
]
