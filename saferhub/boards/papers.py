"""Checking an uploaded board paper before it is stored (the checks themselves are ``core.uploads``).

Accepted: PDF, Word (.docx), Excel (.xlsx) and PowerPoint (.pptx), at most 20 MB.
"""

from saferhub.core.uploads import KINDS, OFFICE_AND_PDF, check_upload, sniff
from saferhub.core.uploads import CheckedUpload as CheckedPaper
from saferhub.core.uploads import UploadRefused as PaperRefused
from saferhub.core.uploads import safe_filename as _safe_filename

MAX_PAPER_BYTES = 20 * 1024 * 1024
ACCEPTED = "PDF, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx)"

__all__ = ["ACCEPTED", "KINDS", "MAX_PAPER_BYTES", "CheckedPaper", "PaperRefused", "check", "safe_filename", "sniff"]


def safe_filename(name: str, extension: str) -> str:
    return _safe_filename(name, extension, "paper")


def check(name: str, content: bytes) -> CheckedPaper:
    return check_upload(name, content, kinds=OFFICE_AND_PDF, accepted=ACCEPTED, max_bytes=MAX_PAPER_BYTES, what="paper")
