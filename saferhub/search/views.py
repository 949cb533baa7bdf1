"""The results page of the header's search: every kind the user may see, grouped, and audited."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.search.engine import search_everything
from saferhub.search.forms import SearchForm


@require_http_methods(["GET"])
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    groups = []
    if query:
        # The query is personal data (a name, a date of birth): it goes to the audit trail, never to logs.
        with transaction.atomic():
            groups = search_everything(request.user, query)
            log.record(
                request.user,
                AuditAction.SEARCH,
                request=request,
                detail={
                    "what": "everything",
                    "query": query,
                    "results": {group.kind: len(group.hits) for group in groups},
                },
            )
    found = [group for group in groups if group.hits]
    context = {"search_form": form, "query": query, "groups": found, "total": sum(len(g.hits) for g in found)}
    return render(request, "search/results.html", context)
