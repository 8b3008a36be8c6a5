"""Hand-built plans for service and view tests, independent of the importer."""

from datetime import date

from kehoach.plans import convert
from kehoach.plans import models as m
from kehoach.plans.importer.result import (
    Assignment,
    Channel,
    Citation,
    Duty,
    ParsedPlan,
    Recipient,
    Section,
    Signature,
    Span,
    Topic,
)

TEXT = "KẾ HOẠCH\ntuyên truyền thực hiện Chỉ thị số 58-CT/TW\n<script>alert(1)</script>"


def sample_parsed(**changes) -> ParsedPlan:
    plan = ParsedPlan(
        kind="KH",
        family="party",
        number=None,
        issuer="ĐẢNG ỦY PHƯỜNG LÊ CHÂN",
        place="Lê Chân",
        date=date(2026, 5, 20),
        title="tuyên truyền thực hiện Chỉ thị số 58-CT/TW",
        basis=["Thực hiện Công văn số 806-CV/BTGDVTU, ngày 15/5/2026 …"],
        citations=[
            Citation(
                "806-CV/BTGDVTU",
                "CV",
                "Ban Tuyên giáo và Dân vận Thành ủy",
                date(2026, 5, 15),
                "về tuyên truyền",
            ),
            Citation("58-CT/TW", "CT", "Ban Bí thư", date(2026, 1, 10), "về tăng cường …"),
        ],
        sections=[
            Section("MỤC ĐÍCH, YÊU CẦU", "purposes_requirements"),
            Section("NỘI DUNG TUYÊN TRUYỀN", "content"),
            Section("HÌNH THỨC TUYÊN TRUYỀN", "forms"),
            Section("TỔ CHỨC THỰC HIỆN", "organisation"),
        ],
        purposes=["Tuyên truyền sâu rộng …", "Nâng cao nhận thức …"],
        requirements=["Chủ động, đồng bộ …"],
        topics=[Topic("Tuyên truyền Chỉ thị số 58-CT/TW", ["Điểm 1", "Điểm 2"], ["58-CT/TW"])],
        channels=[Channel("Hệ thống truyền thanh cơ sở", "", ["loudspeaker"])],
        assignments=[
            Assignment("Ủy ban nhân dân phường", "lead", [Duty("Chỉ đạo tuyên truyền …")]),
            Assignment(
                "Các cấp ủy, tổ chức đảng trực thuộc Đảng ủy",
                "lead",
                [
                    Duty("Xây dựng kế hoạch …"),
                    Duty(
                        "Định kỳ báo cáo kết quả …", recurrence="periodic", deadline_text="Định kỳ"
                    ),
                ],
            ),
            Assignment("Sở Văn hóa và Thể thao", "support", [Duty("Phối hợp …")]),
        ],
        closing="Trên đây là Kế hoạch …",
        recipients=[
            Recipient("Ban Tuyên giáo và Dân vận TU", "để báo cáo"),
            Recipient("Lưu VPĐU", ""),
        ],
        signature=Signature("T/M BAN THƯỜNG VỤ", "", "PHÓ BÍ THƯ", "Nguyễn Thị Minh Ngọc"),
        text=TEXT,
        spans=[Span("title", 0, 8), Span("header", 9, 20)],
    )
    for key, value in changes.items():
        setattr(plan, key, value)
    return plan


def stage(unit, user, parsed: ParsedPlan | None = None) -> m.PlanImport:
    parsed = parsed or sample_parsed()
    return m.PlanImport.objects.create(
        unit=unit,
        created_by=user,
        file_name="ke-hoach.txt",
        parsed=convert.to_store(parsed),
        source_text=parsed.text,
    )
