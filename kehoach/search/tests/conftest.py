from dataclasses import dataclass

import pytest

from kehoach.plans.models import Assignment, AssignmentUnit
from kehoach.search.tests import builders as b

WORDS = "quán triệt Chỉ thị 58-CT/TW tại Đảng ủy"


@dataclass
class Corpus:
    document: object
    plan: object
    topic: object
    other_plan: object
    activity1: object
    activity2: object
    other_activity: object
    concern: object
    exemplar: object
    content: object
    report: object
    summary: object


@pytest.fixture
def corpus(world) -> Corpus:
    """The same words in records of cell 1, cell 2, the ward and the other ward."""
    document = b.document()
    plan = b.plan(world.ward, title=f"Kế hoạch {WORDS}", number="12-KH/ĐU")
    # The ward's plan gives cell 1 (not cell 2) a duty, so cell 1 sees it.
    assignment = Assignment.objects.create(plan=plan, heading="Chi bộ Tổ dân phố số 1")
    AssignmentUnit.objects.create(assignment=assignment, unit=world.cell1)
    topic = b.topic(plan, title=f"Nội dung {WORDS}")
    b.cite(plan, document, topic)
    other_plan = b.plan(world.other_ward, title=f"Kế hoạch khác {WORDS}")
    period = b.period(plan)
    return Corpus(
        document=document,
        plan=plan,
        topic=topic,
        other_plan=other_plan,
        activity1=b.activity(world.cell1, f"Chi bộ 1 {WORDS}"),
        activity2=b.activity(world.cell2, f"Chi bộ 2 {WORDS}"),
        other_activity=b.activity(world.other_cell, f"Phường khác {WORDS}"),
        concern=b.concern(
            world.ward,
            world.cell1,
            summary=f"Bà con hỏi về {WORDS}",
            resident_name="Nguyễn Thị Hoa",
            resident_contact="0912345678",
            wants_answer=True,
        ),
        exemplar=b.exemplar(world.cell1, story=f"Điển hình {WORDS}"),
        content=b.content(world.cell1, title=f"Bản tin {WORDS}"),
        report=b.unit_report(period, world.cell1, results=f"Đã {WORDS}"),
        summary=b.summary(period, results=f"Toàn phường {WORDS}"),
    )
