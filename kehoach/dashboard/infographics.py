"""Infographics drawn with Pillow: a target's progress or a period's results as a PNG.

``render(spec, size)`` draws one of three sizes (``SIZES``): a square post, a phone story
and an A4 poster at 300 dpi. The spec holds the title, the big figures with their labels,
an optional progress bar, the ward's name, the period and the source. Every piece of text
is NFC-normalised and drawn with Roboto (installed from PyPI as ``font-roboto``), which
has every precomposed Vietnamese letter, so tone marks never fall back to empty boxes.
Long text wraps by words; when the content does not fit, everything is drawn smaller.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

SIZES: dict[str, tuple[int, int]] = {
    "square": (1080, 1080),
    "story": (1080, 1920),
    "poster": (2480, 3508),
}
POSTER_DPI = 300

RED = (176, 18, 30)
DARK_RED = (120, 10, 20)
GOLD = (255, 205, 40)
INK = (33, 33, 33)
MUTED = (96, 96, 96)
PAPER = (255, 251, 242)
TRACK = (236, 226, 210)
WHITE = (255, 255, 255)


@dataclass
class Figure:
    value: int | float | Decimal | None
    label: str
    suffix: str = ""


@dataclass
class Progress:
    value: int | float | Decimal
    target: int | float | Decimal
    label: str = ""
    # Share of the way done, 0..1 and more; computed from value/target when not given.
    ratio: float | None = None


@dataclass
class Spec:
    title: str
    ward: str
    period: str
    source: str
    figures: list[Figure] = field(default_factory=list)
    progress: Progress | None = None
    note: str = ""


# ---------------------------------------------------------------- text helpers


def nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def vn_number(value, places: int = 2) -> str:
    """``27018`` → ``27.018``; ``1234.5`` → ``1.234,5``; at most ``places`` decimals."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    quantum = Decimal(1).scaleb(-places)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def ratio_of(progress: Progress) -> float:
    if progress.ratio is not None:
        return max(0.0, float(progress.ratio))
    target = float(progress.target or 0)
    if not target:
        return 0.0
    return max(0.0, float(progress.value or 0) / target)


@lru_cache(maxsize=64)
def font(weight: str, px: int) -> ImageFont.FreeTypeFont:
    import font_roboto

    return ImageFont.truetype(
        font_roboto.font_files[weight], max(8, px), layout_engine=ImageFont.Layout.BASIC
    )


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of at most ``width`` pixels, broken between words (inside a word if it must)."""
    lines: list[str] = []
    for paragraph in nfc(text).split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if face.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while face.getlength(word) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and face.getlength(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return [ln for ln in lines if ln] or [""]


# ---------------------------------------------------------------- layout


@dataclass
class _Op:
    kind: str  # "text", "bar"
    y: int
    data: dict


def _layout(spec: Spec, width: int, scale: float) -> tuple[list[_Op], int]:
    """The drawing operations of the body (between header and footer) and its height."""
    unit = width / 1080 * scale
    margin = int(width * 0.08)
    inner = width - 2 * margin
    ops: list[_Op] = []
    y = 0

    def text(value: str, weight: str, px: float, colour, gap: float) -> None:
        nonlocal y
        face = font(weight, int(px * unit))
        step = int(face.size * 1.22)
        for line in wrap(value, face, inner):
            ops.append(_Op("text", y, {"text": line, "font": face, "fill": colour}))
            y += step
        y += int(gap * unit)

    text(spec.title, "RobotoBlack", 64, DARK_RED, 20)
    if spec.period:
        text(spec.period, "RobotoMedium", 34, MUTED, 36)
    for figure in spec.figures:
        value = vn_number(figure.value) + figure.suffix
        text(value, "RobotoBlack", 132, RED, 0)
        text(figure.label, "RobotoMedium", 38, INK, 34)
    if spec.progress is not None:
        ratio = ratio_of(spec.progress)
        label = spec.progress.label or ""
        text(f"{vn_number(ratio * 100, 1)}%", "RobotoBold", 56, RED, 6)
        bar_height = int(40 * unit)
        ops.append(_Op("bar", y, {"ratio": ratio, "height": bar_height, "width": inner}))
        y += bar_height + int(14 * unit)
        if label:
            text(label, "Roboto", 32, INK, 20)
    if spec.note:
        text(spec.note, "RobotoItalic", 30, MUTED, 10)
    return ops, y


def render(spec: Spec, size: str) -> bytes:
    """The PNG bytes of the infographic in one of ``SIZES``."""
    width, height = SIZES[size]
    unit = width / 1080
    margin = int(width * 0.08)
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)

    # Header band: the ward's name on red with a gold rule.
    header_face = font("RobotoBold", int(36 * unit))
    header_lines = wrap(nfc(spec.ward).upper(), header_face, width - 2 * margin)[:2]
    line_step = int(header_face.size * 1.25)
    header_h = int(48 * unit) * 2 + line_step * len(header_lines)
    draw.rectangle((0, 0, width, header_h), fill=RED)
    draw.rectangle((0, header_h, width, header_h + int(10 * unit)), fill=GOLD)
    y = int(48 * unit)
    for line in header_lines:
        draw.text((margin, y), line, font=header_face, fill=WHITE)
        y += line_step

    # Footer: the source.
    footer_face = font("Roboto", int(28 * unit))
    footer_lines = wrap(nfc(spec.source), footer_face, width - 2 * margin)[:3]
    footer_step = int(footer_face.size * 1.3)
    footer_h = int(36 * unit) * 2 + footer_step * len(footer_lines)
    top_footer = height - footer_h
    draw.rectangle((0, top_footer, width, height), fill=DARK_RED)
    y = top_footer + int(36 * unit)
    for line in footer_lines:
        draw.text((margin, y), line, font=footer_face, fill=WHITE)
        y += footer_step

    # Body: as large as fits between them, vertically centred.
    top = header_h + int(10 * unit) + int(56 * unit)
    room = top_footer - int(48 * unit) - top
    scale = 1.6 if height > width else 1.0
    ops, body_h = _layout(spec, width, scale)
    while body_h > room and scale > 0.3:
        scale *= 0.92
        ops, body_h = _layout(spec, width, scale)
    offset = top + max(0, (room - body_h) // 3)
    for op in ops:
        y = offset + op.y
        if op.kind == "text":
            draw.text((margin, y), op.data["text"], font=op.data["font"], fill=op.data["fill"])
        else:
            h, w = op.data["height"], op.data["width"]
            radius = h // 2
            draw.rounded_rectangle((margin, y, margin + w, y + h), radius=radius, fill=TRACK)
            done = int(w * min(1.0, op.data["ratio"]))
            if done >= h:
                draw.rounded_rectangle((margin, y, margin + done, y + h), radius=radius, fill=RED)
            elif done > 0:
                draw.ellipse((margin, y, margin + h, y + h), fill=RED)

    out = io.BytesIO()
    if size == "poster":
        image.save(out, format="PNG", optimize=True, dpi=(POSTER_DPI, POSTER_DPI))
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_all(spec: Spec) -> dict[str, bytes]:
    return {size: render(spec, size) for size in SIZES}


def spec_text(spec: Spec) -> str:
    """Every piece of text the infographic draws, as drawn (for checks)."""
    parts = [nfc(spec.ward).upper(), spec.title, spec.period, spec.source, spec.note]
    for figure in spec.figures:
        parts += [vn_number(figure.value) + figure.suffix, figure.label]
    if spec.progress is not None:
        parts += [f"{vn_number(ratio_of(spec.progress) * 100, 1)}%", spec.progress.label]
    return "\n".join(nfc(p) for p in parts if p)
