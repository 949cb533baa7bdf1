"""Person search, the person page and its edits.

A person is reached only through `policy.visible_people`: their part in cases
the viewer cannot see is never revealed, not even as a search hit.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import Participant, Referral
from saferhub.core import exports
from saferhub.core.keyset import union_queryset
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.versioning import StaleEdit, conflict, values_of
from saferhub.people import actions
from saferhub.people.forms import AliasForm, ContactDetailForm, IdentifierForm, PersonEditForm, PersonSearchForm
from saferhub.people.models import Person

PAGE_SIZE = 25
# The search's download (saferhub.core.exports): no contact details, which are confidential to some teams.
PERSON_COLUMNS = [
    exports.field("id", "Person number", "pk"),
    exports.field("first_name", "First name"),
    exports.field("last_name", "Last name"),
    exports.field("date_of_birth", "Date of birth"),
    exports.field("gender", "Gender"),
]


def _require_casework(request: HttpRequest) -> None:
    if not policy.works_cases(request.user):
        raise PermissionDenied("Only casework roles can look up people.")


@require_http_methods(["GET"])
def search(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    form = PersonSearchForm(request.GET or None)
    page_obj = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
    if query:
        with transaction.atomic():
            people = policy.visible_people(request.user).search(query).order_by("last_name", "first_name", "pk")
            if exports.wanted_format(request):
                return exports.export_response(request, people, PERSON_COLUMNS, name="people", title="People")
            page_obj = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
            log.record(
                request.user,
                AuditAction.SEARCH,
                request=request,
                detail={"what": "people", "query": query, "results": page_obj.paginator.count},
            )
    context = {
        "search_form": form,
        "query": query,
        "page_obj": page_obj,
        "can_review_duplicates": policy.can_review_duplicates(request.user),
        "export_links": exports.export_links(request),
    }
    return render(request, "people/search.html", context)


def _person_cases(user: Any, person: Person) -> list[Participant]:
    """The person's parts in cases the viewer may see, and nothing else."""
    return list(
        Participant.objects.filter(person=person, case__in=policy.visible_cases(user))
        .select_related("case", "case__case_type", "case__owning_team", "case__owning_team__agency")
        .order_by("-case__opened_on", "-case__pk", "role")
    )


@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = policy.get_person_for_user(request, pk)
    except Http404:
        merge = policy.standing_merge_of(request.user, pk)
        if merge is None:
            raise
        messages.info(request, "That record was merged into this one.")
        return redirect("people:detail", pk=merge.kept_id)
    user: Any = request.user
    confidential_ok = policy.can_see_confidential_contacts(user, person)
    contacts = list(person.contact_details.order_by("kind", "pk"))
    context = {
        "person": person,
        "aliases": list(person.aliases.order_by("name", "pk")),
        "identifiers": list(person.identifiers.order_by("system", "value")),
        "contacts": [c for c in contacts if confidential_ok or not c.confidential],
        "confidential_withheld": not confidential_ok and any(c.confidential for c in contacts),
        "participations": _person_cases(user, person),
        "referrals": list(
            union_queryset(
                Referral.objects.all(), policy.visible_referral_parts(user), lambda qs: qs.filter(person=person)
            )
            .select_related("to_team", "to_team__agency", "case_type")
            .order_by("-received_at", "-pk")
        ),
        "can_edit": policy.can_edit_person(user, person),
        "age": person.age_on(timezone.localdate()),
        "ethnicity_label": _ethnicity_label(person),
        "merges": policy.visible_merges_into(user, person),
    }
    return render(request, "people/detail.html", context)


def _ethnicity_label(person: Person) -> str:
    if not person.ethnicity:
        return ""
    code = (
        ReferenceCode.objects.of(person.partnership_id, ReferenceList.ETHNICITY).filter(code=person.ethnicity).first()
    )
    return code.label if code else person.ethnicity


def _editable_person(request: HttpRequest, pk: int) -> Person:
    person = policy.get_person_for_user(request, pk)
    if not policy.can_edit_person(request.user, person):
        log.record(request.user, AuditAction.DENIED, person, request=request, detail={"needed": "edit person"})
        raise PermissionDenied("Only teams that own this person's cases can change their record.")
    return person


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    form = PersonEditForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(
                request.user, person, form.changes(), request=request, expected_version=form.cleaned_data["version"]
            )
        except StaleEdit:
            person.refresh_from_db()
            current = values_of(person, form.fields)
            return conflict(
                request,
                "people/edit.html",
                {"person": person},
                form_class=PersonEditForm,
                stale_form=form,
                instance=person,
                current=current,
                form_kwargs={"person": person},
            )
        messages.success(request, f"{person.display_name}’s details were saved.")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/edit.html", {"person": person, "form": form})


def _add_view(
    form_class: type, template_title: str, button: str, save: Callable[[HttpRequest, Person, dict[str, Any]], Any]
) -> Callable[[HttpRequest, int], HttpResponse]:
    """One page per kind of addition (alias, contact detail, identifier)."""

    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = _editable_person(request, pk)
        kwargs = {"person": person} if form_class is IdentifierForm else {}
        form = form_class(request.POST or None, **kwargs)
        if request.method == "POST" and form.is_valid():
            save(request, person, form.cleaned_data)
            messages.success(request, f"{template_title} added to {person.display_name}’s record.")
            return redirect("people:detail", pk=person.pk)
        context = {"person": person, "form": form, "title": template_title, "button": button}
        return render(request, "people/add_detail.html", context)

    return view


add_alias = _add_view(
    AliasForm,
    "Alias",
    "Add alias",
    lambda request, person, data: actions.add_alias(request.user, person, data["name"], request=request),
)
add_contact = _add_view(
    ContactDetailForm,
    "Contact detail",
    "Add contact detail",
    lambda request, person, data: actions.add_contact_detail(request.user, person, request=request, **data),
)
add_identifier = _add_view(
    IdentifierForm,
    "Identifier",
    "Add identifier",
    lambda request, person, data: actions.add_identifier(
        request.user, person, system=data["system"], value=data["value"], request=request
    ),
)
