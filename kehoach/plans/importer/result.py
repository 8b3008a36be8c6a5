"""What the importer understands of a plan: plain data, no Django.

This is the contract between the importer (text → ParsedPlan), the review screen,
`plans.services.import_plan`, the JSON of `manage.py import_plan --json`, and the
document writer (ParsedPlan → .docx), which also renders saved plans by first turning
them into a ParsedPlan.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass
class Citation:
    number: str  # without spaces, as written otherwise: "58-CT/TW", "159/KH-UBND", "85/2015/QH13"
    type: str  # the type code: "CT", "CTr", "KL", "NQ", "CV", "KH", "TT", "QĐ", "Luật"…
    issuer: str  # the issuing body as cited ("Ban Bí thư"); "" when not named
    date: date | None
    title: str  # the subject as cited ("về tăng cường …"); "" when not given


@dataclass
class Section:
    heading: str  # as written, numbering removed: "MỤC ĐÍCH, YÊU CẦU"
    role: str  # one of SECTION_ROLES


SECTION_ROLES = (
    "purposes_requirements",  # MỤC ĐÍCH, YÊU CẦU (also MỤC TIÊU, QUAN ĐIỂM as first section)
    "content",  # NỘI DUNG, NỘI DUNG TUYÊN TRUYỀN, NHIỆM VỤ, NHIỆM VỤ GIẢI PHÁP, NỘI DUNG, HÌNH THỨC
    "forms",  # HÌNH THỨC, HÌNH THỨC TUYÊN TRUYỀN
    "organisation",  # TỔ CHỨC THỰC HIỆN, PHÂN CÔNG NHIỆM VỤ, TRÁCH NHIỆM THỰC HIỆN
    "funding",  # KINH PHÍ
    "timeline",  # THỜI GIAN, TIẾN ĐỘ
    "slogans",  # KHẨU HIỆU
    "audience",  # ĐỐI TƯỢNG
    "other",
)


@dataclass
class Topic:
    title: str
    points: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)  # citation numbers


@dataclass
class Channel:
    name: str  # the form as written ("Tuyên truyền trên các phương tiện thông tin đại chúng…")
    details: str = ""  # what follows a colon, if anything
    kinds: list[str] = field(default_factory=list)  # CHANNEL_KINDS recognised in the text


CHANNEL_KINDS = (
    "portal",
    "social",
    "loudspeaker",
    "newsletter",
    "visual",
    "meeting",
    "oral",
    "culture_event",
    "other",
)


@dataclass
class Duty:
    text: str
    recurrence: str | None = None  # RECURRENCES, or None for a one-off or open duty
    due_day: int | None = None  # "trước ngày 15 hằng tháng" → 15
    due_month: int | None = None  # "trước ngày 15 tháng 11" (yearly) → 11
    deadline: date | None = None  # a one-off date in the text
    deadline_text: str = ""  # the words the recurrence/deadline was read from


RECURRENCES = ("monthly", "quarterly", "half_year", "yearly", "periodic", "ad_hoc", "per_phase")


@dataclass
class Assignment:
    unit: str  # the unit's heading as written, numbering and trailing colon removed
    role: str = "lead"  # "lead" (chủ trì) or "support" (phối hợp)
    duties: list[Duty] = field(default_factory=list)


@dataclass
class Recipient:
    name: str  # without the leading "- " and trailing ",", ";" or "."
    note: str = ""  # "để báo cáo", "để thực hiện"…


@dataclass
class Signature:
    authority: str = ""  # "T/M BAN THƯỜNG VỤ", "TM. ỦY BAN NHÂN DÂN"
    deputy: str = ""  # "K/T TRƯỞNG BAN", "KT. CHỦ TỊCH", "T/L …", "TUQ. …"
    title: str = ""  # "PHÓ BÍ THƯ"
    name: str = ""  # "Nguyễn Thị Minh Ngọc"


@dataclass
class Span:
    """Where a recognised part sits in ParsedPlan.text, for highlighting on review."""

    part: str  # "header", "title", "basis", "section", "topic", "assignment", "recipients"…
    start: int
    end: int


@dataclass
class ParsedPlan:
    kind: str = "KH"  # document type code
    family: str = "party"  # "party" or "state"
    number: str | None = None  # "12-KH/ĐU", "159/KH-UBND", blank number kept as "/KH-UBND"
    superior: str = ""  # "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG"
    issuer: str = ""  # "ĐẢNG ỦY PHƯỜNG LÊ CHÂN" (as written)
    place: str = ""
    date: date | None = None
    title: str = ""  # the subject, without the type word
    basis: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    other_sections: dict[str, list[str]] = field(default_factory=dict)  # heading → paragraphs
    closing: str = ""  # "Trên đây là Kế hoạch …"
    recipients: list[Recipient] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)
    annexes: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    text: str = ""  # the normalised text the spans point into
    spans: list[Span] = field(default_factory=list)

    def to_json(self) -> dict:
        """The documented JSON of `import_plan --json` (see issue 3 and docs/importer.md)."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        for citation in data["citations"]:
            citation["date"] = citation["date"].isoformat() if citation["date"] else None
        for assignment in data["assignments"]:
            for duty in assignment["duties"]:
                duty["deadline"] = duty["deadline"].isoformat() if duty["deadline"] else None
        for key in ("text", "spans"):
            data.pop(key)
        # Callers inside Django replace these with translated sentences (plans.messages).
        data["warnings"] = [n.message % n.params if n.params else n.message for n in self.warnings]
        return data


def gettext_noop(message: str) -> str:
    """Marks an English message for the Vietnamese catalogue without needing Django here.

    makemessages extracts calls to gettext_noop; the Django side translates the message
    with gettext() and then fills in the params.
    """
    return message


@dataclass
class Notice:
    """A warning about a doubtful part, kept with the result."""

    code: str  # stable, for programs: "tcvn3_encoding", "unplaced_section", …
    message: str  # English template marked with gettext_noop, e.g. "Section “%(heading)s” …"
    params: dict = field(default_factory=dict)


class PlanReadError(Exception):
    """The input cannot be read as a plan at all (empty, binary, scanned, locked, too big)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.code, self.message, self.params = code, message, params
