"""Pages for the partnership's wards, their LSOAs and its population figures.

Administrators change them; analysts may read them (`saferhub.policy.places`).
Another partnership's records are 404. Changes go through `saferhub.places.actions`.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.guards import require
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import conflict
from saferhub.places import actions
from saferhub.places.forms import (
    LsoaForm,
    PopulationChangeForm,
    PopulationFilterForm,
    PopulationForm,
    VersionForm,
    WardChangeForm,
    WardForm,
)
from saferhub.places.models import Lsoa, Population, PopulationMeasure, Ward
from saferhub.places.reference import local_authority_for_code

PAGE_SIZE = 100


readers = require(policy.can_view_places, "Only partnership administrators and analysts can see these pages.")
managers = require(policy.can_manage_places, "Only partnership administrators can change wards and population.")


def _fail(form: Any, error: actions.PlaceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# Wards ----------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@readers
def ward_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    wards = policy.visible_wards(request.user).annotate(
        lsoa_count=Count("lsoas", filter=Q(lsoas__active=True)),
        disabled_lsoa_count=Count("lsoas", filter=Q(lsoas__active=False)),
    )
    context = {
        "wards": wards.order_by("-active", "name"),
        "can_manage": policy.can_manage_places(request.user),
        "can_import": policy.can_import(request.user),
        "areas": request.user.partnership.areas if request.user.partnership else [],
    }
    return render(request, "places/ward_list.html", context)


@require_http_methods(["GET", "POST"])
@managers
def ward_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = WardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ward = actions.add_ward(request.user, request=request, **form.cleaned_data)
        except actions.PlaceError as error:
            _fail(form, error)
        else:
            messages.success(request, f"Ward {ward.name} added")
            return redirect("places:ward", pk=ward.pk)
    return render(request, "places/ward_form.html", {"form": form, "creating": True})


@require_http_methods(["GET"])
@readers
def ward_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ward = policy.get_ward_for_user(request.user, pk)
    lsoas = ward.lsoas.order_by("-active", "code")
    page = Paginator(lsoas, PAGE_SIZE).get_page(request.GET.get("page"))
    authority = local_authority_for_code(ward.local_authority_code) if ward.local_authority_code else None
    context = {
        "ward": ward,
        "authority": authority,
        "page_obj": page,
        "lsoas": page.object_list,
        "can_manage": policy.can_manage_places(request.user),
    }
    return render(request, "places/ward_detail.html", context)


@require_http_methods(["GET", "POST"])
@managers
def ward_rename(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ward = policy.get_ward_for_user(request.user, pk)
    initial = {"name": ward.name, "code": ward.code, "version": ward.version}
    form = WardChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.rename_ward(
                request.user,
                ward,
                name=data["name"],
                code=data["code"],
                expected_version=data["version"],
                request=request,
            )
        except actions.StaleEdit:
            ward = policy.get_ward_for_user(request.user, pk)
            return conflict(
                request,
                "places/ward_form.html",
                {"ward": ward},
                form_class=WardChangeForm,
                stale_form=form,
                instance=ward,
                current={"name": ward.name, "code": ward.code},
            )
        except actions.PlaceError as error:
            _fail(form, error)
        else:
            messages.success(request, f"Ward saved as {ward.name}")
            return redirect("places:ward", pk=ward.pk)
    return render(request, "places/ward_form.html", {"form": form, "ward": ward})


def _toggle(
    request: AuthenticatedHttpRequest, obj: Any, *, active: bool, action: Callable[..., Any], **page: Any
) -> HttpResponse:
    back = reverse("places:ward", args=[obj.pk if isinstance(obj, Ward) else obj.ward_id])
    form = VersionForm(request.POST or None, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            action(request.user, obj, active=active, expected_version=form.cleaned_data["version"], request=request)
        except actions.StaleEdit:
            obj.refresh_from_db()
            context = {"cancel_url": back, "subject": obj, **page}
            return conflict(
                request,
                "places/confirm.html",
                context,
                form_class=VersionForm,
                stale_form=form,
                instance=obj,
                current={},
            )
        else:
            messages.success(request, page["done"])
            return redirect(back)
    return render(request, "places/confirm.html", {"form": form, "cancel_url": back, "subject": obj, **page})


@require_http_methods(["GET", "POST"])
@managers
def ward_disable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ward = policy.get_ward_for_user(request.user, pk)
    return _toggle(
        request,
        ward,
        active=False,
        action=actions.set_ward_active,
        heading=f"Disable the ward {ward.name}?",
        explanation="It will no longer be offered on forms. Cases, ASB records and its LSOAs keep it, imports still "
        "match it by name and code, and you can enable it again.",
        button="Disable ward",
        warning=True,
        done=f"Ward {ward.name} disabled",
    )


@require_http_methods(["GET", "POST"])
@managers
def ward_enable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ward = policy.get_ward_for_user(request.user, pk)
    return _toggle(
        request,
        ward,
        active=True,
        action=actions.set_ward_active,
        heading=f"Enable the ward {ward.name}?",
        explanation="It will be offered on forms again.",
        button="Enable ward",
        done=f"Ward {ward.name} enabled",
    )


# LSOAs ----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@managers
def lsoa_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ward = policy.get_ward_for_user(request.user, pk)
    form = LsoaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lsoa = actions.add_lsoa(request.user, ward, request=request, **form.cleaned_data)
        except actions.PlaceError as error:
            _fail(form, error)
        else:
            messages.success(request, f"LSOA {lsoa.code} added to {ward.name}")
            return redirect("places:ward", pk=ward.pk)
    return render(request, "places/lsoa_form.html", {"form": form, "ward": ward})


@require_http_methods(["GET", "POST"])
@managers
def lsoa_disable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lsoa: Lsoa = policy.get_lsoa_for_user(request.user, pk)
    return _toggle(
        request,
        lsoa,
        active=False,
        action=actions.set_lsoa_active,
        heading=f"Disable LSOA {lsoa.code}?",
        explanation=f"Police data with this code will no longer be placed in {lsoa.ward.name}: imports will report "
        "the code as unknown. You can enable it again.",
        button="Disable LSOA",
        warning=True,
        done=f"LSOA {lsoa.code} disabled",
    )


@require_http_methods(["GET", "POST"])
@managers
def lsoa_enable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lsoa: Lsoa = policy.get_lsoa_for_user(request.user, pk)
    return _toggle(
        request,
        lsoa,
        active=True,
        action=actions.set_lsoa_active,
        heading=f"Enable LSOA {lsoa.code}?",
        explanation=f"Police data with this code will be placed in {lsoa.ward.name} again.",
        button="Enable LSOA",
        done=f"LSOA {lsoa.code} enabled",
    )


# Population -----------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@readers
def population_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = PopulationFilterForm(request.GET or None)
    figures = policy.visible_population(request.user)
    if filters.is_valid():
        area = filters.cleaned_data["area"].strip()
        if area:
            figures = figures.filter(Q(area_code__iexact=area) | Q(area_name__icontains=area))
        if filters.cleaned_data["measure"]:
            figures = figures.filter(measure=filters.cleaned_data["measure"])
    page = Paginator(figures.order_by("area_code", "measure", "-year"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page,
        "figures": page.object_list,
        "can_manage": policy.can_manage_places(request.user),
        "can_import": policy.can_import(request.user),
        "measures": PopulationMeasure,
    }
    return render(request, "places/population_list.html", context)


@require_http_methods(["GET", "POST"])
@managers
def population_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            figure = actions.add_population(request.user, request=request, **form.values())
        except actions.PlaceError as error:
            _fail(form, error)
        else:
            messages.success(request, f"Figure for {figure.area_name or figure.area_code or 'the partnership'} added")
            return redirect("places:population")
    return render(request, "places/population_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@managers
def population_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    figure: Population = policy.get_population_for_user(request.user, pk)
    initial = {"area_name": figure.area_name, "value": figure.value, "version": figure.version}
    form = PopulationChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_population(
                request.user,
                figure,
                value=data["value"],
                area_name=data["area_name"],
                expected_version=data["version"],
                request=request,
            )
        except actions.StaleEdit:
            figure = policy.get_population_for_user(request.user, pk)
            return conflict(
                request,
                "places/population_form.html",
                {"figure": figure},
                form_class=PopulationChangeForm,
                stale_form=form,
                instance=figure,
                current={"area_name": figure.area_name, "value": figure.value},
            )
        else:
            messages.success(request, "Figure saved")
            return redirect("places:population")
    return render(request, "places/population_form.html", {"form": form, "figure": figure})
