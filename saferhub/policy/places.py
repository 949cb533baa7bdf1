"""Wards, LSOAs and population figures: the partnership's geography.

Partnership administrators keep them; analysts, who import and use them for
rates, may read the pages. They are reference data, not records of people, but
still the partnership's own: another partnership's ward is 404, like anything else.
"""

from typing import TYPE_CHECKING, Any

from django.http import Http404

from saferhub.policy.roles import can_administer, can_import

if TYPE_CHECKING:
    from saferhub.places.models import Lsoa, Population, Ward


def can_view_places(user: Any) -> bool:
    return can_import(user) or can_administer(user)


def can_manage_places(user: Any) -> bool:
    return can_administer(user)


def visible_wards(user: Any) -> Any:
    from saferhub.places.models import Ward

    if not can_view_places(user):
        return Ward.objects.none()
    return Ward.objects.of(user.partnership_id)


def visible_lsoas(user: Any) -> Any:
    from saferhub.places.models import Lsoa

    if not can_view_places(user):
        return Lsoa.objects.none()
    return Lsoa.objects.of(user.partnership_id)


def visible_population(user: Any) -> Any:
    from saferhub.places.models import Population

    if not can_view_places(user):
        return Population.objects.none()
    return Population.objects.filter(partnership_id=user.partnership_id)


def _one(queryset: Any, pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404("No such record")
    return found


def get_ward_for_user(user: Any, pk: int) -> "Ward":
    return _one(visible_wards(user), pk)


def get_lsoa_for_user(user: Any, pk: int) -> "Lsoa":
    return _one(visible_lsoas(user).select_related("ward"), pk)


def get_population_for_user(user: Any, pk: int) -> "Population":
    return _one(visible_population(user), pk)
