"""The duplicates queue, the merge of two records of one person, and its undo.

Only data managers (``policy.can_review_duplicates``) reach these pages, and only for pairs
where they may see both records; everyone else gets 404.
"""

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core import exports
from saferhub.core.versioning import CONFLICT_STATUS, StaleEdit
from saferhub.people import actions
from saferhub.people.forms import MergeForm, UndoMergeForm
from saferhub.people.models import DuplicateCandidate, Person
from saferhub.people.summaries import summarise

PAGE_SIZE = 25


def _require_reviewer(request: HttpRequest) -> None:
    if not policy.can_review_duplicates(request.user):
        raise Http404("No such page")


# The pairs as the queue lists them, likeliest first: both records' names and dates of birth, and why.
QUEUE_COLUMNS = [
    exports.field("pair", "Pair", "pk"),
    exports.computed("score", "Likelihood", lambda c: round(c.score, 2)),
    exports.field("person_a", "First record", "person_a__pk"),
    exports.field("person_a_name", "First record's name", "person_a__display_name"),
    exports.field("person_a_date_of_birth", "First record's date of birth", "person_a__date_of_birth"),
    exports.field("person_b", "Second record", "person_b__pk"),
    exports.field("person_b_name", "Second record's name", "person_b__display_name"),
    exports.field("person_b_date_of_birth", "Second record's date of birth", "person_b__date_of_birth"),
    exports.field("reasons", "Why"),
]


@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Pairs of records that may be one person, likeliest first."""
    _require_reviewer(request)
    pairs = (
        policy.visible_duplicate_candidates(request.user)
        .select_related("person_a", "person_b")
        .order_by("-score", "-created_at", "pk")
    )
    if exports.wanted_format(request):
        return exports.export_response(
            request, pairs, QUEUE_COLUMNS, name="possible-duplicates", title="Possible duplicates"
        )
    page_obj = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    people = [p for c in page_obj for p in (c.person_a, c.person_b)]
    summaries = {s.pk: s for s in summarise(request.user, people)}
    rows = [(c, summaries[c.person_a_id], summaries[c.person_b_id]) for c in page_obj]
    log.record(
        request.user,
        AuditAction.SEARCH,
        request=request,
        detail={"what": "duplicate people", "results": page_obj.paginator.count},
    )
    context = {"page_obj": page_obj, "rows": rows, "export_links": exports.export_links(request)}
    return render(request, "people/duplicates.html", context)


def _pair_context(request: HttpRequest, candidate: DuplicateCandidate, form: MergeForm) -> dict[str, Any]:
    a, b = candidate.person_a, candidate.person_b
    summary_a, summary_b = summarise(request.user, [a, b])
    return {
        "candidate": candidate,
        "form": form,
        "records": [
            (summary_a, list(a.aliases.order_by("name")), list(a.identifiers.order_by("system", "value"))),
            (summary_b, list(b.aliases.order_by("name")), list(b.identifiers.order_by("system", "value"))),
        ],
    }


@require_http_methods(["GET", "POST"])
def merge_pair(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare the two records side by side and merge them, keeping the one the user chooses."""
    _require_reviewer(request)
    candidate = policy.get_duplicate_for_user(request, pk)
    a, b = candidate.person_a, candidate.person_b
    if request.method == "GET":
        for person in (a, b):
            log.record(request.user, AuditAction.VIEW, person, request=request, detail={"duplicate": candidate.pk})
    form = MergeForm(request.POST or None, person_a=a, person_b=b)
    if request.method == "POST" and form.is_valid():
        kept, merged, kept_version, merged_version = form.kept_and_merged()
        try:
            merge = actions.merge_people(
                request.user,
                kept,
                merged,
                kept_version=kept_version,
                merged_version=merged_version,
                request=request,
            )
        except (StaleEdit, actions.MergeRefused) as refused:
            a.refresh_from_db()
            b.refresh_from_db()
            # The form as it would be opened now (the user's choice kept), with the reason it was refused.
            fresh = MergeForm(
                {"keep": form.cleaned_data["keep"], "version_a": a.version, "version_b": b.version},
                person_a=a,
                person_b=b,
            )
            fresh.is_valid()
            message = (
                "One of the records was changed by someone else since you opened this page. "
                "Check both records again before you merge them"
                if isinstance(refused, StaleEdit)
                else str(refused)
            )
            fresh.add_error(None, message)
            return render(
                request, "people/merge_pair.html", _pair_context(request, candidate, fresh), status=CONFLICT_STATUS
            )
        messages.success(request, f"The two records of {kept.display_name} were merged.")
        return redirect("people:merge", pk=merge.pk)
    return render(request, "people/merge_pair.html", _pair_context(request, candidate, form))


@require_POST
def dismiss_pair(request: HttpRequest, pk: int) -> HttpResponse:
    """The two records are of different people: the pair leaves the queue."""
    _require_reviewer(request)
    candidate = policy.get_duplicate_for_user(request, pk)
    try:
        actions.dismiss_duplicate(request.user, candidate, request=request)
    except actions.MergeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"{candidate.person_a.display_name} and {candidate.person_b.display_name} are recorded as different people.",
        )
    return redirect("people:duplicates")


@require_http_methods(["GET"])
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What a merge did, and the button to undo it."""
    merge = policy.get_merge_for_user(request, pk)
    moved = [
        (str(apps.get_model(key.rsplit(".", 1)[0])._meta.verbose_name_plural), len(pks))
        for key, pks in merge.moved.items()
    ]
    context = {
        "merge": merge,
        "moved": sorted(moved),
        "filled": [getattr(Person._meta.get_field(name), "verbose_name", name) for name in merge.filled],
        "form": UndoMergeForm(initial={"version": merge.version}),
    }
    return render(request, "people/merge.html", context)


@require_POST
def undo_merge(request: HttpRequest, pk: int) -> HttpResponse:
    merge = policy.get_merge_for_user(request, pk)
    form = UndoMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: check the merge and try again.")
        return redirect("people:merge", pk=merge.pk)
    try:
        actions.undo_merge(request.user, merge, expected_version=form.cleaned_data["version"], request=request)
    except StaleEdit:
        messages.error(request, "Someone else changed this merge since you opened the page: check it again.")
        return redirect("people:merge", pk=merge.pk)
    except actions.MergeRefused as refused:
        messages.error(request, str(refused))
        return redirect("people:merge", pk=merge.pk)
    messages.success(request, f"The merge was undone: {merge.merged.display_name} has their own record again.")
    return redirect("people:merge", pk=merge.pk)
