"""Checking an uploaded board paper before it is stored: its size, its type by content (not by name or by
what the browser claims) and a safe file name for downloads.

Accepted: PDF, Word (.docx), Excel (.xlsx) and PowerPoint (.pptx). The Office formats are ZIP packages:
one is recognised by its `[Content_Types].xml` and the part that only that format holds.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

MAX_PAPER_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 100

# extension: (content type, the ZIP part that marks the format, or None for PDF)
KINDS = {
    "pdf": ("application/pdf", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/presentation.xml"),
}
ACCEPTED = "PDF, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx)"


class PaperRefused(ValueError):
    """The upload is not a paper Saferhub keeps; the message says why and what to do."""


@dataclass(frozen=True)
class CheckedPaper:
    content: bytes
    filename: str
    content_type: str


def sniff(content: bytes) -> str | None:
    """The file's kind (an extension of KINDS) from its bytes, or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((ext for ext, (_type, part) in KINDS.items() if part and part in names), None)


def safe_filename(name: str, extension: str) -> str:
    """The uploaded name without any path, control or odd characters, ending in the sniffed extension."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9 ._()-]+", "-", stem).strip(" .-_") or "paper"
    stem = re.sub(r"\s+", " ", stem)[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .-")
    return f"{stem}.{extension}"


def check(name: str, content: bytes) -> CheckedPaper:
    if not content:
        raise PaperRefused("The file you chose is empty: choose the paper's file")
    if len(content) > MAX_PAPER_BYTES:
        raise PaperRefused("The file is larger than 20 MB: reduce its size (for example, compress its pictures)")
    kind = sniff(content)
    if kind is None:
        raise PaperRefused(f"The file must be a {ACCEPTED} file: save the paper in one of those formats")
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if claimed != kind:
        raise PaperRefused(
            f"The file's name ends .{claimed or '(nothing)'} but it holds a {kind.upper()} file: "
            f"rename it to end .{kind}"
        )
    return CheckedPaper(content=content, filename=safe_filename(name, kind), content_type=KINDS[kind][0])
