"""A copy-ready package for social pages: the text with hashtags, and each image letterboxed
(never stretched or cropped) to the sizes the platforms show."""

from __future__ import annotations

import io
import re
import zipfile

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from PIL import Image, ImageOps, UnidentifiedImageError

from kehoach.content.models import ContentItem, MediaKind
from kehoach.core.scoping import get_for_user_or_404

# name → (width, height)
SIZES = {
    "lien-ket-1200x630": (1200, 630),  # link preview, Facebook post
    "vuong-1080x1080": (1080, 1080),  # square post
    "story-1080x1920": (1080, 1920),  # story, reel cover
}
PAD_COLOUR = (255, 255, 255)
JPEG_QUALITY = 88


def hashtag_list(raw: str) -> list[str]:
    """ "an toàn giao thông, #ChiThi58" → ["#antoàngiaothông", "#ChiThi58"]: one tag per
    comma-separated phrase (or per word when there are no commas), spaces removed."""
    raw = (raw or "").strip()
    if not raw:
        return []
    parts = raw.split(",") if "," in raw else raw.split()
    tags = []
    for part in parts:
        word = re.sub(r"[\s#]+", "", part)
        if word and f"#{word}" not in tags:
            tags.append(f"#{word}")
    return tags


def package_text(item: ContentItem) -> str:
    blocks = [item.title.strip(), item.summary.strip(), item.body.strip()]
    blocks.append(" ".join(hashtag_list(item.hashtags)))
    if item.video_url:
        blocks.append(item.video_url)
    return "\n\n".join(block for block in blocks if block) + "\n"


def letterbox(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale to fit inside `size` keeping the proportions; fill the rest with PAD_COLOUR."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, PAD_COLOUR + (255,))
        image = Image.alpha_composite(background, image)
    return ImageOps.pad(
        image.convert("RGB"), size, method=Image.Resampling.LANCZOS, color=PAD_COLOUR
    )


def build_package(item: ContentItem) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("text.txt", package_text(item))
        images = item.media.filter(kind=MediaKind.IMAGE).order_by("pk")
        for number, media in enumerate(images, start=1):
            try:
                with media.file.open("rb") as handle, Image.open(handle) as source:
                    source.load()
                    for name, size in SIZES.items():
                        out = io.BytesIO()
                        letterbox(source, size).save(out, "JPEG", quality=JPEG_QUALITY)
                        archive.writestr(f"anh-{number:02d}-{name}.jpg", out.getvalue())
            except (
                FileNotFoundError,
                OSError,
                UnidentifiedImageError,
                Image.DecompressionBombError,
            ):
                continue  # a missing or unreadable file is left out, the rest still goes
    return buffer.getvalue()


@login_required
@require_GET
def package(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user_or_404(ContentItem, request.user, pk=pk)
    response = HttpResponse(build_package(item), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{item.slug}-mang-xa-hoi.zip"'
    return response
