"""Changes to the directory of support services; each one transaction with its audit row."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import claim_version
from saferhub.directory.models import Service, ServiceCategory


def _set_categories(service: Service, categories: list[str]) -> None:
    service.categories.exclude(category__in=categories).delete()
    have = set(service.categories.values_list("category", flat=True))
    ServiceCategory.objects.bulk_create(
        ServiceCategory(service=service, category=category) for category in categories if category not in have
    )


@transaction.atomic
def create_service(
    user: Any, *, partnership: Any, categories: list[str], request: HttpRequest | None = None, **fields: Any
) -> Service:
    service = Service.objects.create(partnership=partnership, created_by=user, modified_by=user, **fields)
    _set_categories(service, categories)
    log.record(user, AuditAction.CREATE, service, request=request, partnership=partnership)
    return service


@transaction.atomic
def update_service(
    user: Any,
    service: Service,
    *,
    categories: list[str],
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Service:
    """Change a service; with `expected_version` (the edit form), refuse with StaleEdit if someone saved it since."""
    if expected_version is not None:
        claim_version(service, expected_version, modified_by=user)
    changed = sorted(name for name, value in fields.items() if getattr(service, name) != value)
    for name in changed:
        setattr(service, name, fields[name])
    service.modified_by = user
    service.save()
    before = set(service.categories.values_list("category", flat=True))
    _set_categories(service, categories)
    if before != set(categories):
        changed.append("categories")
    log.record(
        user, AuditAction.UPDATE, service, request=request, partnership=service.partnership, detail={"fields": changed}
    )
    return service


@transaction.atomic
def archive_service(user: Any, service: Service, reason: str, request: HttpRequest | None = None) -> Service:
    """A service that closes is archived, never deleted: past onward referrals still name it."""
    service.archive(user, reason)
    log.record(user, AuditAction.ARCHIVE, service, request=request, partnership=service.partnership, reason=reason)
    return service
