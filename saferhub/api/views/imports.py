"""Imports through the API: upload a file of any import kind, poll its progress, read its result.

The same runner as `manage.py import_records` and the upload page: all or nothing, audited.
A big file goes to the worker (202, then poll the run); a small one is imported at once (201).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import generics, parsers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from saferhub import policy
from saferhub.api.serializers import ImportRunSerializer, ImportUploadSerializer, ReturnKindSerializer
from saferhub.api.views.common import ApiMixin, http_request
from saferhub.imports.models import ImportRun
from saferhub.imports.registry import UnknownKind, all_kinds, get_kind
from saferhub.imports.runner import count_rows, run_import
from saferhub.imports.tasks import queue_import


def _importer(request: Request) -> None:
    if not policy.can_import(request.user):
        raise PermissionDenied("Only partnership administrators and analysts can import files.")


@extend_schema(tags=["imports"])
class ImportRunList(ApiMixin, generics.ListAPIView):
    """Your partnership's import runs, newest first; POST a file to import it."""

    serializer_class = ImportRunSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self) -> Any:
        _importer(self.request)
        return ImportRun.objects.filter(partnership_id=self.request.user.partnership_id)

    def paginate_queryset(self, queryset: Any) -> Any:
        self.paginator.ordering = ("-started_at", "-pk")  # type: ignore[union-attr]
        return super().paginate_queryset(queryset)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportRunSerializer, 202: ImportRunSerializer},
    )
    def post(self, request: Request) -> Response:
        _importer(request)
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            kind = get_kind(data["kind"])
        except UnknownKind:
            known = ", ".join(k.slug for k in all_kinds())
            raise ValidationError({"kind": [f"Choose an import kind: one of {known}"]}) from None
        upload_file = data["file"]
        user: Any = request.user
        if hasattr(kind, "run_files"):  # published police data: the kind's own streaming path
            (result,) = kind.run_files(
                [(upload_file.name, upload_file.file)],
                partnership=user.partnership,
                user=user,
                dry_run=data["dry_run"],
                request=http_request(request),
            )
            return Response(ImportRunSerializer(result.run).data, status=201)
        if count_rows(upload_file.file) > settings.IMPORT_BACKGROUND_ROWS:
            run = queue_import(
                kind=kind.slug,
                upload=upload_file,
                partnership=user.partnership,
                user=user,
                dry_run=data["dry_run"],
                create_organisations=data["create_organisations"],
            )
            run.refresh_from_db()
            return Response(ImportRunSerializer(run).data, status=202)
        result = run_import(
            kind,
            upload_file.file,
            partnership=user.partnership,
            filename=upload_file.name,
            user=user,
            dry_run=data["dry_run"],
            create_organisations=data["create_organisations"],
            request=http_request(request),
        )
        return Response(ImportRunSerializer(result.run).data, status=201)


@extend_schema(tags=["imports"])
class ImportRunDetail(ApiMixin, generics.GenericAPIView):
    """A run's progress (queued, running: rows done so far) and, once finished, its result and problems."""

    serializer_class = ImportRunSerializer

    def get(self, request: Request, pk: int) -> Response:
        _importer(request)
        run = generics.get_object_or_404(ImportRun, pk=pk, partnership_id=request.user.partnership_id)
        return Response(ImportRunSerializer(run).data)


@extend_schema(tags=["imports"])
class ImportKindList(ApiMixin, generics.GenericAPIView):
    serializer_class = ReturnKindSerializer
    pagination_class = None

    @extend_schema(operation_id="imports_kinds_list", responses={200: ReturnKindSerializer(many=True)})
    def get(self, request: Request) -> Response:
        _importer(request)
        kinds = [
            {
                "slug": k.slug,
                "title": getattr(k, "title", k.slug),
                "description": getattr(k, "description", ""),
                "needs_from": False,
            }
            for k in all_kinds()
        ]
        return Response(ReturnKindSerializer(kinds, many=True).data)
