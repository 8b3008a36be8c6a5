import io
import json
import os
import shutil

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from kehoach.core.demo import FIXTURE, load_demo, load_demo_plan
from kehoach.plans.models import Plan


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_dry_run_json_prints_the_documented_keys(capsys) -> None:
    call_command("import_plan", str(FIXTURE), "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    for key in (
        "kind",
        "number",
        "issuer",
        "place",
        "date",
        "title",
        "basis",
        "citations",
        "sections",
        "purposes",
        "requirements",
        "topics",
        "channels",
        "assignments",
        "recipients",
        "signature",
        "warnings",
    ):
        assert key in data
    assert data["number"] is None and data["date"] is None
    assert {c["number"] for c in data["citations"]} == {
        "806-CV/BTGDVTU",
        "58-CT/TW",
        "20-CTr/TU",
        "21-CTr/TU",
        "18-KL/TW",
        "41-NQ/TW",
    }
    assert [a["unit"] for a in data["assignments"]][1] == "Ban Xây dựng đảng Đảng ủy"


def test_bad_input_fails_with_the_message(tmp_path) -> None:
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError) as error:
        call_command("import_plan", str(empty), "--dry-run", "--json")
    assert "trống" in str(error.value)
    with pytest.raises(CommandError):
        call_command("import_plan", str(tmp_path / "khong-co.txt"), "--dry-run")


@pytest.mark.django_db
def test_saving_needs_a_user_with_rights_and_prints_the_id() -> None:
    load_demo()
    with pytest.raises(CommandError):
        call_command("import_plan", str(FIXTURE))
    from kehoach.org.models import Unit

    ward = Unit.objects.get(name="Đảng ủy phường Lê Chân")
    with pytest.raises(CommandError):
        call_command("import_plan", str(FIXTURE), "--as", "chibo1", "--unit", str(ward.pk))
    assert not Plan.objects.exists()
    plan_id = int(_run("import_plan", str(FIXTURE), "--as", "xaydungdang").strip())
    assert Plan.objects.get(pk=plan_id).topics.count() == 3


@pytest.mark.django_db
def test_the_demo_plan_gives_duties_to_the_demo_units_once() -> None:
    load_demo()
    plan_id = load_demo_plan()
    assert load_demo_plan() is None
    plan = Plan.objects.get(pk=plan_id)
    targets = {
        a.heading: sorted(t.unit.name for t in a.targets.all()) for a in plan.assignments.all()
    }
    assert targets["Ủy ban nhân dân phường"] == ["Ủy ban nhân dân phường"]
    assert targets["Ban Xây dựng đảng Đảng ủy"] == ["Ban Xây dựng đảng Đảng ủy"]
    front = targets["Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội phường"]
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam phường" in front
    assert "Hội Liên hiệp Phụ nữ phường" in front
    cells = targets["Các cấp ủy, tổ chức đảng trực thuộc Đảng ủy"]
    assert len(cells) == 10 and all(name.startswith("Chi bộ") for name in cells)
    # Every duty became tasks (six duties × ten cells for the cells' heading alone) and a
    # few activities were logged, so the demo's lists and matrix are not empty.
    from kehoach.activities.models import Activity, Task

    assert Task.objects.filter(plan=plan, unit__name="Chi bộ Tổ dân phố số 7").count() == 6
    assert Activity.objects.filter(plan=plan, unit__name="Chi bộ Tổ dân phố số 1").count() == 2
    # This month's reporting period is open, owed by every unit with duties in the plan.
    period = plan.periods.get()
    assert period.unit_reports.count() == len({t for units in targets.values() for t in units})


def test_export_from_file_writes_a_formatted_docx(tmp_path) -> None:
    out = tmp_path / "ke-hoach.docx"
    _run("export_plan", "--from-file", str(FIXTURE), "--format", "docx", "--out", str(out))
    text = [p.text for p in Document(str(out)).paragraphs]
    assert "KẾ HOẠCH" in text
    assert any(line.startswith("IV.") and "TỔ CHỨC THỰC HIỆN" in line for line in text)


def test_an_exported_plan_imports_back_to_the_same_structure(tmp_path) -> None:
    from kehoach.plans.importer.parser import import_document

    original = import_document(FIXTURE.read_bytes(), FIXTURE.name, max_bytes=10_000_000)
    out = tmp_path / "ke-hoach.docx"
    _run("export_plan", "--from-file", str(FIXTURE), "--format", "docx", "--out", str(out))
    again = import_document(out.read_bytes(), out.name, max_bytes=10_000_000)
    assert again.purposes == original.purposes
    assert again.requirements == original.requirements
    assert [(t.title, t.points) for t in again.topics] == [
        (t.title, t.points) for t in original.topics
    ]
    assert [(a.unit, [d.text for d in a.duties]) for a in again.assignments] == [
        (a.unit, [d.text for d in a.duties]) for a in original.assignments
    ]
    assert [(r.name, r.note) for r in again.recipients] == [
        (r.name, r.note) for r in original.recipients
    ]
    assert again.signature == original.signature
    assert {c.number for c in again.citations} == {c.number for c in original.citations}


def _need_libreoffice() -> None:
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice is required under CI")
    pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")


def test_export_from_file_writes_a_pdf(tmp_path) -> None:
    _need_libreoffice()
    out = tmp_path / "ke-hoach.pdf"
    _run("export_plan", "--from-file", str(FIXTURE), "--format", "pdf", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
