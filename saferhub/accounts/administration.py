"""State changes made by partnership administrators.

Each function is one transaction that writes its audit row with the change.
Callers check `saferhub.policy.can_administer` first; these functions enforce
the rules of the data itself (no self-deactivation, no agency cycles, no
archiving a team that still owns open cases) and raise `AdministrationError`
with a message fit to show the administrator.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.models import Agency, Partnership, Role, RoleAssignment, Team, User
from saferhub.accounts.password_forms import LinkPurpose, send_password_link
from saferhub.api.sso import no_password_needed, provider_only
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import Case, CaseStatus
from saferhub.core.models import ReferenceCode
from saferhub.core.versioning import claim_version


class AdministrationError(Exception):
    """The change breaks a rule; nothing was saved. The message is shown to the administrator."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, Agency | Team):
        return value.pk
    if isinstance(value, set | frozenset | list | tuple):
        return sorted(str(v) for v in value)
    return value


def _apply(obj: Any, fields: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Set the fields on obj; return {field: {"from": old, "to": new}} for those that changed."""
    changes = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = {"from": _jsonable(old), "to": _jsonable(new)}
            setattr(obj, name, new)
    return changes


# Users ----------------------------------------------------------------------


def _set_roles(user: Any, roles: Iterable[str]) -> dict[str, list[str]] | None:
    wanted = set(roles)
    current = set(
        RoleAssignment.objects.filter(user=user, partnership_id=user.partnership_id).values_list("role", flat=True)
    )
    if wanted == current:
        return None
    RoleAssignment.objects.filter(user=user, partnership_id=user.partnership_id, role__in=current - wanted).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, partnership_id=user.partnership_id, role=role) for role in sorted(wanted - current)]
    )
    user.__dict__.pop("_roles_cache", None)
    return {"from": sorted(current), "to": sorted(wanted)}


def _check_team(agency: Agency | None, team: Team | None) -> None:
    if agency is not None and team is not None and team.agency_id != agency.pk:
        raise AdministrationError(f"The team {team.name} is not part of {agency.name}.")


@transaction.atomic
def create_user(
    admin: Any,
    *,
    email: str,
    full_name: str,
    agency: Agency,
    team: Team | None,
    roles: Iterable[str],
    job_title: str = "",
    password: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """A new user of the admin's partnership. With no password the account cannot sign in until set up.

    Where the partnership's people sign in through its identity provider only, no password is given."""
    if agency.partnership_id != admin.partnership_id:
        raise AdministrationError("The agency is not part of your partnership.")
    provider = provider_only(admin.partnership) if password else None
    if provider is not None:
        raise AdministrationError(f"{no_password_needed(provider)} Leave the initial password blank.")
    _check_team(agency, team)
    user = User(
        email=email.strip().lower(),
        full_name=full_name,
        partnership_id=admin.partnership_id,
        agency=agency,
        team=team,
        job_title=job_title,
    )
    # None gives an unusable password: the user must go through sign-in set-up.
    user.set_password(password or None)
    user.save()
    roles = sorted(set(roles))
    _set_roles(user, roles)
    log.record(
        admin,
        AuditAction.CREATE,
        user,
        request=request,
        detail={"roles": roles, "initial_password": bool(password)},
    )
    return user


@transaction.atomic
def update_user(
    admin: Any,
    user: User,
    *,
    roles: Iterable[str],
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> User:
    """Change name, e-mail, job title, agency, team and roles. An admin cannot drop their own admin role.

    With `expected_version` (the edit form), refuses with StaleEdit when someone saved the user since.
    """
    roles = set(roles)
    if user.pk == admin.pk and Role.PARTNERSHIP_ADMIN not in roles:
        raise AdministrationError("You cannot remove your own administrator role. Ask another administrator.")
    if expected_version is not None:
        claim_version(user, expected_version)
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    _check_team(fields.get("agency", user.agency), fields.get("team", user.team))
    changes = _apply(user, fields)
    if changes:
        user.save()
    role_change = _set_roles(user, roles)
    if role_change:
        changes["roles"] = role_change
    if changes:
        log.record(admin, AuditAction.UPDATE, user, request=request, detail={"changes": changes})
    return user


@transaction.atomic
def deactivate_user(admin: Any, user: User, request: HttpRequest | None = None) -> User:
    """Stops the user signing in. Never a deletion: their records and audit trail stay theirs."""
    if user.pk == admin.pk:
        raise AdministrationError("You cannot deactivate your own account.")
    if not user.is_active:
        raise AdministrationError(f"{user} is already deactivated.")
    user.is_active = False
    user.save(update_fields=["is_active", "modified_at"])
    log.record(admin, AuditAction.ARCHIVE, user, request=request, detail={"change": "deactivated"})
    return user


@transaction.atomic
def reactivate_user(admin: Any, user: User, request: HttpRequest | None = None) -> User:
    if user.is_active:
        raise AdministrationError(f"{user} is already active.")
    user.is_active = True
    user.save(update_fields=["is_active", "modified_at"])
    log.record(admin, AuditAction.UPDATE, user, request=request, detail={"change": "reactivated"})
    return user


@transaction.atomic
def reset_two_factor(admin: Any, user: User, request: HttpRequest | None = None) -> int:
    """Removes the user's authenticator devices so they must set one up at their next sign-in."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    log.record(
        admin, AuditAction.UPDATE, user, request=request, detail={"change": "two_factor_reset", "devices": deleted}
    )
    return deleted


def send_sign_in_setup(admin: Any, user: User, request: HttpRequest | None = None) -> None:
    """E-mails the user a link to choose a password; audited. Any password they already have keeps working.

    Never to someone whose partnership signs in through its identity provider only: a password would not work."""
    if not user.is_active:
        raise AdministrationError(f"{user} is deactivated. Reactivate the account before sending the sign-in set-up.")
    provider = provider_only(user.partnership)
    if provider is not None:
        raise AdministrationError(f"{no_password_needed(provider)} No e-mail was sent.")
    send_password_link(user, LinkPurpose.SET_UP, sent_by=admin, request=request, rate_limited=False)


# Agencies and teams ---------------------------------------------------------


def check_parent(agency: Agency | None, parent: Agency | None, partnership_id: int) -> None:
    if parent is None:
        return
    if parent.partnership_id != partnership_id:
        raise AdministrationError("The parent agency is not part of your partnership.")
    if agency is None or agency.pk is None:
        return
    seen = set()
    node: Agency | None = parent
    while node is not None and node.pk not in seen:
        if node.pk == agency.pk:
            raise AdministrationError(f"{parent.name} cannot be the parent of {agency.name}: it sits under it already.")
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def create_agency(admin: Any, *, partnership: Partnership, request: HttpRequest | None = None, **fields: Any) -> Agency:
    check_parent(None, fields.get("parent"), partnership.pk)
    agency = Agency.objects.create(partnership=partnership, **fields)
    log.record(admin, AuditAction.CREATE, agency, request=request)
    return agency


@transaction.atomic
def update_agency(
    admin: Any,
    agency: Agency,
    *,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Agency:
    check_parent(agency, fields.get("parent", agency.parent), agency.partnership_id)
    if expected_version is not None:
        claim_version(agency, expected_version)
    changes = _apply(agency, fields)
    if changes:
        agency.save()
        log.record(admin, AuditAction.UPDATE, agency, request=request, detail={"changes": changes})
    return agency


@transaction.atomic
def create_team(admin: Any, *, agency: Agency, request: HttpRequest | None = None, **fields: Any) -> Team:
    if agency.partnership_id != admin.partnership_id:
        raise AdministrationError("The agency is not part of your partnership.")
    team = Team.objects.create(partnership_id=agency.partnership_id, agency=agency, **fields)
    log.record(admin, AuditAction.CREATE, team, request=request)
    return team


@transaction.atomic
def update_team(
    admin: Any, team: Team, *, expected_version: int | None = None, request: HttpRequest | None = None, **fields: Any
) -> Team:
    agency = fields.get("agency", team.agency)
    if agency.partnership_id != team.partnership_id:
        raise AdministrationError("The agency is not part of your partnership.")
    if expected_version is not None:
        claim_version(team, expected_version)
    changes = _apply(team, fields)
    if changes:
        team.save()
        log.record(admin, AuditAction.UPDATE, team, request=request, detail={"changes": changes})
    return team


def open_cases_owned_by(team: Team) -> int:
    return Case.objects.live().filter(owning_team=team).exclude(status=CaseStatus.CLOSED).count()


@transaction.atomic
def archive_team(admin: Any, team: Team, reason: str = "", request: HttpRequest | None = None) -> Team:
    """A team leaves the lists but keeps its history. Its open cases must move to another team first."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.is_archived:
        raise AdministrationError(f"{team.name} is already archived.")
    open_count = open_cases_owned_by(team)
    if open_count:
        raise AdministrationError(
            f"{team.name} still owns {open_count} open case{'s' if open_count != 1 else ''}. "
            "Close them or move them to another team before archiving it."
        )
    team.archive(admin, reason)
    log.record(admin, AuditAction.ARCHIVE, team, request=request, reason=reason)
    return team


# Reference data -------------------------------------------------------------


@transaction.atomic
def create_reference_code(
    admin: Any, *, partnership: Partnership, code_list: str, request: HttpRequest | None = None, **fields: Any
) -> ReferenceCode:
    code = ReferenceCode.objects.create(partnership=partnership, code_list=code_list, **fields)
    log.record(admin, AuditAction.CREATE, code, request=request, detail={"code_list": code_list, "code": code.code})
    return code


@transaction.atomic
def update_reference_code(
    admin: Any,
    code: ReferenceCode,
    *,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> ReferenceCode:
    """Label, group, notes and order only: the code itself is what old records store, so it never changes."""
    fields.pop("code", None)
    if expected_version is not None:
        claim_version(code, expected_version)
    changes = _apply(code, fields)
    if changes:
        code.save()
        log.record(admin, AuditAction.UPDATE, code, request=request, detail={"changes": changes})
    return code


def _set_code_active(admin: Any, code: ReferenceCode, active: bool, request: HttpRequest | None) -> ReferenceCode:
    if code.active == active:
        raise AdministrationError(f"{code.label} is already {'in use' if active else 'disabled'}.")
    code.active = active
    code.save(update_fields=["active", "modified_at"])
    log.record(
        admin,
        AuditAction.UPDATE if active else AuditAction.ARCHIVE,
        code,
        request=request,
        detail={"code_list": code.code_list, "code": code.code, "change": "enabled" if active else "disabled"},
    )
    return code


@transaction.atomic
def disable_reference_code(admin: Any, code: ReferenceCode, request: HttpRequest | None = None) -> ReferenceCode:
    """Disabled codes leave the choice lists; records that use them keep their meaning."""
    return _set_code_active(admin, code, False, request)


@transaction.atomic
def enable_reference_code(admin: Any, code: ReferenceCode, request: HttpRequest | None = None) -> ReferenceCode:
    return _set_code_active(admin, code, True, request)
