"""The directory of support services: casework users look services up; managers keep it current."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core import exports
from saferhub.core.versioning import StaleEdit, conflict, values_of
from saferhub.directory import actions
from saferhub.directory.forms import ArchiveForm, ServiceEditForm, ServiceForm, ServiceSearchForm
from saferhub.directory.models import Service, ServiceCategory

PAGE_SIZE = 25
SERVICE_COLUMNS = [
    exports.field("name", "Name"),
    exports.computed(
        "categories",
        "Categories",
        lambda s: ";".join(item.category for item in s.categories.all()),
        lambda s: ", ".join(s.category_labels),
    ),
    exports.field("area", "Area"),
    exports.field("area_notes", "Area notes"),
    exports.field("how_to_refer", "How to refer"),
    exports.field("phone", "Phone"),
    exports.field("email", "E-mail"),
    exports.field("website", "Website"),
]


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _services(user: Any) -> Any:
    return (
        Service.objects.live()
        .of(user.partnership_id)
        .prefetch_related(Prefetch("categories", queryset=ServiceCategory.objects.order_by("category")))
    )


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require(policy.can_read_directory(user), "The directory is for casework users and administrators.")
    form = ServiceSearchForm(request.GET or None)
    services = _services(user)
    if form.is_valid():
        if form.cleaned_data["q"]:
            services = services.search(form.cleaned_data["q"])
        if form.cleaned_data["category"]:
            services = services.in_category(form.cleaned_data["category"])
    if exports.wanted_format(request):
        ordered = services.order_by("name", "pk")
        return exports.export_response(request, ordered, SERVICE_COLUMNS, name="directory", title="Directory")
    page_obj = Paginator(services.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/index.html",
        {
            "search": form,
            "page_obj": page_obj,
            "can_manage": policy.can_manage_directory(user),
            "export_links": exports.export_links(request),
        },
    )


def _get(user: Any, pk: int) -> Service:
    return get_object_or_404(Service.objects.select_related("agency"), pk=pk, partnership_id=user.partnership_id)


@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(policy.can_read_directory(user), "The directory is for casework users and administrators.")
    service = _get(user, pk)
    return render(
        request, "directory/detail.html", {"service": service, "can_manage": policy.can_manage_directory(user)}
    )


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require(policy.can_manage_directory(user), "Only administrators and team managers change the directory.")
    form = ServiceForm(request.POST or None, partnership_id=user.partnership_id)
    if request.method == "POST" and form.is_valid():
        service = actions.create_service(
            user,
            partnership=user.partnership,
            categories=form.cleaned_data["categories"],
            request=request,
            **form.service_fields(),
        )
        messages.success(request, f"{service.name} added to the directory.")
        return redirect("directory:detail", pk=service.pk)
    return render(request, "directory/form.html", {"form": form, "title": "Add a service"})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(policy.can_manage_directory(user), "Only administrators and team managers change the directory.")
    service = _get(user, pk)
    form = ServiceEditForm(request.POST or None, partnership_id=user.partnership_id, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_service(
                user,
                service,
                categories=form.cleaned_data["categories"],
                expected_version=form.cleaned_data["version"],
                request=request,
                **form.service_fields(),
            )
        except StaleEdit:
            service = _get(user, pk)
            current = {
                **values_of(service, ServiceForm.FIELDS),
                "categories": list(service.categories.values_list("category", flat=True)),
            }
            return conflict(
                request,
                "directory/form.html",
                {"title": f"Change {service.name}", "service": service},
                form_class=ServiceEditForm,
                stale_form=form,
                instance=service,
                current=current,
                form_kwargs={"partnership_id": user.partnership_id, "service": service},
            )
        messages.success(request, "Service updated.")
        return redirect("directory:detail", pk=service.pk)
    return render(request, "directory/form.html", {"form": form, "title": f"Change {service.name}", "service": service})


@require_http_methods(["GET", "POST"])
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(policy.can_manage_directory(user), "Only administrators and team managers change the directory.")
    service = _get(user, pk)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.archive_service(user, service, form.cleaned_data["reason"].strip(), request=request)
        messages.success(request, f"{service.name} removed from the directory.")
        return redirect("directory:index")
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": f"Remove {service.name} from the directory",
            "service": service,
            "submit": "Remove service",
        },
    )
