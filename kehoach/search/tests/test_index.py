"""The index follows every change: saves, edits, deletes, soft deletes, citations, and the
rebuild command; residents' contact details never enter it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kehoach.activities import activity_services
from kehoach.search import index
from kehoach.search.models import SearchEntry
from kehoach.search.results import search
from kehoach.search.tests import builders as b


def found(user, text, kind=None) -> set[tuple[str, int]]:
    results = search(user, text, kind, limit=100)
    return {(h.kind, h.id) for g in results.shown for h in g.hits}


class TestKeptCurrent:
    def test_a_new_record_is_found_at_once(self, world):
        activity = b.activity(world.cell1, "Tuyên truyền phòng chống ma túy học đường")
        assert ("activity", activity.pk) in found(world.secretary, "ma tuy hoc duong")

    def test_an_edit_replaces_the_old_words(self, world):
        activity = b.activity(world.cell1, "Tuyên truyền về an toàn giao thông")
        activity.description = "Tuyên truyền về phòng cháy chữa cháy"
        activity.save()
        assert found(world.secretary, "giao thong") == set()
        assert ("activity", activity.pk) in found(world.secretary, "phong chay")
        assert SearchEntry.objects.filter(kind="activity", object_id=activity.pk).count() == 1

    def test_a_deleted_record_is_gone(self, world):
        item = b.content(world.cell1, title="Bản tin bầu cử đại biểu")
        pk = item.pk
        item.delete()
        assert found(world.secretary, "bau cu") == set()
        assert not SearchEntry.objects.filter(kind="content", object_id=pk).exists()

    def test_a_soft_deleted_activity_leaves_and_comes_back_on_restore(self, world):
        activity = activity_services.log_activity(
            actor=world.secretary,
            unit=world.cell1,
            channel="meeting",
            description="Sinh hoạt chuyên đề về Hồ Chí Minh",
            audiences=["party_members"],
            participants=10,
        )
        assert found(world.secretary, "ho chi minh")
        activity_services.delete_activity(actor=world.secretary, activity=activity)
        assert found(world.secretary, "ho chi minh") == set()
        activity_services.restore_activity(actor=world.secretary, activity=activity)
        assert found(world.secretary, "ho chi minh") == {("activity", activity.pk)}

    def test_a_plan_is_found_by_the_numbers_it_cites_and_loses_them_with_the_citation(self, world):
        plan = b.plan(world.ward, title="tuyên truyền Nghị quyết")
        citation = b.cite(plan, b.document("35-NQ/TW"))
        assert ("plan", plan.pk) in found(world.coordinator, "nq35")
        citation.delete()
        assert ("plan", plan.pk) not in found(world.coordinator, "nq35")

    def test_renaming_a_period_renames_its_reports(self, world):
        period = b.period(b.plan(world.ward))
        report = b.unit_report(period, world.cell1)
        period.label = "Quý II năm 2026"
        period.save()
        assert ("unit_report", report.pk) in found(world.coordinator, "quy ii")

    def test_deleting_a_plan_takes_its_topics_and_citations_along(self, world):
        plan = b.plan(world.ward, title="Kế hoạch tạm")
        topic = b.topic(plan, title="Nội dung tạm thời")
        b.cite(plan, b.document("99-CT/TW"), topic)
        plan.delete()
        assert not SearchEntry.objects.filter(kind__in=["plan", "topic"]).exists()
        assert found(world.coordinator, "tam") == set()

    def test_a_rolled_back_change_leaves_no_entry(self, world):
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            b.activity(world.cell1, "Hoạt động không thành")
            raise RuntimeError
        assert found(world.secretary, "khong thanh") == set()


class TestContactsNeverIndexed:
    def test_the_residents_name_and_contact_are_not_stored_or_found(self, world):
        concern = b.concern(
            world.ward,
            world.cell1,
            summary="Nước ngập ngõ 5 sau mưa",
            resident_name="Nguyễn Thị Hoa",
            resident_contact="0912345678",
            wants_answer=True,
        )
        entry = SearchEntry.objects.get(kind="concern", object_id=concern.pk)
        stored = " ".join([entry.title, entry.text, entry.folded_title, entry.folded_body])
        assert "0912345678" not in stored and "hoa" not in stored.split()
        assert "Hoa" not in stored
        assert found(world.secretary, "0912345678") == set()
        assert found(world.secretary, "Nguyễn Thị Hoa") == set()
        assert ("concern", concern.pk) in found(world.secretary, "nuoc ngap")
        assert ("concern", concern.pk) in found(world.secretary, concern.code)


class TestRebuild:
    def test_the_command_rebuilds_every_kind_from_the_records(self, corpus, world):
        SearchEntry.objects.all().delete()
        assert found(world.coordinator, "dang uy") == set()
        out = StringIO()
        call_command("rebuild_search_index", stdout=out)
        assert "activity" in out.getvalue()
        kinds = {kind for kind, _ in found(world.admin, "dang uy")}
        assert kinds == {
            "plan",
            "topic",
            "activity",
            "unit_report",
            "summary_report",
            "concern",
            "exemplar",
            "content",
        }
        assert ("document", corpus.document.pk) in found(world.admin, "58-CT/TW")

    def test_rebuilding_one_kind_leaves_the_others(self, corpus, world):
        counts = index.rebuild(["activity"])
        assert counts == {"activity": 3}
        assert SearchEntry.objects.filter(kind="plan").count() == 2

    def test_soft_deleted_activities_are_left_out(self, corpus, world):
        from django.utils import timezone

        type(corpus.activity1).objects.filter(pk=corpus.activity1.pk).update(
            deleted_at=timezone.now()
        )
        index.rebuild(["activity"])
        assert ("activity", corpus.activity1.pk) not in found(world.admin, "dang uy")

    def test_an_unknown_kind_is_refused(self, db):
        with pytest.raises(CommandError):
            call_command("rebuild_search_index", "nothing")


class TestUnitMoves:
    def test_a_moved_cell_takes_its_records_into_the_new_parents_scope(self, world):
        from kehoach.accounts.models import Role
        from kehoach.core.testing import make_user

        board_head = make_user("bantruong", unit=world.board, role=Role.HEAD)
        activity = b.activity(world.cell1, "Sinh hoạt về văn hóa khu phố")
        grandchild = b.activity(
            type(world.cell1).objects.create(
                name="Tổ đảng 1", kind="party_cell", parent=world.cell1
            ),
            "Tổ đảng họp về văn hóa",
        )
        assert found(board_head, "van hoa") == set()
        world.cell1.parent = world.board
        world.cell1.save()
        assert found(board_head, "van hoa") == {
            ("activity", activity.pk),
            ("activity", grandchild.pk),
        }
        assert len(found(world.coordinator, "van hoa")) == 2
        assert len(found(world.secretary, "van hoa")) == 2


@pytest.mark.sqlite_only  # the FTS5 triggers exist on SQLite only
class TestSqliteWordIndex:
    def test_a_rebuild_restores_lost_triggers(self, world):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER search_fts_insert")
        b.activity(world.cell1, "Hoạt động khi mất trigger")
        assert found(world.secretary, "mat trigger") == set()
        index.rebuild()
        assert len(found(world.secretary, "mat trigger")) == 1
        b.activity(world.cell1, "Hoạt động sau khi có lại trigger")
        assert len(found(world.secretary, "co lai trigger")) == 1
