"""Evidence files: checked by what they contain, never by their name.

Photos are opened with Pillow and encoded again: scaled so the longest side is at most
`MAX_IMAGE_SIDE` pixels, turned upright, and written without any metadata (EXIF, GPS,
XMP, comments). Documents are accepted only when their bytes are a PDF, an Office Open
XML file (Word, Excel, PowerPoint) or an OpenDocument text. Anything else is refused.
The file name people gave is kept for display only; the stored name is random.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kehoach.activities.models import EvidenceKind

MAX_IMAGE_SIDE = 1600
JPEG_QUALITY = 85
# Formats Pillow reports for photos we take; HEIF only when a plugin taught Pillow to read it.
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF", "HEIC", "MPO"})
_OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
_ODT = "application/vnd.oasis.opendocument.text"
# [Content_Types].xml is a few kilobytes; a larger one is not an Office file we accept.
_MAX_MANIFEST = 256 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, ready to be stored."""

    kind: str
    content: bytes
    extension: str
    content_type: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)

    def as_django_file(self) -> ContentFile:
        # A random name: the uploaded name never reaches the storage path.
        return ContentFile(self.content, name=f"{uuid.uuid4().hex}.{self.extension}")


def max_bytes() -> int:
    return int(settings.MAX_UPLOAD_BYTES)


def _mb(size: int) -> str:
    return number_format(size / (1024 * 1024), 1)


def _display_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return base[:255]


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; files may be at most %(limit)s MB.")
            % {"size": _mb(size), "limit": _mb(limit)},
            code="too_large",
        )


def check_upload(upload) -> CheckedFile:
    """Read an uploaded file (Django's UploadedFile or any file-like with .name) and check it."""
    name = _display_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is not None:
        check_size(size)
    if hasattr(upload, "seek"):
        upload.seek(0)
    # One byte more than the limit is enough to know a file is too large.
    data = upload.read(max_bytes() + 1)
    return check_bytes(data, name)


def check_bytes(data: bytes, name: str = "") -> CheckedFile:
    check_size(len(data))
    name = _display_name(name)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    document = _document_type(data)
    if document is not None:
        extension, content_type = document
        return CheckedFile(EvidenceKind.DOCUMENT, data, extension, content_type, name)
    return _image(data, name)


def _document_type(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_document(data)
    return None


def _zip_document(data: bytes) -> tuple[str, str] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            with archive.open("mimetype") as handle:
                if handle.read(100).strip() == _ODT.encode():
                    return "odt", _ODT
            return None
        if "[Content_Types].xml" not in names:
            return None
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > _MAX_MANIFEST:
            return None
        with archive.open(info) as handle:
            manifest = handle.read(_MAX_MANIFEST).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError):
        return None
    for main_type, found in _OOXML.items():
        if f'ContentType="{main_type}"' in manifest:
            return found
    return None


def _refuse_type() -> ValidationError:
    return ValidationError(
        _(
            "This file type is not accepted. Send a photo (JPEG, PNG, WebP) or a document "
            "(PDF, Word, Excel, PowerPoint, ODT)."
        ),
        code="type",
    )


def _image(data: bytes, name: str) -> CheckedFile:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise _refuse_type()
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Upright first: the orientation lives in the EXIF we are about to drop.
            upright = ImageOps.exif_transpose(image)
            return _reencode(upright, name)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The photo is too large in pixels to be processed."), code="pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse_type() from None


def _reencode(image: Image.Image, name: str) -> CheckedFile:
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    # A fresh image holds pixels only: no EXIF, ICC, XMP, comments or text chunks survive.
    if transparent:
        clean = Image.new("RGBA", image.size)
        clean.paste(image.convert("RGBA"))
        out = io.BytesIO()
        clean.save(out, format="PNG", optimize=True)
        return CheckedFile(EvidenceKind.PHOTO, out.getvalue(), "png", "image/png", name)
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CheckedFile(EvidenceKind.PHOTO, out.getvalue(), "jpg", "image/jpeg", name)


def check_url(url: str) -> str:
    """A link given as evidence: an http(s) address, nothing else."""
    url = (url or "").strip()
    if not url:
        raise ValidationError(_("Enter a link."), code="empty")
    if len(url) > 500:
        raise ValidationError(_("The link is too long."), code="long")
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError(_("A link must start with http:// or https://."), code="scheme")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(_("This is not a valid web address."), code="invalid") from None
    return url


def link_name(url: str) -> str:
    return urlsplit(url).netloc[:255]
