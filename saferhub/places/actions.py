"""Changing wards, LSOAs and population figures from the pages.

Each function runs in one transaction and writes its audit event in it. Changes to
an existing record carry the version the user saw and are refused (`StaleEdit`,
`saferhub.core.versioning`) when someone saved it since. `PlaceError` names the field that is wrong.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import StaleEdit, claim_version
from saferhub.places.matching import name_key
from saferhub.places.models import Lsoa, Population, Ward

__all__ = [
    "PlaceError",
    "StaleEdit",
    "add_lsoa",
    "add_population",
    "add_ward",
    "change_population",
    "rename_ward",
    "set_lsoa_active",
    "set_ward_active",
]


class PlaceError(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _check_ward(partnership_id: int, name: str, code: str, exclude: int | None = None) -> None:
    others = Ward.objects.of(partnership_id).exclude(pk=exclude or 0)
    key = name_key(name)
    same = next((ward for ward in others if name_key(ward.name) == key), None)
    if same is not None:
        raise PlaceError("name", f"There is already a ward called {same.name}: give this ward another name")
    if code and others.filter(code=code).exists():
        raise PlaceError("code", f"Another ward already has the code {code}: check the code")


def _save_or_clash(save: Any, field: str, message: str) -> None:
    """Two sessions adding the same thing at once: the database constraint decides."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        raise PlaceError(field, message) from None


def add_ward(user: Any, *, name: str, code: str = "", request: HttpRequest | None = None) -> Ward:
    with transaction.atomic():
        _check_ward(user.partnership_id, name, code)
        ward = Ward(partnership_id=user.partnership_id, name=name, code=code)
        _save_or_clash(ward.save, "name", "There is already a ward with this name or code")
        log.record(user, AuditAction.CREATE, ward, request=request, detail={"name": name, "code": code})
    return ward


def rename_ward(
    user: Any, ward: Ward, *, name: str, code: str, expected_version: int, request: HttpRequest | None = None
) -> Ward:
    """Change a ward's name or ONS code."""
    with transaction.atomic():
        _check_ward(ward.partnership_id, name, code, exclude=ward.pk)
        before = {"name": ward.name, "code": ward.code}
        _save_or_clash(
            lambda: claim_version(ward, expected_version, name=name, code=code),
            "name",
            "There is already a ward with this name or code",
        )
        log.record(
            user, AuditAction.UPDATE, ward, request=request, detail={"before": before, "name": name, "code": code}
        )
    return ward


def set_ward_active(
    user: Any, ward: Ward, *, active: bool, expected_version: int, request: HttpRequest | None = None
) -> Ward:
    """Disable a ward (it leaves the choices on forms; records keep it) or enable it again."""
    with transaction.atomic():
        claim_version(ward, expected_version, active=active)
        log.record(user, AuditAction.UPDATE, ward, request=request, detail={"active": active})
    return ward


def add_lsoa(user: Any, ward: Ward, *, code: str, name: str, request: HttpRequest | None = None) -> Lsoa:
    with transaction.atomic():
        held = Lsoa.objects.of(ward.partnership_id).filter(code=code).select_related("ward").first()
        if held is not None:
            raise PlaceError("code", f"LSOA {code} is already in the ward {held.ward.name}")
        lsoa = Lsoa(partnership_id=ward.partnership_id, ward=ward, code=code, name=name)
        _save_or_clash(lsoa.save, "code", f"LSOA {code} has just been added by someone else")
        log.record(user, AuditAction.CREATE, lsoa, request=request, detail={"ward": ward.pk, "code": code})
    return lsoa


def set_lsoa_active(
    user: Any, lsoa: Lsoa, *, active: bool, expected_version: int, request: HttpRequest | None = None
) -> Lsoa:
    """A disabled LSOA no longer places police data (its code is then reported as unknown)."""
    with transaction.atomic():
        claim_version(lsoa, expected_version, active=active)
        log.record(user, AuditAction.UPDATE, lsoa, request=request, detail={"active": active})
    return lsoa


def add_population(user: Any, *, request: HttpRequest | None = None, **values: Any) -> Population:
    """A new figure: area_code (blank for the whole partnership), area_name, year, measure, value."""
    with transaction.atomic():
        key = {k: values[k] for k in ("area_code", "measure", "year")}
        if Population.objects.filter(partnership_id=user.partnership_id, **key).exists():
            raise PlaceError("year", "There is already a figure for this area, measure and year: change that one")
        figure = Population(partnership_id=user.partnership_id, **values)
        _save_or_clash(figure.save, "year", "This figure has just been added by someone else")
        log.record(user, AuditAction.CREATE, figure, request=request, detail=dict(values))
    return figure


def change_population(
    user: Any,
    figure: Population,
    *,
    value: int,
    area_name: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Population:
    with transaction.atomic():
        before = {"value": figure.value, "area_name": figure.area_name}
        claim_version(figure, expected_version, value=value, area_name=area_name)
        log.record(
            user,
            AuditAction.UPDATE,
            figure,
            request=request,
            detail={"before": before, "value": value, "area_name": area_name},
        )
    return figure
