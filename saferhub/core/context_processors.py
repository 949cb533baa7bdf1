from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from saferhub import policy
from saferhub.accounts.middleware import second_factor_pending


def _partnership_items(user: Any) -> list[tuple[str, str]]:
    """The partnership-wide pages: police recorded crime and governance."""
    items = [("Crime", reverse("crime:index"))] if policy.can_view_crime_dashboard(user) else []
    if policy.can_view_governance(user):
        items.append(("Governance", reverse("governance:plans")))
    elif policy.is_provider(user):
        items.append(("Service returns", reverse("governance:services")))
    if policy.can_read_board_packs(user):
        items.append(("Board packs", reverse("boardpack:packs")))
    if policy.can_view_boards(user):
        items.append(("Boards", reverse("boards:list")))
    return items


def _module_items(user: Any) -> list[tuple[str, str]]:
    """The service modules' pages (Victim Care Hub, ASB, IOM) the user's roles open."""
    items = []
    if policy.works_cases(user) or policy.can_view_reports(user) or policy.can_administer(user):
        items.append(("Victim Care Hub", reverse("victims:index")))
    if policy.works_cases(user) or policy.can_administer(user):
        items.append(("ASB", reverse("asb:index")))
    if policy.works_cases(user) or policy.can_view_iom_figures(user):
        items.append(("IOM", reverse("iom:index")))
    if policy.works_cases(user) or policy.can_view_reports(user):
        items.append(("Restorative justice", reverse("rj:index")))
    return items


def saferhub(request: HttpRequest) -> dict[str, Any]:
    """The navigation a user's roles allow, and their partnership."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_partnership": None}
    if second_factor_pending(request):
        # Nothing but signing out until the second factor is passed: every other link would bounce back.
        return {"nav_items": [], "current_partnership": None, "second_factor_pending": True}
    items: list[tuple[str, str]] = []
    if policy.works_cases(user):
        items += [
            ("Home", reverse("core:home")),
            ("Cases", reverse("cases:list")),
            ("Referrals", reverse("cases:referral-inbox")),
            ("People", reverse("people:search")),
            ("Panels", reverse("panels:index")),
            ("Missing children", reverse("missing:index")),
        ]
    items += _module_items(user)
    if policy.can_read_directory(user):
        items.append(("Services", reverse("directory:index")))
    items += _partnership_items(user)
    if policy.can_view_reports(user):
        items.append(("Reports", reverse("reporting:index")))
    if policy.can_administer(user):
        items.append(("Administration", reverse("accounts:admin-index")))
    elif policy.can_review_retention(user):
        items.append(("Retention", reverse("retention:queue")))
    if policy.can_view_audit(user):
        items.append(("Audit", reverse("audit:events")))
    path = request.path
    nav = [
        {"label": label, "url": url, "current": path == url if url == "/" else path.startswith(url)}
        for label, url in items
    ]
    return {"nav_items": nav, "current_partnership": user.partnership}
