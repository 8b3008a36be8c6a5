"""The summary report as a document: its figures equal the database, and it prints."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db.models import Count, F, Sum
from docx import Document

from kehoach.activities.models import Activity, ActivityTopic, Audience, Channel
from kehoach.core.testing import client_for
from kehoach.documents.writer.report import vn_number
from kehoach.reports import services
from kehoach.reports import summary as svc
from kehoach.reports import summary_document as docx_report
from kehoach.reports.models import SummaryExport
from kehoach.reports.tests.builders import log, reporting_world

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "documents"
REACHED = F("participants") + F("listeners") + F("views")


def accept(world, report, writer, text: str) -> None:
    report = services.save_draft(
        actor=writer,
        report=report,
        changes={"results": text, "limitations": "Còn chậm.", "leadership": "Đã quán triệt."},
        version=report.version,
    )
    report = services.submit(actor=writer, report=report)
    services.accept(actor=world.coordinator, report=report)


@pytest.fixture
def rw(world):
    """Both cells accepted with a dozen activities; the Committee logs too but owes nothing."""
    rw = reporting_world(world)
    channels = [Channel.MEETING, Channel.LOUDSPEAKER, Channel.SOCIAL, Channel.VISUAL]
    for i in range(12):
        unit, person = (world.cell1, world.secretary) if i % 3 else (world.cell2, world.secretary2)
        log(
            unit,
            person,
            date(2026, 5, 1 + i * 2),
            plan=rw.plan,
            channel=channels[i % 4],
            topics=[rw.topic] if i % 2 else [],
            audiences=[Audience.PEOPLE, Audience.PARTY_MEMBERS][: 1 + i % 2],
            participants=137 * i,
            listeners=1000 + 11 * i,
            views=250 * (i % 5),
            news_items=i % 3,
            posters=1,
        )
    # Outside the period, and deleted: neither counts.
    log(world.cell1, world.secretary, date(2026, 6, 3), plan=rw.plan, participants=5000)
    gone = log(world.cell2, world.secretary2, date(2026, 5, 9), plan=rw.plan, participants=9000)
    Activity.objects.filter(pk=gone.pk).update(deleted_at="2026-05-10T00:00:00Z")
    accept(world, rw.report1, world.secretary, "Chi bộ 1 tổ chức sinh hoạt chuyên đề.")
    accept(world, rw.report2, world.secretary2, "Chi bộ 2 treo băng rôn.")
    return rw


def db_figures(world, period) -> dict:
    """The totals recomputed from the activity log, independently of reports/figures.py."""
    alive = Activity.objects.filter(
        unit__in=[world.cell1, world.cell2],
        plan=period.plan,
        deleted_at__isnull=True,
        date__gte=period.start,
        date__lte=period.end,
    )
    total = alive.aggregate(n=Count("pk"), reached=Sum(REACHED), posters=Sum("posters"))
    units = {
        row["unit__name"]: (row["n"], row["r"])
        for row in alive.values("unit__name").annotate(n=Count("pk"), r=Sum(REACHED)).order_by()
    }
    channels = {
        row["channel"]: (row["n"], row["r"])
        for row in alive.values("channel").annotate(n=Count("pk"), r=Sum(REACHED)).order_by()
    }
    topic = ActivityTopic.objects.filter(activity__in=alive).aggregate(
        n=Count("activity_id"),
        r=Sum(F("activity__participants") + F("activity__listeners") + F("activity__views")),
    )
    return {"total": total, "units": units, "channels": channels, "topic": topic}


def docx_text(data: bytes) -> tuple[list[str], list[list[str]]]:
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, tables


def test_the_figures_in_the_docx_equal_the_totals_in_the_database(world, rw) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    response = client_for(world.coordinator).get(f"/tong-hop/{summary.pk}/tai/docx/")
    assert response.status_code == 200
    paragraphs, rows = docx_text(response.content)
    text = "\n".join(paragraphs)
    expected = db_figures(world, rw.period)
    total = expected["total"]
    assert total["n"] == 12 and total["reached"] > 1000  # the formatting is exercised

    # Overall: activities and people reached, Vietnamese grouping (12.345).
    overall = next(p for p in paragraphs if p.startswith("Trong kỳ báo cáo"))
    assert f"tổ chức {vn_number(total['n'])} hoạt động" in overall
    assert f"với {vn_number(total['reached'])} lượt người" in overall
    # Per topic.
    topic_line = next(p for p in paragraphs if p.startswith("- Nội dung 1"))
    assert topic_line.endswith(
        f"{vn_number(expected['topic']['n'])} hoạt động, "
        f"{vn_number(expected['topic']['r'])} lượt người."
    )
    # Per unit: one table row each, and the total row.
    by_name = {row[1]: row for row in rows if len(row) == 5}
    for name, (n, reached) in expected["units"].items():
        assert by_name[name][2:4] == [vn_number(n), vn_number(reached)]
    assert by_name["Tổng cộng"][2:4] == [vn_number(total["n"]), vn_number(total["reached"])]
    # Per channel.
    labels = docx_report.labels()["channel"]
    for code, (n, reached) in expected["channels"].items():
        line = f"- {labels[code]}: {vn_number(n)} hoạt động, {vn_number(reached)} lượt người."
        assert line in paragraphs
    # Outputs.
    assert f"{vn_number(total['posters'])} {docx_report.labels()['output']['posters']}" in text
    # Every number printed in section II comes from the database: none is left over.
    section = text[text.index("II. KẾT QUẢ THỰC HIỆN") : text.index("III. ĐÁNH GIÁ CHUNG")]
    assert "5.000" not in section and "9.000" not in section


def test_the_docx_has_the_structure_of_a_results_report(world, rw) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    paragraphs, rows = docx_text(docx_report.summary_document(summary))
    assert "BÁO CÁO" in paragraphs
    assert any(p.startswith("kết quả thực hiện Kế hoạch") for p in paragraphs)
    assert any(p.startswith("Thực hiện Kế hoạch") for p in paragraphs)
    headings = [p for p in paragraphs if re.match(r"^[IV]+\. ", p)]
    assert headings == [
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, QUÁN TRIỆT, TUYÊN TRUYỀN",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    flat = [cell for row in rows for cell in row]
    assert any(cell.startswith("Số 01-BC/ĐU") for cell in flat)
    assert "T/M BAN THƯỜNG VỤ" in "\n".join(flat)
    assert any("“để báo cáo”" in cell for cell in flat)
    assert f"- {world.cell1.name}: Chi bộ 1 tổ chức sinh hoạt chuyên đề." in paragraphs


def test_the_pdf_is_rendered_in_the_background_and_looks_right(
    world, rw, django_capture_on_commit_callbacks
) -> None:
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required under CI")
        pytest.skip("LibreOffice is not installed: the PDF cannot be rendered here")
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    client = client_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/tong-hop/{summary.pk}/tai/pdf/")
    job = SummaryExport.objects.get()
    assert response["Location"] == f"/tong-hop/xuat/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert 'id="download-pdf"' in client.get(f"/tong-hop/xuat/{job.pk}/").content.decode()
    assert client_for(world.outsider).get(f"/tong-hop/xuat/{job.pk}/").status_code == 404
    data = b"".join(client.get(f"/tong-hop/xuat/{job.pk}/?tai=1").streaming_content)
    assert data.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "summary.pdf").write_bytes(data)
    (ARTIFACTS / "summary.docx").write_bytes(docx_report.summary_document(summary))
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-singlefile",
                "-f",
                "1",
                str(ARTIFACTS / "summary.pdf"),
                str(ARTIFACTS / "summary-page1"),
            ],
            check=True,
            timeout=60,
        )
        assert (ARTIFACTS / "summary-page1.png").stat().st_size > 0


def test_the_api_answers_202_until_the_pdf_is_ready(world, rw, monkeypatch) -> None:
    from django.test import Client

    from kehoach.accounts.services import issue_token
    from kehoach.reports import tasks

    # A queue with no worker: the export stays pending.
    monkeypatch.setattr(tasks, "render_summary_pdf", SimpleNamespace(enqueue=lambda pk: None))
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    headers = {"Authorization": f"Bearer {issue_token(actor=world.coordinator)}"}
    url = f"/api/v1/summaries/{summary.pk}/document?format=pdf"
    first = Client().get(url, headers=headers)
    assert first.status_code == 202
    assert first.json()["status_url"].endswith(url.split("/api/v1")[1])
    job = SummaryExport.objects.get()
    job.status = "done"
    job.file.save("summary.pdf", io.BytesIO(b"%PDF-1.4 test"), save=True)
    ready = Client().get(url, headers=headers)
    assert ready.status_code == 200 and ready.content.startswith(b"%PDF")
    assert SummaryExport.objects.count() == 1
