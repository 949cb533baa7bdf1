"""Places on a case: add one (with its ward and LSOA), take one off."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from saferhub import policy
from saferhub.cases import actions
from saferhub.cases.location_forms import LocationForm
from saferhub.cases.models import CaseLocation
from saferhub.policy import Access


@require_http_methods(["GET", "POST"])
def add_location(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    form = LocationForm(request.POST or None, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_location(
            request.user,
            case,
            description=data["description"],
            address=data["address"],
            postcode=data["postcode"],
            ward=data["ward"],
            lsoa=data["lsoa"],
            request=request,
        )
        messages.success(request, "Location added")
        return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/add_location.html", {"form": form, "case": case})


@require_POST
def remove_location(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    link = CaseLocation.objects.filter(case=case, pk=pk).select_related("case").first()
    if link is None:
        raise Http404("No such location on this case")
    actions.remove_location(request.user, link, request=request)
    messages.success(request, "Location removed")
    return redirect("cases:detail", reference=case.reference)


urlpatterns = [
    path("<caseref:reference>/locations/new/", add_location, name="add-location"),
    path("<caseref:reference>/locations/<int:pk>/remove/", remove_location, name="remove-location"),
]
