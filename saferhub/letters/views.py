"""Pages: the partnership's letter templates (administrators), issuing a letter from a case or a Case Review
application (with a preview), the letters filed on a case, downloading one, and the public details."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.accounts.middleware import public
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import CONFLICT_STATUS, StaleEdit, conflict_form, values_of
from saferhub.letters import actions, merge, values
from saferhub.letters.forms import CaseLetterForm, PublicDetailsForm, ReviewLetterForm, TemplateForm
from saferhub.letters.models import IssuedLetter, LetterKind, LetterTemplate, PartnershipBranding
from saferhub.policy import Access

ASB_KINDS = [LetterKind.ENGAGEMENT, LetterKind.ASB_WARNING, LetterKind.CPW, LetterKind.CPN, LetterKind.FPN]
HUB_KINDS = [LetterKind.HUB_ACKNOWLEDGEMENT]
# Case type code → the letters sent from its cases.
CASE_TYPE_KINDS = {"asb": ASB_KINDS, "vch": HUB_KINDS}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_admin(request: HttpRequest) -> None:
    if not policy.can_edit_letter_templates(request.user):
        raise Http404("No such page")


# Templates (administrators) --------------------------------------------------------------------


@require_http_methods(["GET"])
def template_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    partnership = request.user.partnership  # type: ignore[union-attr]
    templates = {
        t.kind: t for t in LetterTemplate.objects.filter(partnership=partnership).select_related("modified_by")
    }
    rows = [(kind, templates.get(kind)) for kind in LetterKind]
    return render(request, "letters/template_list.html", {"rows": rows})


def _template(request: HttpRequest, kind: str) -> LetterTemplate:
    _require_admin(request)
    if kind not in LetterKind.values:
        raise Http404("No such letter")
    user: Any = request.user
    template = LetterTemplate.objects.filter(partnership_id=user.partnership_id, kind=kind).first()
    if template is None:
        raise Http404("No such letter")
    return template


def _template_page(
    request: HttpRequest, template: LetterTemplate, form: Any, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "template": template,
        "form": form,
        "fields": merge.fields_for(template.kind),
        "revisions": template.revisions.select_related("saved_by")[:10],
        **extra,
    }
    return render(request, "letters/template_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    template = _template(request, kind)
    initial = {**values_of(template, ["subject", "body", "marking"]), "version": template.version}
    form = TemplateForm(request.POST or None, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            examples = merge.example_values(kind)
            preview = {
                "subject": merge.render(data["subject"], kind, examples),
                "blocks": _blocks(merge.render(data["body"], kind, examples)),
            }
            return _template_page(request, template, form, preview=preview)
        try:
            actions.save_template(
                request.user,
                template,
                expected_version=data["version"],
                subject=data["subject"],
                body=data["body"],
                marking=data["marking"],
                note=data["note"],
                request=request,
            )
        except StaleEdit:
            template.refresh_from_db()
            current = values_of(template, ["subject", "body", "marking"])
            shown = conflict_form(
                TemplateForm, stale_form=form, instance=template, current=current, form_kwargs={"kind": kind}
            )
            return _template_page(request, template, shown, status=CONFLICT_STATUS)
        messages.success(request, f"{template.get_kind_display()} saved")
        return redirect("letters:templates")
    return _template_page(request, template, form)


def _blocks(text: str) -> list[tuple[str, str]]:
    from saferhub.letters.document import blocks

    return blocks(text)


# Letters on a case ----------------------------------------------------------------------------


def _kinds_for(case: Any) -> list[str]:
    """The letters sent from a case of this type (by its case type's code)."""
    return list(CASE_TYPE_KINDS.get(case.case_type.code, []))


@require_http_methods(["GET"])
def case_letters(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference)
    letters = IssuedLetter.objects.filter(case=case).select_related("issued_by", "template_revision")
    context = {
        "case": case,
        "letters": letters,
        "can_issue": policy.can_issue_letter(request.user, case) and bool(_kinds_for(case)),
        "back_url": _case_url(case),
    }
    return render(request, "letters/case_letters.html", context)


def _case_url(case: Any) -> str:
    if case.case_type.code == "asb":
        return reverse("asb:case", args=[case.reference])
    return reverse("cases:detail", args=[case.reference])


def _case_choices(case: Any) -> tuple[list[tuple[Any, str]], list[tuple[int, str]], dict[str, set[int]]]:
    from saferhub.asb.models import Intervention

    participants = case.participants.select_related("person").order_by("role", "pk")
    recipients = [(p.person_id, f"{p.person.display_name} ({p.get_role_display()})") for p in participants]
    recipients = list(dict((pk, label) for pk, label in reversed(recipients)).items())[::-1]
    interventions = list(
        Intervention.objects.filter(case=case).select_related("kind", "person").order_by("served_on", "pk")
    )
    powers = [
        (
            i.pk,
            f"{i.kind.label}, served {values.long_date(i.served_on)}"
            + (f" on {i.person.display_name}" if i.person is not None else ""),
        )
        for i in interventions
    ]
    by_kind: dict[str, set[int]] = {
        str(kind): {i.pk for i in interventions if i.kind.code == tool} for kind, tool in values.KIND_TOOL.items()
    }
    return recipients, powers, by_kind


def _needs_deadline(partnership: Any, kinds: list[str]) -> dict[str, bool]:
    templates = LetterTemplate.objects.filter(partnership=partnership, kind__in=kinds)
    return {t.kind: "deadline" in t.body or "deadline" in t.subject for t in templates}


def _case_values(request: HttpRequest, case: Any, data: dict[str, Any]) -> dict[str, str]:
    from saferhub.asb.models import AsbCase, Intervention
    from saferhub.people.models import Person
    from saferhub.victims.models import HubReferral

    person = Person.objects.prefetch_related("contact_details").get(pk=data["recipient"])
    result = values.common(
        partnership=case.partnership, officer=request.user, today=timezone.localdate(), deadline=data.get("deadline")
    )
    result["case.reference"] = case.reference
    asb = AsbCase.objects.select_related("category").filter(case=case).first()
    if asb is not None:
        asb.case = case
        power = (
            Intervention.objects.select_related("kind", "offence").filter(case=case, pk=data.get("power") or 0).first()
        )
        result.update(values.asb_values(asb, power))
    hub = HubReferral.objects.select_related("crime_type", "referral__case").filter(referral__case=case).first()
    if hub is not None:
        result.update(values.hub_values(hub))
    result.update(values.person_values(person))
    return result


@require_http_methods(["GET", "POST"])
def case_letter_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.get_case_for_user(request, reference, Access.EDIT)
    if not policy.can_issue_letter(request.user, case):
        raise Http404("No such page")
    kinds = _kinds_for(case)
    if not kinds:
        raise Http404("No letters are sent from this kind of case")
    recipients, powers, by_kind = _case_choices(case)
    form = CaseLetterForm(
        request.POST or None,
        initial={"kind": request.GET.get("kind", "")},
        kinds=[(kind, LetterKind(kind).label) for kind in kinds],
        recipients=recipients,
        powers=powers,
        needs_deadline=_needs_deadline(case.partnership, kinds),
        powers_by_kind=by_kind,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        merged = _case_values(request, case, data)
        try:
            if "issue" in request.POST:
                letter = actions.issue_letter(
                    request.user,
                    partnership=case.partnership,
                    kind=data["kind"],
                    values=merged,
                    case=case,
                    deadline=data.get("deadline"),
                    request=request,
                )
                messages.success(request, f"{letter.get_kind_display()} issued and filed on the case")
                return redirect("letters:case", reference=case.reference)
            letter_draft = actions.draft(case.partnership, data["kind"], merged)
            preview = {"subject": letter_draft.subject, "blocks": _blocks(letter_draft.body)}
        except merge.MergeError as exc:
            form.add_error(None, f"{exc}. Ask a partnership administrator to correct the letter's wording.")
    context = {
        "case": case,
        "form": form,
        "preview": preview,
        "back_url": reverse("letters:case", args=[case.reference]),
    }
    return render(request, "letters/issue.html", context)


# The Case Review outcome letter -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_letter_new(request: HttpRequest, reference: str) -> HttpResponse:
    from saferhub.asb.models import CaseReviewStatus

    review = policy.get_case_review_for_user(request, reference)
    if review.outcome_sent_on is None or review.status == CaseReviewStatus.RECEIVED:
        raise Http404("No outcome has been recorded yet")
    if not policy.can_issue_review_letter(request.user, review):
        raise Http404("No such page")
    form = ReviewLetterForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        merged = values.common(
            partnership=review.partnership,
            officer=request.user,
            today=timezone.localdate(),
            deadline=form.cleaned_data["deadline"],
        )
        merged.update(values.review_values(review))
        kind = LetterKind.CASE_REVIEW_OUTCOME
        try:
            if "issue" in request.POST:
                actions.issue_letter(
                    request.user,
                    partnership=review.partnership,
                    kind=kind,
                    values=merged,
                    case=review.case,
                    case_review=review,
                    deadline=form.cleaned_data["deadline"],
                    request=request,
                )
                messages.success(request, "Outcome letter issued and filed on the application")
                return redirect("asb:review", reference=review.reference)
            letter_draft = actions.draft(review.partnership, kind, merged)
            preview = {"subject": letter_draft.subject, "blocks": _blocks(letter_draft.body)}
        except merge.MergeError as exc:
            form.add_error(None, f"{exc}. Ask a partnership administrator to correct the letter's wording.")
    context = {
        "review": review,
        "form": form,
        "preview": preview,
        "back_url": reverse("asb:review", args=[review.reference]),
    }
    return render(request, "letters/review_issue.html", context)


def latest_review_letter(review: Any) -> IssuedLetter | None:
    return review.letters.filter(kind=LetterKind.CASE_REVIEW_OUTCOME).order_by("-created_at", "-pk").first()


# Downloading ------------------------------------------------------------------------------------


def letter_response(request: HttpRequest, letter: IssuedLetter) -> FileResponse:
    """The exact file filed on the case, audited as an export (only when there is a file to give)."""
    try:
        handle = letter.file.open("rb")
    except OSError as exc:
        raise Http404("The letter's file is missing") from exc
    policy.audit_letter_download(request, letter)
    return FileResponse(handle, as_attachment=True, filename=letter.filename, content_type=DOCX)


@require_http_methods(["GET"])
def letter_download(request: HttpRequest, pk: int) -> FileResponse:
    return letter_response(request, policy.get_letter_for_user(request, pk))


# Public details -----------------------------------------------------------------------------------

PUBLIC_FIELDS = ["public_name", "address", "phone", "email", "help_details", "privacy_notice_url", "privacy_notice"]


@require_http_methods(["GET", "POST"])
def public_details(request: HttpRequest) -> HttpResponse:
    if not policy.can_edit_public_details(request.user):
        raise Http404("No such page")
    partnership = request.user.partnership  # type: ignore[union-attr]
    branding = PartnershipBranding.objects.filter(partnership=partnership).first() or PartnershipBranding(
        partnership=partnership
    )
    initial = {**values_of(branding, PUBLIC_FIELDS), "version": branding.version}
    form: Any = PublicDetailsForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_public_details(
                request.user,
                partnership,
                expected_version=form.cleaned_data["version"],
                request=request,
                **form.changes(),
            )
        except StaleEdit:
            branding = PartnershipBranding.objects.get(partnership=partnership)
            form = conflict_form(
                PublicDetailsForm, stale_form=form, instance=branding, current=values_of(branding, PUBLIC_FIELDS)
            )
            status = CONFLICT_STATUS
        else:
            messages.success(request, "Public details saved")
            return redirect("letters:public-details")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, branding if branding.pk else None, request=request)
    context = {"form": form, "branding": branding, "public_urls": public_urls(request, partnership)}
    return render(request, "letters/public_details.html", context, status=status)


def public_urls(request: HttpRequest, partnership: Any) -> list[tuple[str, str]]:
    return [
        (
            "Apply for an ASB Case Review",
            request.build_absolute_uri(reverse("asb:public-apply", args=[partnership.slug])),
        ),
        (
            "Check an application's progress",
            request.build_absolute_uri(reverse("asb:public-status", args=[partnership.slug])),
        ),
    ]


@public
@require_http_methods(["GET"])
def public_logo(request: HttpRequest, slug: str) -> FileResponse:
    """The partnership's logo, for its public pages (public by design: it is on every letter)."""
    branding = PartnershipBranding.objects.filter(partnership__slug=slug).exclude(logo="").first()
    if branding is None:
        raise Http404("No logo")
    try:
        handle = branding.logo.open("rb")
    except OSError as exc:
        raise Http404("No logo") from exc
    content_type = "image/png" if branding.logo.name.endswith(".png") else "image/jpeg"
    return FileResponse(handle, content_type=content_type)
