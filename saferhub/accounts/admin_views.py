"""Partnership administration: users, teams, agencies and reference data.

Every page is for the signed-in user's own partnership and needs
`policy.can_administer`; records of another partnership are 404. Changes go
through `saferhub.accounts.administration`, one function per action.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub import policy
from saferhub.accounts import administration
from saferhub.accounts.admin_forms import (
    AgencyEditForm,
    AgencyForm,
    ArchiveTeamForm,
    ReferenceCodeChangeForm,
    ReferenceCodeCreateForm,
    TeamEditForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
)
from saferhub.accounts.models import Agency, RoleAssignment, Team, User
from saferhub.accounts.password_forms import link_lifetime
from saferhub.api.sso import no_password_needed, provider_only
from saferhub.cases.models import BreakGlassGrant, CaseStatus
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.versioning import StaleEdit, conflict
from saferhub.setup.checklist import checklist

PAGE_SIZE = 50


def admin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_administer(request.user):
            raise PermissionDenied("Only partnership administrators can use this page.")
        return view(request, *args, **kwargs)

    return require_http_methods(["GET", "POST"])(wrapped)


def _partnership(request: HttpRequest) -> Any:
    return request.user.partnership  # type: ignore[union-attr]


def _partnership_id(request: HttpRequest) -> int:
    return request.user.partnership_id  # type: ignore[union-attr,return-value]


def _get_user_for_admin(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(
        User.objects.select_related("agency", "team"), pk=pk, partnership_id=_partnership_id(request)
    )


def _get_team_for_admin(request: HttpRequest, pk: int) -> Team:
    return get_object_or_404(Team.objects.select_related("agency"), pk=pk, partnership_id=_partnership_id(request))


def _get_agency_for_admin(request: HttpRequest, pk: int) -> Agency:
    return get_object_or_404(Agency.objects.select_related("parent"), pk=pk, partnership_id=_partnership_id(request))


def _code_list_label(code_list: str) -> str:
    if code_list not in ReferenceList.values:
        raise Http404("No such code list")
    return ReferenceList(code_list).label


def _get_code_for_admin(request: HttpRequest, code_list: str, pk: int) -> ReferenceCode:
    _code_list_label(code_list)
    return get_object_or_404(ReferenceCode, pk=pk, code_list=code_list, partnership_id=_partnership_id(request))


def _confirm(request: HttpRequest, **context: Any) -> HttpResponse:
    """The "are you sure" page shown on GET for one-step actions; the same URL does it on POST."""
    return render(request, "accounts/admin/confirm.html", context)


# Index ----------------------------------------------------------------------


@admin_only
def admin_index(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    context = {
        "user_count": User.objects.filter(partnership=partnership, is_active=True).count(),
        "team_count": Team.objects.filter(archived_at__isnull=True, partnership=partnership).count(),
        "agency_count": Agency.objects.live().filter(partnership=partnership).count(),
        "list_count": len(ReferenceList.choices),
        "setup_remaining": sum(1 for item in checklist(partnership) if not item.done),
        "break_glass_count": BreakGlassGrant.objects.filter(
            case__partnership=partnership, reviewed_at__isnull=True
        ).count(),
        "api_client_count": policy.visible_api_clients(request.user).live().count(),
    }
    return render(request, "accounts/admin/index.html", context)


# Users ----------------------------------------------------------------------


def _sign_in_by_provider(provider: Any) -> dict[str, Any]:
    """For the user pages: the provider the partnership's people sign in with only, and what to say of it."""
    if provider is None:
        return {"provider": None}
    return {"provider": provider, "no_password_needed": no_password_needed(provider)}


@admin_only
def user_list(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    users = (
        User.objects.filter(partnership=partnership)
        .select_related("agency", "team")
        .annotate(has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(partnership=partnership).order_by("role"),
                to_attr="partnership_roles",
            )
        )
        .order_by("-is_active", "full_name", "pk")
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "users": page.object_list, **_sign_in_by_provider(provider_only(partnership))}
    return render(request, "accounts/admin/user_list.html", context)


@admin_only
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, partnership=_partnership(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = administration.create_user(
                request.user,
                email=data["email"],
                full_name=data["full_name"],
                job_title=data["job_title"],
                agency=data["agency"],
                team=data["team"],
                roles=data["roles"],
                password=data.get("password1") or None,
                request=request,
            )
        except administration.AdministrationError as error:
            form.add_error(None, str(error))
        else:
            if form.provider is not None:
                messages.success(
                    request, f"Account created for {user}. {no_password_needed(form.provider)} They can sign in now."
                )
            elif data["password1"]:
                messages.success(
                    request,
                    f"{user} can now sign in with the initial password you set. Give it to them in person; "
                    "they set up two-factor authentication at their first sign-in.",
                )
            else:
                messages.success(
                    request,
                    f"Account created for {user}. They cannot sign in until they set a password: "
                    "send them the sign-in set-up. Open their name in the list below and choose "
                    "Send sign-in set-up.",
                )
            return redirect("accounts:admin-users")
    context = {"form": form, "creating": True, **_sign_in_by_provider(form.provider)}
    return render(request, "accounts/admin/user_form.html", context)


@admin_only
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _get_user_for_admin(request, pk)
    form = UserEditForm(request.POST or None, partnership=_partnership(request), instance=subject)

    def context_for(subject: User) -> dict[str, Any]:
        return {
            "subject": subject,
            "device_count": TOTPDevice.objects.filter(user=subject).count(),
            "is_self": subject.pk == request.user.pk,
            **_sign_in_by_provider(provider_only(_partnership(request))),
        }

    if request.method == "POST" and form.is_valid():
        data = form.changes()
        try:
            administration.update_user(
                request.user,
                subject,
                roles=data.pop("roles"),
                expected_version=form.cleaned_data["version"],
                request=request,
                **data,
            )
        except administration.AdministrationError as error:
            form.add_error(None, str(error))
        except StaleEdit:
            subject = _get_user_for_admin(request, pk)
            kwargs = {"partnership": _partnership(request), "instance": subject}
            return conflict(
                request,
                "accounts/admin/user_form.html",
                context_for(subject),
                form_class=UserEditForm,
                stale_form=form,
                instance=subject,
                form_kwargs=kwargs,
            )
        else:
            messages.success(request, f"Changes to {subject} saved.")
            return redirect("accounts:admin-users")
    return render(request, "accounts/admin/user_form.html", {"form": form, **context_for(subject)})


def _user_action(
    request: HttpRequest,
    pk: int,
    action: Callable[..., Any],
    done: str,
    **page: Any,
) -> HttpResponse:
    subject = _get_user_for_admin(request, pk)
    if request.method == "POST":
        try:
            action(request.user, subject, request=request)
        except administration.AdministrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done.format(user=subject))
        return redirect("accounts:admin-user-edit", pk=subject.pk)
    back = reverse("accounts:admin-user-edit", args=[subject.pk])
    return _confirm(request, subject=subject, cancel_url=back, **page)


@admin_only
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    refused = ""
    if pk == request.user.pk:
        refused = "You cannot deactivate your own account. Ask another administrator."
    return _user_action(
        request,
        pk,
        administration.deactivate_user,
        "{user} has been deactivated and can no longer sign in.",
        heading="Deactivate this user?",
        explanation="They will not be able to sign in. Their records, cases and audit trail stay as they are, "
        "and you can reactivate the account later.",
        button="Deactivate user",
        warning=True,
        refused=refused,
    )


@admin_only
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(
        request,
        pk,
        administration.reactivate_user,
        "{user} has been reactivated and can sign in again.",
        heading="Reactivate this user?",
        explanation="They will be able to sign in again with their existing password and second factor.",
        button="Reactivate user",
    )


@admin_only
def user_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    provider = provider_only(_partnership(request))
    if provider is not None:  # the identity provider asks for its own second factor, not Saferhub
        return _user_action(
            request,
            pk,
            administration.reset_two_factor,
            "Two-factor authentication has been reset for {user}. Their identity provider asks for their second factor.",
            heading="Reset this user's two-factor authentication?",
            explanation=f"Their authenticator app will stop working for Saferhub. {no_password_needed(provider)} "
            f"{provider.name} asks for their second factor, so they set up no new authenticator in Saferhub.",
            button="Reset two-factor authentication",
            warning=True,
        )
    return _user_action(
        request,
        pk,
        administration.reset_two_factor,
        "Two-factor authentication has been reset for {user}. They set up a new authenticator at their next sign-in.",
        heading="Reset this user's two-factor authentication?",
        explanation="Their authenticator app will stop working for Saferhub. At their next sign-in they must set "
        "up a new one. Do this only after checking who is asking, for example by calling them back on a "
        "known number.",
        button="Reset two-factor authentication",
        warning=True,
    )


@admin_only
def user_send_setup(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _get_user_for_admin(request, pk)
    refused = ""
    provider = provider_only(_partnership(request))
    if provider is not None:
        refused = f"{no_password_needed(provider)} No set-up e-mail is sent to them."
    elif not subject.is_active:
        refused = "This account is deactivated. Reactivate it before sending the sign-in set-up."
    if subject.has_usable_password():
        explanation = (
            f"We will e-mail {subject.email} a link to choose a new password. Their current password keeps "
            f"working until they do. The link works once, for {link_lifetime()}."
        )
    else:
        explanation = (
            f"We will e-mail {subject.email} a link to choose a password, so they can sign in for the first "
            f"time. The link works once, for {link_lifetime()}; you can send another if it expires."
        )
    return _user_action(
        request,
        pk,
        administration.send_sign_in_setup,
        "We have sent {user} an e-mail to set up their sign-in.",
        heading="Send the sign-in set-up?",
        explanation=explanation,
        button="Send e-mail",
        refused=refused,
    )


# Agencies -------------------------------------------------------------------


@admin_only
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = (
        Agency.objects.filter(partnership=_partnership(request))
        .select_related("parent")
        .annotate(
            team_count=Count("teams", filter=Q(teams__archived_at__isnull=True), distinct=True),
            user_count=Count("users", filter=Q(users__is_active=True), distinct=True),
        )
        .order_by("name")
    )
    return render(request, "accounts/admin/agency_list.html", {"agencies": agencies})


@admin_only
def agency_create(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    form = AgencyForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            agency = administration.create_agency(
                request.user, partnership=partnership, request=request, **form.cleaned_data
            )
        except administration.AdministrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{agency.name} added.")
            return redirect("accounts:admin-agencies")
    return render(request, "accounts/admin/agency_form.html", {"form": form, "creating": True})


@admin_only
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _get_agency_for_admin(request, pk)
    form = AgencyEditForm(request.POST or None, partnership=_partnership(request), instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            administration.update_agency(
                request.user, agency, expected_version=form.cleaned_data["version"], request=request, **form.changes()
            )
        except administration.AdministrationError as error:
            form.add_error(None, str(error))
        except StaleEdit:
            agency = _get_agency_for_admin(request, pk)
            return conflict(
                request,
                "accounts/admin/agency_form.html",
                {"agency": agency},
                form_class=AgencyEditForm,
                stale_form=form,
                instance=agency,
                form_kwargs={"partnership": _partnership(request), "instance": agency},
            )
        else:
            messages.success(request, f"Changes to {agency.name} saved.")
            return redirect("accounts:admin-agencies")
    return render(request, "accounts/admin/agency_form.html", {"form": form, "agency": agency})


# Teams ----------------------------------------------------------------------


@admin_only
def team_list(request: HttpRequest) -> HttpResponse:
    open_cases = Q(cases__archived_at__isnull=True) & ~Q(cases__status=CaseStatus.CLOSED)
    teams = (
        Team.objects.filter(partnership=_partnership(request))
        .select_related("agency")
        .annotate(
            member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
            open_case_count=Count("cases", filter=open_cases, distinct=True),
        )
        .order_by(F("archived_at").asc(nulls_first=True), "agency__name", "name")
    )
    return render(request, "accounts/admin/team_list.html", {"teams": teams})


@admin_only
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, partnership=_partnership(request))
    if request.method == "POST" and form.is_valid():
        try:
            team = administration.create_team(request.user, request=request, **form.cleaned_data)
        except administration.AdministrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{team.name} added to {team.agency.name}.")
            return redirect("accounts:admin-teams")
    return render(request, "accounts/admin/team_form.html", {"form": form, "creating": True})


@admin_only
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = _get_team_for_admin(request, pk)
    form = TeamEditForm(request.POST or None, partnership=_partnership(request), instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            administration.update_team(
                request.user, team, expected_version=form.cleaned_data["version"], request=request, **form.changes()
            )
        except administration.AdministrationError as error:
            form.add_error(None, str(error))
        except StaleEdit:
            team = _get_team_for_admin(request, pk)
            return conflict(
                request,
                "accounts/admin/team_form.html",
                {"team": team},
                form_class=TeamEditForm,
                stale_form=form,
                instance=team,
                form_kwargs={"partnership": _partnership(request), "instance": team},
            )
        else:
            messages.success(request, f"Changes to {team.name} saved.")
            return redirect("accounts:admin-teams")
    return render(request, "accounts/admin/team_form.html", {"form": form, "team": team})


@admin_only
def team_archive(request: HttpRequest, pk: int) -> HttpResponse:
    team = _get_team_for_admin(request, pk)
    form = ArchiveTeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            administration.archive_team(request.user, team, form.cleaned_data["reason"], request=request)
        except administration.AdministrationError as error:
            messages.error(request, str(error))
            return redirect("accounts:admin-team-edit", pk=team.pk)
        messages.success(request, f"{team.name} has been archived.")
        return redirect("accounts:admin-teams")
    context = {
        "form": form,
        "team": team,
        "open_case_count": administration.open_cases_owned_by(team),
        "cancel_url": reverse("accounts:admin-team-edit", args=[team.pk]),
    }
    return render(request, "accounts/admin/team_archive.html", context)


# Reference data -------------------------------------------------------------


@admin_only
def reference_index(request: HttpRequest) -> HttpResponse:
    counts = {
        row["code_list"]: row
        for row in ReferenceCode.objects.filter(partnership=_partnership(request))
        .values("code_list")
        .annotate(total=Count("pk"), active=Count("pk", filter=Q(active=True)))
        .order_by()
    }
    lists = [
        {
            "code_list": value,
            "label": label,
            "active": counts.get(value, {}).get("active", 0),
            "disabled": counts.get(value, {}).get("total", 0) - counts.get(value, {}).get("active", 0),
        }
        for value, label in sorted(ReferenceList.choices, key=lambda choice: choice[1])
    ]
    return render(request, "accounts/admin/reference_index.html", {"lists": lists})


@admin_only
def reference_list(request: HttpRequest, code_list: str) -> HttpResponse:
    label = _code_list_label(code_list)
    codes = ReferenceCode.objects.of(_partnership(request), code_list).order_by("-active", "sort_order", "label")
    context = {"code_list": code_list, "list_label": label, "codes": codes}
    return render(request, "accounts/admin/reference_list.html", context)


@admin_only
def reference_create(request: HttpRequest, code_list: str) -> HttpResponse:
    label = _code_list_label(code_list)
    partnership = _partnership(request)
    form = ReferenceCodeCreateForm(request.POST or None, partnership=partnership, code_list=code_list)
    if request.method == "POST" and form.is_valid():
        code = administration.create_reference_code(
            request.user, partnership=partnership, code_list=code_list, request=request, **form.cleaned_data
        )
        messages.success(request, f"{code.label} added to {label}.")
        return redirect("accounts:admin-reference-list", code_list=code_list)
    context = {"form": form, "code_list": code_list, "list_label": label, "creating": True}
    return render(request, "accounts/admin/reference_form.html", context)


@admin_only
def reference_edit(request: HttpRequest, code_list: str, pk: int) -> HttpResponse:
    code = _get_code_for_admin(request, code_list, pk)
    form = ReferenceCodeChangeForm(request.POST or None, instance=code)
    context = {"code": code, "code_list": code_list, "list_label": _code_list_label(code_list)}
    if request.method == "POST" and form.is_valid():
        try:
            administration.update_reference_code(
                request.user, code, expected_version=form.cleaned_data["version"], request=request, **form.changes()
            )
        except StaleEdit:
            code = _get_code_for_admin(request, code_list, pk)
            return conflict(
                request,
                "accounts/admin/reference_form.html",
                {**context, "code": code},
                form_class=ReferenceCodeChangeForm,
                stale_form=form,
                instance=code,
                form_kwargs={"instance": code},
            )
        messages.success(request, f"Changes to {code.label} saved.")
        return redirect("accounts:admin-reference-list", code_list=code_list)
    return render(request, "accounts/admin/reference_form.html", {**context, "form": form})


def _code_action(
    request: HttpRequest, code_list: str, pk: int, action: Callable[..., Any], **page: Any
) -> HttpResponse:
    code = _get_code_for_admin(request, code_list, pk)
    back = reverse("accounts:admin-reference-list", args=[code_list])
    if request.method == "POST":
        try:
            action(request.user, code, request=request)
        except administration.AdministrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, page["done"].format(code=code.label))
        return redirect(back)
    return _confirm(request, code=code, cancel_url=back, **page)


@admin_only
def reference_disable(request: HttpRequest, code_list: str, pk: int) -> HttpResponse:
    return _code_action(
        request,
        code_list,
        pk,
        administration.disable_reference_code,
        heading="Disable this code?",
        explanation="It will no longer be offered in forms. Records that already use it keep it, and returns "
        "still count them. You can enable it again later.",
        button="Disable code",
        done="{code} has been disabled.",
        warning=True,
    )


@admin_only
def reference_enable(request: HttpRequest, code_list: str, pk: int) -> HttpResponse:
    return _code_action(
        request,
        code_list,
        pk,
        administration.enable_reference_code,
        heading="Enable this code?",
        explanation="It will be offered in forms again.",
        button="Enable code",
        done="{code} has been enabled.",
    )


urlpatterns = [
    path("admin/", admin_index, name="admin-index"),
    path("admin/users/", user_list, name="admin-users"),
    path("admin/users/new/", user_create, name="admin-user-create"),
    path("admin/users/<int:pk>/", user_edit, name="admin-user-edit"),
    path("admin/users/<int:pk>/deactivate/", user_deactivate, name="admin-user-deactivate"),
    path("admin/users/<int:pk>/reactivate/", user_reactivate, name="admin-user-reactivate"),
    path("admin/users/<int:pk>/reset-two-factor/", user_reset_two_factor, name="admin-user-reset-two-factor"),
    path("admin/users/<int:pk>/send-set-up/", user_send_setup, name="admin-user-send-setup"),
    path("admin/teams/", team_list, name="admin-teams"),
    path("admin/teams/new/", team_create, name="admin-team-create"),
    path("admin/teams/<int:pk>/", team_edit, name="admin-team-edit"),
    path("admin/teams/<int:pk>/archive/", team_archive, name="admin-team-archive"),
    path("admin/agencies/", agency_list, name="admin-agencies"),
    path("admin/agencies/new/", agency_create, name="admin-agency-create"),
    path("admin/agencies/<int:pk>/", agency_edit, name="admin-agency-edit"),
    path("admin/reference/", reference_index, name="admin-reference"),
    path("admin/reference/<str:code_list>/", reference_list, name="admin-reference-list"),
    path("admin/reference/<str:code_list>/new/", reference_create, name="admin-reference-create"),
    path("admin/reference/<str:code_list>/<int:pk>/", reference_edit, name="admin-reference-edit"),
    path("admin/reference/<str:code_list>/<int:pk>/disable/", reference_disable, name="admin-reference-disable"),
    path("admin/reference/<str:code_list>/<int:pk>/enable/", reference_enable, name="admin-reference-enable"),
]
