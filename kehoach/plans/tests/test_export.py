import os
import shutil

import pytest

from kehoach.core.testing import client_for
from kehoach.plans import models as m
from kehoach.plans import services
from kehoach.plans.tests.builders import stage


@pytest.fixture
def plan(world) -> m.Plan:
    return services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


def test_the_docx_download_is_the_plan_in_the_official_format(world, plan) -> None:
    import io

    from docx import Document

    response = client_for(world.secretary).get(f"/ke-hoach/{plan.pk}/tai/docx/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    text = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "KẾ HOẠCH" in text
    assert client_for(world.outsider).get(f"/ke-hoach/{plan.pk}/tai/docx/").status_code == 404


def test_the_pdf_is_prepared_in_the_background_and_then_downloaded(
    world, plan, django_capture_on_commit_callbacks
) -> None:
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required under CI")
        pytest.skip("LibreOffice is not installed")
    client = client_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/ke-hoach/{plan.pk}/tai/pdf/")
    export = m.PlanExport.objects.get()
    assert response["Location"] == f"/ke-hoach/xuat/{export.pk}/"
    # The test settings run tasks immediately, after the request's transaction commits.
    export.refresh_from_db()
    assert export.status == "done", export.error
    page = client.get(f"/ke-hoach/xuat/{export.pk}/")
    assert "Tải tệp PDF" in page.content.decode()
    download = client.get(f"/ke-hoach/xuat/{export.pk}/?tai=1")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for(world.outsider).get(f"/ke-hoach/xuat/{export.pk}/").status_code == 404


def test_a_failed_pdf_says_why_and_offers_the_docx(
    world, plan, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from kehoach.documents import pdf

    def broken(data: bytes, timeout: int = 120) -> bytes:
        raise pdf.PdfUnavailable(
            "unavailable",
            "PDF export needs LibreOffice, which is not "
            "installed on the server (looked for %(names)s).",
            names="soffice",
        )

    monkeypatch.setattr(pdf, "docx_to_pdf", broken)
    client = client_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/ke-hoach/{plan.pk}/tai/pdf/")
    export = m.PlanExport.objects.get()
    assert export.status == "failed"
    html = client.get(f"/ke-hoach/xuat/{export.pk}/").content.decode()
    assert "LibreOffice" in html and "Tải bản .docx thay thế" in html
