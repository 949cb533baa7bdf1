"""Adding an attachment: the checked file stored under the media root, its row and its audit row together."""

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import Case, Referral
from saferhub.core.uploads import CheckedUpload
from saferhub.search.models import Attachment


def add_attachment(
    user: Any, parent: models.Model, upload: CheckedUpload, *, description: str = "", request: HttpRequest | None = None
) -> Attachment:
    """Attach a checked upload (``core.uploads.check_upload``) to a case, a referral or a meeting."""
    parent_field = "case" if isinstance(parent, Case) else "referral" if isinstance(parent, Referral) else "meeting"
    with transaction.atomic():
        attachment = Attachment(
            partnership_id=parent.partnership_id,  # type: ignore[attr-defined]
            description=description,
            filename=upload.filename,
            content_type=upload.content_type,
            size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
            uploaded_by=user,
            **{parent_field: parent},
        )
        # The storage names the file itself (a random name); the uploaded name is kept only for downloads.
        attachment.file.save(upload.filename, ContentFile(upload.content), save=False)
        attachment.save()
        detail = {
            "attached_to": parent_field,
            "id": parent.pk,
            "size": attachment.size,
            "filename": attachment.filename,
        }
        log.record(user, AuditAction.CREATE, attachment, request=request, detail=detail)
    return attachment
