"""Cursor pagination (opaque `cursor` links, no page numbers, no counts): stable while rows are
added, and costing the same on the thousandth page as on the first."""

from rest_framework.pagination import CursorPagination


class SyncCursorPagination(CursorPagination):
    # Oldest change first, so a partner syncing with `modified_since` reads forward in time.
    ordering = ("modified_at", "pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
