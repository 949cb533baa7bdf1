"""Checking an uploaded file before it is stored: its size, its type by content (not by its name or by
what the browser claims) and a safe file name for downloads. Shared by board papers and attachments.

The Office formats are ZIP packages: one is recognised by its ``[Content_Types].xml`` and the
part that only that format holds. Images are recognised by their signatures.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass

MAX_NAME_LENGTH = 100

# extension: (content type, the ZIP part that marks the format, or None when not a ZIP package)
KINDS = {
    "pdf": ("application/pdf", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/presentation.xml"),
    "png": ("image/png", None),
    "jpg": ("image/jpeg", None),
}
OFFICE_AND_PDF = ("pdf", "docx", "xlsx", "pptx")
# Other names a kind's files end in.
ALSO_NAMED = {"jpg": {"jpeg"}}


class UploadRefused(ValueError):
    """The upload is not a file Saferhub keeps; the message says why and what to do."""


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    filename: str
    content_type: str


def sniff(content: bytes) -> str | None:
    """The file's kind (an extension of KINDS) from its bytes, or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
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


def safe_filename(name: str, extension: str, default: str = "file") -> str:
    """The uploaded name without any path, control or odd characters, ending in the sniffed extension."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9 ._()-]+", "-", stem).strip(" .-_") or default
    stem = re.sub(r"\s+", " ", stem)[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .-")
    return f"{stem}.{extension}"


def check_upload(
    name: str,
    content: bytes,
    *,
    kinds: Collection[str],
    accepted: str,
    max_bytes: int,
    what: str = "file",
) -> CheckedUpload:
    """The upload checked: not empty, not too large, of an accepted kind by its content, named as it is."""
    if not content:
        raise UploadRefused(f"The file you chose is empty: choose the {what}'s file")
    if len(content) > max_bytes:
        megabytes = max_bytes // (1024 * 1024)
        raise UploadRefused(
            f"The file is larger than {megabytes} MB: reduce its size (for example, compress its pictures)"
        )
    kind = sniff(content)
    if kind is None or kind not in kinds:
        raise UploadRefused(f"The file must be a {accepted} file: save the {what} in one of those formats")
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if claimed != kind and claimed not in ALSO_NAMED.get(kind, set()):
        raise UploadRefused(
            f"The file's name ends .{claimed or '(nothing)'} but it holds a {kind.upper()} file: "
            f"rename it to end .{kind}"
        )
    return CheckedUpload(content=content, filename=safe_filename(name, kind, what), content_type=KINDS[kind][0])
