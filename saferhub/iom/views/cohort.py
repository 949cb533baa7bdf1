"""The cohort's pages: the list, adopting a person, a stay's page and one page per thing recorded on it."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core import dates, exports
from saferhub.core.guards import require
from saferhub.core.keyset import KeysetPaginator
from saferhub.iom import actions, reviews
from saferhub.iom import forms as iom_forms
from saferhub.iom.models import CohortStay, CostOfCrime, Offence, PlanItem, Rag
from saferhub.iom.transitions import LOOK_AHEAD_MONTHS, eighteenth_birthday, months_after
from saferhub.iom.views.common import PAGE_SIZE, contact_days, contact_due, form_page, refilled, stay_url, today
from saferhub.people.actions import create_person
from saferhub.policy import Access

SELECTION_FIELDS = [
    "cohort",
    "management",
    "selection_reason",
    "lead_agency",
    "offender_manager",
    "transferred_from_youth_justice",
]
PLAN_FIELDS = ["pathway", "action", "referred_to", "referred_on", "status", "completed_on", "outcome"]
STAY_COLUMNS = [
    exports.field("stay", "Stay number", "pk"),
    exports.field("person", "Person", "person__display_name"),
    exports.field("cohort", "Cohort"),
    exports.field("management", "Management"),
    exports.field("lead_agency", "Lead agency", "lead_agency__name"),
    exports.field("offender_manager", "Offender manager", "offender_manager__full_name"),
    exports.field("adopted_on", "Adopted"),
    exports.field("left_on", "Left"),
    exports.field("deselection_reason", "Deselection reason"),
]
RAG_COLOURS = {Rag.RED: "red", Rag.AMBER: "orange", Rag.GREEN: "green", Rag.BLUE: "blue"}


def _coming_18th_birthday(stay: CohortStay, day: Any) -> Any:
    """The 18th birthday when it is today or within the look-ahead of the transitions return."""
    dob = stay.person.date_of_birth
    if dob is None:
        return None
    eighteen = eighteenth_birthday(dob)
    return eighteen if day <= eighteen <= months_after(day, LOOK_AHEAD_MONTHS) else None


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The cohort list (stays the user may see, newest first) and links to the figures pages."""
    user: Any = request.user
    if not (policy.can_see_cohort_list(user) or policy.can_view_iom_figures(user)):
        raise PermissionDenied("The IOM pages are for caseworkers, analysts and board members.")
    context: dict[str, Any] = {
        "can_adopt": policy.can_adopt_into_cohort(user),
        "can_see_figures": policy.can_view_iom_figures(user),
        "works_cases": policy.can_see_cohort_list(user),
    }
    if context["works_cases"] and exports.wanted_format(request):
        base = CohortStay.objects.with_columns()
        parts = policy.visible_stay_parts(user)
        return exports.export_parts(
            request, base, parts, ("-adopted_on", "-pk"), STAY_COLUMNS, name="iom-cohort", title="Cohort"
        )
    if context["works_cases"]:
        context["export_links"] = exports.export_links(request)
        day = today()
        page_obj = KeysetPaginator(
            CohortStay.objects.with_columns().with_rag_on(day).annotate(last_contact=Max("contacts__contacted_on")),
            policy.visible_stay_parts(user),
            ("-adopted_on", "-pk"),
            PAGE_SIZE,
        ).page(request.GET)
        days = contact_days(user.partnership_id, day)
        for stay in page_obj.object_list:
            stay.rag_colour = RAG_COLOURS.get(stay.rag_now, "grey")
            stay.rag_label = Rag(stay.rag_now).label if stay.rag_now else "Not rated"
            stay.contact_due = contact_due(stay, stay.rag_now, stay.last_contact, days)
            stay.contact_overdue = stay.contact_due is not None and stay.contact_due < day
            eighteen = _coming_18th_birthday(stay, day)
            stay.transition_tag = f"Turns 18 on {dates.uk_date(eighteen)}" if eighteen else ""
        context["page_obj"] = page_obj
    return render(request, "iom/index.html", context)


@require_http_methods(["GET", "POST"])
@require(policy.can_adopt_into_cohort, "Only the IOM team adopts people into the cohort.")
def adopt(request: HttpRequest) -> HttpResponse:
    """Adopt a person into the cohort: a new person, or one the user may see (`?person=ID`)."""
    user: Any = request.user
    person = None
    if request.GET.get("person"):
        try:
            person = policy.get_person_for_user(request, int(request.GET["person"]))
        except ValueError:
            raise Http404("No such person") from None
    form = iom_forms.AdoptForm(request.POST or None, partnership=user.partnership, person=person)

    def save(data: dict[str, Any]) -> CohortStay:
        with transaction.atomic():
            return actions.adopt(
                user,
                person or _new_person(request, data),
                adopted_on=data["adopted_on"],
                rag=data["rag"],
                request=request,
                **{name: data[name] for name in SELECTION_FIELDS},
            )

    return form_page(
        request,
        form,
        save,
        title="Adopt a person into the IOM cohort",
        submit="Adopt into the cohort",
        done="The person is in the IOM cohort.",
        back_url=reverse("iom:index"),
        caption=person.display_name if person else "Integrated Offender Management",
        success_url=stay_url,
    )


def _new_person(request: HttpRequest, data: dict[str, Any]) -> Any:
    user: Any = request.user
    return create_person(
        user,
        partnership=user.partnership,
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data["date_of_birth"],
        gender=data["gender"],
        ethnicity=data["ethnicity"],
        request=request,
    )


@require_http_methods(["GET"])
def stay(request: HttpRequest, pk: int) -> HttpResponse:
    """A cohort stay: selection, the plan by pathway, RAG history, contacts and offences."""
    stay = policy.get_stay_for_user(request, pk)
    day = today()
    rag_history = list(stay.rag_history.all())
    current = next((entry for entry in rag_history if entry.on <= day), None)
    contacts = list(stay.contacts.all()[:20])
    days = contact_days(stay.partnership_id, day)
    due = contact_due(stay, current.rag if current else None, contacts[0].contacted_on if contacts else None, days)
    groups = dict(CostOfCrime.objects.of(stay.partnership_id).values_list("offence_group", "label"))
    offences = list(Offence.objects.filter(person_id=stay.person_id).order_by("-offence_date", "-pk")[:100])
    for offence in offences:
        offence.group_label = groups.get(offence.offence_group, offence.offence_group)  # type: ignore[attr-defined]
        offence.window = (  # type: ignore[attr-defined]
            "before"
            if offence.offence_date < stay.adopted_on
            else ("after" if stay.left_on and offence.offence_date >= stay.left_on else "during")
        )
    access = stay.access  # type: ignore[attr-defined]
    context = {
        "stay": stay,
        "person": stay.person,
        "current": current,
        "rag_colours": RAG_COLOURS,
        "rag_history": rag_history,
        "plan_items": list(stay.plan_items.all()),
        "contacts": contacts,
        "contact_due": due,
        "contact_overdue": due is not None and due < day,
        "offences": offences,
        "transition": stay.turns_adult_within(),
        "can_record": access.value >= Access.CONTRIBUTE.value and stay.left_on is None,
        "can_edit": access == Access.EDIT,
        # Cohort review meetings: seen by whoever may see the stay's panel summary (the panels policy).
        "reviews_visible": policy.can_view_panel_summary(request.user, stay.case),
        "can_put_on_review": policy.can_put_on_review(request.user, stay),
    }
    if context["reviews_visible"]:
        context["hearings"] = reviews.stay_hearings(stay)
        context["coordinates"] = policy.can_coordinate_panel(request.user)
    return render(request, "iom/stay.html", context)


def _recording(request: HttpRequest, pk: int) -> CohortStay:
    stay = policy.get_stay_for_user(request, pk, Access.CONTRIBUTE)
    if stay.left_on is not None:
        raise PermissionDenied("This person has left the cohort: nothing more is recorded on this stay.")
    return stay


@require_http_methods(["GET", "POST"])
def edit_details(request: HttpRequest, pk: int) -> HttpResponse:
    stay = policy.get_stay_for_user(request, pk, Access.EDIT)
    user: Any = request.user
    initial = {name: getattr(stay, name) for name in SELECTION_FIELDS}
    form = iom_forms.StayDetailsForm(
        request.POST or None, initial=initial | {"version": stay.version}, partnership=user.partnership
    )
    return form_page(
        request,
        form,
        lambda data: actions.update_stay(
            user,
            stay,
            expected_version=data["version"],
            changes={n: data[n] for n in SELECTION_FIELDS},
            request=request,
        ),
        title="Change selection details",
        submit="Save the details",
        done="The selection details are saved.",
        back_url=stay_url(stay),
        caption=stay.case.reference,
        on_conflict=refilled(iom_forms.StayDetailsForm, stay, SELECTION_FIELDS, partnership=user.partnership),
    )


@require_http_methods(["GET", "POST"])
def rag_add(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _recording(request, pk)
    form = iom_forms.RagForm(request.POST or None, initial={"on": today()})
    return form_page(
        request,
        form,
        lambda data: actions.record_rag(request.user, stay, request=request, **data),
        title="Record a RAG status",
        submit="Record the status",
        done="The RAG status is recorded.",
        back_url=stay_url(stay),
        caption=stay.case.reference,
        intro="Blue means in custody or on remand. A status on a day that already has one replaces it.",
    )


@require_http_methods(["GET", "POST"])
def offence_add(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _recording(request, pk)
    form = iom_forms.OffenceForm(request.POST or None, partnership=stay.partnership)
    return form_page(
        request,
        form,
        lambda data: actions.record_offence(request.user, stay, request=request, **data),
        title="Record an offence",
        submit="Record the offence",
        done="The offence is recorded.",
        back_url=stay_url(stay),
        caption=stay.case.reference,
        intro="Offences before the person joined the cohort count too: they are the baseline of the return.",
    )


@require_http_methods(["GET", "POST"])
def plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _recording(request, pk)
    form = iom_forms.PlanItemForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: actions.add_plan_item(request.user, stay, request=request, **data),
        title="Add to the plan",
        submit="Add to the plan",
        done="The plan item is added.",
        back_url=stay_url(stay),
        caption=stay.case.reference,
    )


@require_http_methods(["GET", "POST"])
def plan_update(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    stay = _recording(request, pk)
    item = get_object_or_404(PlanItem, stay=stay, pk=item_pk)
    initial = {name: getattr(item, name) for name in PLAN_FIELDS} | {"version": item.version}
    form = iom_forms.PlanItemUpdateForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: actions.update_plan_item(
            request.user,
            item,
            expected_version=data["version"],
            changes={name: data[name] for name in PLAN_FIELDS},
            request=request,
        ),
        title="Update a plan item",
        submit="Save the plan item",
        done="The plan item is saved.",
        back_url=stay_url(stay),
        caption=stay.case.reference,
        on_conflict=refilled(iom_forms.PlanItemUpdateForm, item, PLAN_FIELDS),
    )


@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _recording(request, pk)
    form = iom_forms.ContactForm(request.POST or None, initial={"contacted_on": today()})
    return form_page(
        request,
        form,
        lambda data: actions.record_contact(request.user, stay, request=request, **data),
        title="Record a contact",
        submit="Record the contact",
        done="The contact is recorded.",
        back_url=stay_url(stay),
        caption=stay.case.reference,
    )


@require_http_methods(["GET", "POST"])
def deselect(request: HttpRequest, pk: int) -> HttpResponse:
    stay = policy.get_stay_for_user(request, pk, Access.EDIT)
    if stay.left_on is not None:
        raise PermissionDenied("This person has already left the cohort.")
    form = iom_forms.DeselectForm(request.POST or None, initial={"left_on": today(), "version": stay.version})
    return form_page(
        request,
        form,
        lambda data: actions.deselect(
            request.user,
            stay,
            expected_version=data["version"],
            left_on=data["left_on"],
            reason=data["reason"],
            note=data["note"],
            request=request,
        ),
        title="Deselect from the cohort",
        submit="Deselect",
        done="The person has left the cohort and the case is closed.",
        back_url=stay_url(stay),
        caption=stay.case.reference,
        on_conflict=refilled(iom_forms.DeselectForm, stay, ["left_on"]),
    )
