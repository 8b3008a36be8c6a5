"""Concern services: recording and routing, deadlines, every state change, escalation,
erasure of contact details. Helpers here are reused by the other concern test files."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kehoach.accounts.models import Role
from kehoach.activities.models import Notification
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import make_user
from kehoach.feedback import services
from kehoach.feedback.models import (
    Category,
    Concern,
    ConcernStatus,
    RoutingRule,
    Source,
    Urgency,
)
from kehoach.feedback.workhours import TZ

S = ConcernStatus


def audit_of(concern: Concern):
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Concern), object_id=str(concern.pk)
    )


def committee_head(world):
    return make_user("ubnd", unit=world.committee, role=Role.HEAD, full_name="Phạm Văn Ủy")


def rule(world, category=Category.URBAN_ORDER, unit=None) -> RoutingRule:
    return RoutingRule.objects.create(
        ward=world.ward, category=category, unit=unit or world.committee
    )


def record(world, *, actor=None, unit=None, **extra) -> Concern:
    fields = {
        "category": Category.URBAN_ORDER,
        "summary": "Đèn đường ngõ 12 Hàng Kênh bị hỏng, buổi tối rất tối.",
        "source": Source.NEIGHBOURHOOD_MEETING,
        "place": "Tổ dân phố số 1",
        "people_count": 6,
    }
    fields.update(extra)
    return services.record_concern(
        actor=actor or world.secretary, unit=unit or world.cell1, **fields
    )


def concern_for_committee(world, status=S.NEW, **extra) -> Concern:
    """A concern handled by the committee, put straight into the given state."""
    if not RoutingRule.objects.filter(ward=world.ward, category=Category.URBAN_ORDER).exists():
        rule(world)
    concern = record(world, **extra)
    now = timezone.now()
    changes = {"status": status}
    if status in (S.ACKNOWLEDGED, S.IN_PROGRESS, S.ANSWERED, S.CLOSED):
        changes["acknowledged_at"] = now
    if status in (S.ANSWERED, S.CLOSED):
        changes.update(answered_at=now, answer="Đã thay bóng đèn ngày 12/6.")
    if status in services.FINAL:
        changes["closed_at"] = now
    Concern.objects.filter(pk=concern.pk).update(**changes)
    concern.refresh_from_db()
    return concern


# ---------------------------------------------------------------- recording and routing


class TestRecording:
    def test_a_cell_records_a_concern_and_the_rule_routes_it_to_the_committee(self, world):
        rule(world)
        concern = record(world)
        assert concern.unit == world.committee
        assert concern.ward == world.ward
        assert concern.recorded_by_unit == world.cell1
        assert concern.status == S.NEW
        assert concern.created_by == world.secretary

    def test_without_a_rule_the_ward_itself_handles_it(self, world):
        concern = record(world, category=Category.LAND_HOUSING)
        assert concern.unit == world.ward

    def test_a_rule_of_another_ward_does_not_apply(self, world):
        RoutingRule.objects.create(
            ward=world.other_ward, category=Category.URBAN_ORDER, unit=world.other_cell
        )
        assert record(world).unit == world.ward

    def test_a_rule_to_a_retired_unit_falls_back_to_the_ward(self, world):
        rule(world)
        world.committee.is_active = False
        world.committee.save()
        assert record(world).unit == world.ward

    def test_codes_are_eight_unambiguous_characters_and_tokens_are_long(self, world):
        codes = {record(world).code for _ in range(5)}
        assert len(codes) == 5
        for code in codes:
            assert len(code) == 8
            assert set(code) <= set(services.CODE_ALPHABET)
            assert not set(code) & set("01OIL")
        assert len(Concern.objects.first().token) >= 40

    def test_the_recording_is_audited_without_the_residents_contact(self, world):
        concern = record(world, wants_answer=True, resident_name="Bà Hoa", resident_contact="09")
        entry = audit_of(concern).get(action="create")
        assert entry.actor == world.secretary
        assert "resident_name" not in entry.after and "resident_contact" not in entry.after
        assert "Bà Hoa" not in str(entry.after)

    def test_contact_details_are_dropped_unless_an_answer_is_asked_for(self, world):
        concern = record(world, wants_answer=False, resident_name="Ông Ba", resident_contact="09")
        assert concern.resident_name == "" and concern.resident_contact == ""
        kept = record(world, wants_answer=True, resident_name="Ông Ba", resident_contact="09")
        assert kept.resident_name == "Ông Ba" and kept.resident_contact == "09"

    @pytest.mark.parametrize("who", ["outsider", "secretary2"])
    def test_people_of_other_units_cannot_record_for_a_cell(self, world, who):
        with pytest.raises(PermissionDenied):
            record(world, actor=getattr(world, who))
        assert not Concern.objects.exists()

    def test_a_viewer_cannot_record(self, world):
        viewer = make_user("xem", unit=world.cell1, role=Role.VIEWER)
        with pytest.raises(PermissionDenied):
            record(world, actor=viewer)

    def test_the_coordinator_records_for_any_unit_of_the_ward(self, world):
        assert record(world, actor=world.coordinator, unit=world.cell2).recorded_by_unit == (
            world.cell2
        )

    @pytest.mark.parametrize(
        "extra",
        [
            {"summary": ""},
            {"summary": "x" * (services.SUMMARY_MAX + 1)},
            {"people_count": 0},
            {"category": "politics"},
            {"source": Source.PUBLIC_FORM},
            {"urgency": "panic"},
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_stored(self, world, extra):
        with pytest.raises(ValidationError):
            record(world, **extra)
        assert not Concern.objects.exists()

    def test_a_topic_of_another_wards_plan_is_refused(self, world):
        from kehoach.plans.models import Plan, Topic

        plan = Plan.objects.create(unit=world.other_ward, title="Kế hoạch khác")
        topic = Topic.objects.create(plan=plan, title="Chủ đề khác")
        with pytest.raises(ValidationError):
            record(world, topic=topic)


class TestDeadlines:
    def test_a_normal_concern_is_acknowledged_within_eight_working_hours(self, world, settings):
        settings.CONCERN_ACK_HOURS = 8
        monday = datetime(2026, 6, 8, 9, 0, tzinfo=TZ)
        ack, answer = services.deadlines(monday, Urgency.NORMAL)
        assert ack == datetime(2026, 6, 9, 9, 30, tzinfo=TZ)  # 6.5 h on Monday, 1.5 h
        assert answer == datetime(2026, 6, 22, 17, 0, tzinfo=TZ)

    def test_a_hot_spot_gets_the_shorter_deadline(self, world, settings):
        settings.CONCERN_ACK_HOURS_HOT = 4
        monday = datetime(2026, 6, 8, 9, 0, tzinfo=TZ)
        ack, _answer = services.deadlines(monday, Urgency.HOT_SPOT)
        assert ack == datetime(2026, 6, 8, 14, 30, tzinfo=TZ)

    def test_the_settings_change_the_deadlines(self, world, settings):
        settings.CONCERN_ANSWER_DAYS = 1
        monday = datetime(2026, 6, 8, 9, 0, tzinfo=TZ)
        assert services.deadlines(monday, Urgency.NORMAL)[1] == datetime(
            2026, 6, 9, 17, 0, tzinfo=TZ
        )

    def test_recording_sets_both_deadlines(self, world):
        concern = record(world, urgency=Urgency.HOT_SPOT)
        assert concern.created_at < concern.acknowledge_due <= concern.answer_due


# ---------------------------------------------------------------- transitions


class TestTransitions:
    def test_the_full_path_new_acknowledged_in_progress_answered_closed(self, world):
        head = committee_head(world)
        concern = concern_for_committee(world)
        concern = services.acknowledge(actor=head, concern=concern)
        assert concern.status == S.ACKNOWLEDGED and concern.acknowledged_at
        concern = services.start(actor=head, concern=concern)
        assert concern.status == S.IN_PROGRESS
        concern = services.answer(actor=head, concern=concern, text="Đã thay bóng đèn.")
        assert concern.status == S.ANSWERED and concern.answered_at
        concern = services.close(actor=head, concern=concern)
        assert concern.status == S.CLOSED and concern.closed_at

    def test_answering_a_new_concern_acknowledges_it_too(self, world):
        concern = concern_for_committee(world)
        concern = services.answer(actor=world.coordinator, concern=concern, text="Đã xử lý.")
        assert concern.acknowledged_at == concern.answered_at

    def test_a_closed_concern_can_be_reopened(self, world):
        concern = concern_for_committee(world, S.CLOSED)
        concern = services.reopen(actor=committee_head(world), concern=concern)
        assert concern.status == S.IN_PROGRESS and concern.closed_at is None

    @pytest.mark.parametrize(
        ("step", "status"),
        [
            ("acknowledge", S.ACKNOWLEDGED),
            ("close", S.NEW),
            ("close", S.IN_PROGRESS),
            ("reopen", S.NEW),
            ("reopen", S.ANSWERED),
            ("start", S.ANSWERED),
        ],
    )
    def test_steps_out_of_order_are_refused(self, world, step, status):
        concern = concern_for_committee(world, status)
        with pytest.raises(ValidationError):
            getattr(services, step)(actor=committee_head(world), concern=concern)
        concern.refresh_from_db()
        assert concern.status == status

    def test_an_empty_or_oversized_answer_is_refused(self, world):
        concern = concern_for_committee(world)
        for text in ("  ", "x" * (services.ANSWER_MAX + 1)):
            with pytest.raises(ValidationError):
                services.answer(actor=world.coordinator, concern=concern, text=text)
        concern.refresh_from_db()
        assert concern.status == S.NEW

    def test_an_answer_based_on_a_stale_page_is_refused(self, world):
        concern = concern_for_committee(world)
        seen = concern.updated_at
        services.acknowledge(actor=world.coordinator, concern=concern)
        with pytest.raises(ValidationError):
            services.answer(actor=world.coordinator, concern=concern, text="Trả lời", seen=seen)

    def test_transfer_needs_a_note_and_restarts_the_deadlines(self, world):
        head = committee_head(world)
        concern = concern_for_committee(world, S.ACKNOWLEDGED)
        Concern.objects.filter(pk=concern.pk).update(
            acknowledge_due=timezone.now() - timedelta(days=3)
        )
        concern.refresh_from_db()
        with pytest.raises(ValidationError):
            services.transfer(actor=head, concern=concern, unit=world.cell2, note=" ")
        moved = services.transfer(
            actor=head, concern=concern, unit=world.cell2, note="Thuộc địa bàn tổ 2"
        )
        assert moved.unit == world.cell2 and moved.status == S.TRANSFERRED
        assert moved.acknowledged_at is None
        assert moved.acknowledge_due > timezone.now()
        assert moved.note == "Thuộc địa bàn tổ 2"

    def test_the_receiving_unit_acknowledges_a_transferred_concern(self, world):
        concern = concern_for_committee(world)
        concern = services.transfer(
            actor=world.coordinator, concern=concern, unit=world.cell2, note="Tổ 2"
        )
        concern = services.acknowledge(actor=world.secretary2, concern=concern)
        assert concern.status == S.ACKNOWLEDGED

    def test_a_transfer_to_another_ward_or_the_same_unit_is_refused(self, world):
        concern = concern_for_committee(world)
        for unit in (world.other_cell, world.committee, world.superior):
            with pytest.raises(ValidationError):
                services.transfer(actor=world.coordinator, concern=concern, unit=unit, note="x")

    def test_the_transferred_unit_is_told(self, world):
        concern = concern_for_committee(world)
        services.transfer(actor=world.coordinator, concern=concern, unit=world.cell2, note="x")
        assert Notification.objects.filter(user=world.secretary2).exists()

    def test_the_committee_is_told_when_a_concern_arrives(self, world):
        head = committee_head(world)
        concern_for_committee(world)
        notice = Notification.objects.get(user=head)
        assert notice.link == f"/y-kien/{Concern.objects.get().pk}/"

    def test_out_of_scope_needs_where_to_turn_and_ends_the_concern(self, world):
        concern = concern_for_committee(world)
        with pytest.raises(ValidationError):
            services.mark_out_of_scope(actor=world.coordinator, concern=concern, note="")
        done = services.mark_out_of_scope(
            actor=world.coordinator, concern=concern, note="Liên hệ Công ty Điện lực Lê Chân"
        )
        assert done.status == S.OUT_OF_SCOPE and done.closed_at
        assert services.reopen(actor=world.coordinator, concern=done).status == S.IN_PROGRESS

    def test_a_duplicate_links_to_the_original_of_the_same_ward(self, world):
        original = concern_for_committee(world)
        second = concern_for_committee(world)
        done = services.mark_duplicate(actor=world.coordinator, concern=second, original=original)
        assert done.status == S.DUPLICATE and done.duplicate_of == original
        third = concern_for_committee(world)
        # A duplicate of a duplicate points at the first concern.
        assert (
            services.mark_duplicate(actor=world.coordinator, concern=third, original=done)
        ).duplicate_of == original

    def test_a_concern_cannot_duplicate_itself_or_another_wards(self, world):
        concern = concern_for_committee(world)
        with pytest.raises(ValidationError):
            services.mark_duplicate(actor=world.coordinator, concern=concern, original=concern)
        outside = Concern.objects.create(
            ward=world.other_ward,
            unit=world.other_ward,
            source=Source.OTHER,
            category=Category.OTHER,
            summary="Khác",
            code="ZZZZ2222",
            token="other-token",
        )
        with pytest.raises(ValidationError):
            services.mark_duplicate(actor=world.coordinator, concern=concern, original=outside)
        with pytest.raises(ValidationError):
            services.find_original(concern, "ZZZZ2222")
        assert services.find_original(concern, concern.code.lower()) == concern

    def test_the_coordinator_reroutes_and_the_unit_cannot(self, world):
        head = committee_head(world)
        concern = concern_for_committee(world)
        with pytest.raises(PermissionDenied):
            services.reroute(actor=head, concern=concern, unit=world.cell1)
        moved = services.reroute(actor=world.coordinator, concern=concern, unit=world.cell1)
        assert moved.unit == world.cell1 and moved.status == S.NEW

    def test_raising_to_hot_spot_shortens_the_acknowledgement_deadline(self, world):
        concern = concern_for_committee(world)
        before = concern.acknowledge_due
        hot = services.set_urgency(
            actor=world.coordinator, concern=concern, urgency=Urgency.HOT_SPOT
        )
        assert hot.urgency == Urgency.HOT_SPOT and hot.acknowledge_due < before

    def test_every_change_is_in_the_audit_log_under_its_actor(self, world):
        head = committee_head(world)
        concern = concern_for_committee(world)
        services.acknowledge(actor=head, concern=concern)
        entry = audit_of(concern).filter(action="update").latest("pk")
        assert entry.actor == head
        assert entry.after["status"] == S.ACKNOWLEDGED


STEPS = {
    "acknowledge": lambda actor, c, w: services.acknowledge(actor=actor, concern=c),
    "start": lambda actor, c, w: services.start(actor=actor, concern=c),
    "answer": lambda actor, c, w: services.answer(actor=actor, concern=c, text="Trả lời"),
    "close": lambda actor, c, w: services.close(actor=actor, concern=c),
    "reopen": lambda actor, c, w: services.reopen(actor=actor, concern=c),
    "transfer": lambda actor, c, w: services.transfer(
        actor=actor, concern=c, unit=w.cell2, note="Tổ 2"
    ),
    "out_of_scope": lambda actor, c, w: services.mark_out_of_scope(
        actor=actor, concern=c, note="Điện lực"
    ),
    "urgency": lambda actor, c, w: services.set_urgency(
        actor=actor, concern=c, urgency=Urgency.HOT_SPOT
    ),
}
READY = {"close": S.ANSWERED, "reopen": S.CLOSED}


class TestWhoMayHandle:
    @pytest.mark.parametrize("step", sorted(STEPS))
    @pytest.mark.parametrize("who", ["viewer", "leader", "secretary", "outsider"])
    def test_only_the_handling_unit_and_the_coordinator_may_take_a_step(self, world, step, who):
        people = {
            "viewer": lambda: make_user("xem", unit=world.committee, role=Role.VIEWER),
            "leader": lambda: make_user("thuongvu", unit=world.ward, role=Role.LEADER),
            "secretary": lambda: world.secretary,
            "outsider": lambda: world.outsider,
        }
        concern = concern_for_committee(world, READY.get(step, S.NEW))
        before = concern.status
        with pytest.raises(PermissionDenied):
            STEPS[step](people[who](), concern, world)
        concern.refresh_from_db()
        assert concern.status == before

    @pytest.mark.parametrize("step", sorted(STEPS))
    @pytest.mark.parametrize("who", ["head", "officer", "coordinator", "admin"])
    def test_the_handling_unit_the_coordinator_and_the_admin_may(self, world, step, who):
        people = {
            "head": lambda: committee_head(world),
            "officer": lambda: make_user("canbo", unit=world.committee, role=Role.OFFICER),
            "coordinator": lambda: world.coordinator,
            "admin": lambda: world.admin,
        }
        concern = concern_for_committee(world, READY.get(step, S.NEW))
        before = concern.status
        STEPS[step](people[who](), concern, world)
        concern.refresh_from_db()
        assert concern.status != before or step == "urgency"


class TestContact:
    def test_only_the_handling_units_people_see_the_contact(self, world):
        concern = concern_for_committee(world)
        assert services.may_see_contact(committee_head(world), concern)
        assert not services.may_see_contact(world.coordinator, concern)
        assert not services.may_see_contact(world.secretary, concern)
        assert not services.may_see_contact(
            make_user("thuongvu", unit=world.ward, role=Role.LEADER), concern
        )


# ---------------------------------------------------------------- scheduled work


class TestErasure:
    def _closed(self, world, days_ago: int, status=S.CLOSED) -> Concern:
        concern = concern_for_committee(
            world, status, wants_answer=True, resident_name="Bà Hoa", resident_contact="0912"
        )
        Concern.objects.filter(pk=concern.pk).update(
            closed_at=timezone.now() - timedelta(days=days_ago)
        )
        return concern

    def test_contacts_are_erased_after_the_retention_period(self, world, settings):
        settings.CONCERN_ERASE_DAYS = 30
        old = self._closed(world, 31)
        recent = self._closed(world, 29)
        assert services.erase_contacts() == 1
        old.refresh_from_db()
        recent.refresh_from_db()
        assert (old.resident_name, old.resident_contact) == ("", "")
        assert old.contact_erased_at is not None
        assert recent.resident_name == "Bà Hoa"

    def test_out_of_scope_and_duplicates_are_erased_too_but_open_ones_never(self, world):
        gone = self._closed(world, 40, S.OUT_OF_SCOPE)
        still_open = concern_for_committee(
            world, S.IN_PROGRESS, wants_answer=True, resident_name="Ông Tư"
        )
        Concern.objects.filter(pk=still_open.pk).update(
            closed_at=timezone.now() - timedelta(days=90)
        )
        services.erase_contacts()
        gone.refresh_from_db()
        still_open.refresh_from_db()
        assert gone.resident_name == "" and still_open.resident_name == "Ông Tư"

    def test_erasing_twice_does_nothing_more(self, world):
        self._closed(world, 31)
        assert services.erase_contacts() == 1
        assert services.erase_contacts() == 0

    def test_the_erased_contact_never_reaches_the_audit_log(self, world):
        concern = self._closed(world, 31)
        services.erase_contacts()
        for entry in audit_of(concern):
            assert "Bà Hoa" not in str(entry.before) + str(entry.after)
            assert "0912" not in str(entry.before) + str(entry.after)

    def test_the_daily_job_erases_and_queues_its_next_run(self, world, settings):
        from kehoach.feedback.tasks import erase_contacts

        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        }
        from django_tasks_db.models import DBTaskResult

        self._closed(world, 31)
        assert erase_contacts.call() == 1
        queued = DBTaskResult.objects.filter(status="READY")
        assert [q.task_path for q in queued] == ["kehoach.feedback.tasks.erase_contacts"]
        assert erase_contacts.call() == 0
        assert DBTaskResult.objects.filter(status="READY").count() == 1


class TestEscalation:
    def _overseers(self, world):
        leader = make_user("thuongvu", unit=world.ward, role=Role.LEADER)
        return world.coordinator, leader

    def test_an_overdue_concern_reaches_the_coordinator_and_the_leader_once(self, world):
        coordinator, leader = self._overseers(world)
        head = committee_head(world)
        concern = concern_for_committee(world)
        later = concern.acknowledge_due + timedelta(minutes=1)
        assert services.escalate(later) == 2
        assert services.escalate(later) == 0
        for user in (coordinator, leader):
            assert Notification.objects.filter(
                user=user, link=services.escalation_link(concern, "ack")
            ).exists()
        assert not Notification.objects.filter(user=head, link__contains="canh-bao").exists()
        assert not Notification.objects.filter(user=world.outsider).exists()

    def test_an_unanswered_concern_escalates_again_as_late_to_answer(self, world):
        self._overseers(world)
        concern = concern_for_committee(world, S.ACKNOWLEDGED)
        assert services.escalate(concern.acknowledge_due + timedelta(minutes=1)) == 0
        assert services.escalate(concern.answer_due + timedelta(minutes=1)) == 2

    def test_a_hot_spot_escalates_at_once(self, world):
        self._overseers(world)
        concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        assert services.escalate(timezone.now()) == 2

    def test_answered_and_closed_concerns_do_not_escalate(self, world):
        self._overseers(world)
        concern = concern_for_committee(world, S.ANSWERED, urgency=Urgency.HOT_SPOT)
        assert services.escalate(concern.answer_due + timedelta(days=1)) == 0

    def test_the_daily_job_escalates(self, world):
        from kehoach.feedback.tasks import escalate_concerns

        self._overseers(world)
        concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        assert escalate_concerns.call() == 2
