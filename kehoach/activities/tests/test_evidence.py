"""Evidence uploads are judged by their bytes: photos cleaned and shrunk, documents recognised,
everything else refused with a message a person can act on."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import ExifTags, Image

from kehoach.activities import evidence as ev
from kehoach.activities.models import EvidenceKind

GPS = ExifTags.IFD.GPSInfo


def jpeg_with_gps(size=(3000, 2000), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Secretary's phone"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(GPS)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (20.0, 51.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 41.0, 2.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def office_file(main_type: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{main_type}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_the_test_photo_really_carries_a_location() -> None:
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_a_photo_comes_back_without_exif_or_location_and_scaled_down() -> None:
    checked = ev.check_upload(SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps()))
    assert checked.kind == EvidenceKind.PHOTO
    assert checked.content_type == "image/jpeg"
    cleaned = Image.open(io.BytesIO(checked.content))
    assert max(cleaned.size) == ev.MAX_IMAGE_SIDE
    assert cleaned.size == (1600, 1067)
    assert len(cleaned.getexif()) == 0
    assert "exif" not in cleaned.info
    assert b"PhoneMaker" not in checked.content
    assert b"Exif" not in checked.content


def test_a_turned_photo_is_stood_upright_before_its_metadata_is_dropped() -> None:
    # Orientation 6: the camera held sideways; viewers rotate it 90° to show it upright.
    checked = ev.check_bytes(jpeg_with_gps(size=(400, 200), orientation=6), "sideways.jpg")
    cleaned = Image.open(io.BytesIO(checked.content))
    assert cleaned.size == (200, 400)
    assert len(cleaned.getexif()) == 0


def test_a_small_png_keeps_its_size_and_transparency_and_loses_its_text_chunks() -> None:
    from PIL.PngImagePlugin import PngInfo

    image = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    meta = PngInfo()
    meta.add_text("Comment", "toa do 20.85,106.68")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=meta)
    checked = ev.check_bytes(out.getvalue(), "poster.png")
    cleaned = Image.open(io.BytesIO(checked.content))
    assert (cleaned.format, cleaned.size, cleaned.mode) == ("PNG", (120, 80), "RGBA")
    assert b"toa do" not in checked.content


def test_a_renamed_executable_is_refused() -> None:
    fake = SimpleUploadedFile("anh-hoi-nghi.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200)
    with pytest.raises(ValidationError) as caught:
        ev.check_upload(fake)
    assert caught.value.code == "type"


def test_a_linux_binary_named_like_a_pdf_is_refused() -> None:
    with pytest.raises(ValidationError):
        ev.check_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "bao-cao.pdf")


def test_an_html_page_is_refused() -> None:
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    with pytest.raises(ValidationError) as caught:
        ev.check_bytes(html, "anh.png")
    assert caught.value.code == "type"


def test_a_gif_is_not_among_the_accepted_photos() -> None:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError):
        ev.check_bytes(out.getvalue(), "a.gif")


def test_a_pdf_is_accepted_as_a_document_whatever_its_name() -> None:
    checked = ev.check_upload(SimpleUploadedFile("scan.JPG", PDF))
    assert (checked.kind, checked.extension, checked.content_type) == (
        EvidenceKind.DOCUMENT,
        "pdf",
        "application/pdf",
    )
    assert checked.content == PDF
    assert checked.original_name == "scan.JPG"


def test_a_word_file_is_recognised_by_its_content_types_entry() -> None:
    checked = ev.check_bytes(office_file(DOCX), "bien-ban.docx")
    assert checked.extension == "docx"


def test_a_zip_that_is_not_an_office_file_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("virus.exe", b"MZ")
    with pytest.raises(ValidationError):
        ev.check_bytes(out.getvalue(), "bien-ban.docx")


def test_a_macro_enabled_word_file_is_refused() -> None:
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    with pytest.raises(ValidationError):
        ev.check_bytes(office_file(macro), "bien-ban.docx")


def test_an_odt_is_recognised_by_its_mimetype_entry() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert ev.check_bytes(out.getvalue(), "x.odt").extension == "odt"


@override_settings(MAX_UPLOAD_BYTES=1024 * 1024)
def test_an_oversized_file_is_refused_with_both_sizes_in_megabytes() -> None:
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (3 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        ev.check_upload(big)
    assert caught.value.code == "too_large"
    message = caught.value.messages[0]
    assert "3,0" in message and "1,0" in message


@override_settings(MAX_UPLOAD_BYTES=1024)
def test_the_size_is_checked_on_the_bytes_too_when_the_upload_does_not_say() -> None:
    with pytest.raises(ValidationError):
        ev.check_bytes(PDF + b"0" * 2048, "x.pdf")


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError):
        ev.check_bytes(b"", "x.jpg")


def test_the_stored_name_is_random_and_never_the_uploaded_one() -> None:
    checked = ev.check_bytes(PDF, "../../etc/passwd bao cao.pdf")
    first, second = checked.as_django_file().name, checked.as_django_file().name
    assert first != second and first.endswith(".pdf") and "passwd" not in first
    assert checked.original_name == "passwd bao cao.pdf"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.com/a", "file:///etc/passwd", "example.com"]
)
def test_a_link_must_be_http_or_https(url) -> None:
    with pytest.raises(ValidationError):
        ev.check_url(url)


def test_an_https_link_is_accepted() -> None:
    assert ev.check_url(" https://lechan.haiphong.gov.vn/tin/1 ") == (
        "https://lechan.haiphong.gov.vn/tin/1"
    )
