"""The rules of logging, changing, deleting, locking and unlocking activities."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from kehoach.accounts.models import Membership, Role
from kehoach.activities import activity_services as services
from kehoach.activities.models import (
    Activity,
    ActivityTopic,
    EntryDefaults,
    Evidence,
    EvidenceKind,
    Task,
)
from kehoach.audit.models import AuditEntry
from kehoach.core.concurrency import StaleEdit
from kehoach.core.testing import make_user
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import sample_parsed, stage

TODAY = timezone.localdate


@pytest.fixture
def plan(world):
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


@pytest.fixture
def other_plan(world):
    parsed = sample_parsed(title="kế hoạch của phường Ngô Quyền")
    return plan_services.save_import(
        actor=world.admin, staged=stage(world.other_ward, world.admin, parsed)
    )


def photo(name="anh.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1200), (10, 120, 10)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def log(world, plan, actor=None, **changes) -> Activity:
    entry = {
        "actor": actor or world.secretary,
        "unit": world.cell1,
        "date": TODAY(),
        "channel": "meeting",
        "plan": plan,
        "topics": list(plan.topics.all()) if plan else [],
        "audiences": ["party_members", "people"],
        "participants": 35,
        "meetings": 1,
        "description": "Sinh hoạt chi bộ quán triệt Chỉ thị 58",
    }
    entry.update(changes)
    return services.log_activity(**entry)


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def audit_of(model, pk) -> list[AuditEntry]:
    ct = ContentType.objects.get_for_model(model)
    return list(AuditEntry.objects.filter(content_type=ct, object_id=str(pk)).order_by("id"))


# ---------------------------------------------------------------- logging


def test_a_cell_secretary_logs_an_activity_with_topics_audiences_counts_and_evidence(
    world, plan
) -> None:
    activity = log(world, plan, files=[photo()], links=["https://lechan.vn/tin/1"])
    assert activity.unit == world.cell1 and activity.created_by == world.secretary
    assert list(activity.topic_links.values_list("topic", flat=True)) == [plan.topics.get().pk]
    assert set(activity.audiences.values_list("audience", flat=True)) == {"party_members", "people"}
    assert (activity.participants, activity.meetings, activity.views) == (35, 1, 0)
    kinds = sorted(activity.evidence.values_list("kind", flat=True))
    assert kinds == [EvidenceKind.LINK, EvidenceKind.PHOTO]
    stored = activity.evidence.get(kind=EvidenceKind.PHOTO)
    assert stored.original_name == "anh.jpg"
    assert stored.file.name.startswith(f"evidence/{timezone.now():%Y/%m}/")
    assert "anh" not in stored.file.name
    assert max(Image.open(stored.file.open("rb")).size) == 1600


def test_logging_is_in_the_audit_log_under_the_person(world, plan) -> None:
    activity = log(world, plan, files=[photo()])
    (created,) = audit_of(Activity, activity.pk)
    assert created.actor == world.secretary and created.action == "create"
    assert created.after["participants"] == 35
    link = ActivityTopic.objects.get(activity=activity)
    assert audit_of(ActivityTopic, link.pk)[0].actor == world.secretary
    assert audit_of(Evidence, activity.evidence.get().pk)[0].actor == world.secretary


def test_the_persons_choices_are_remembered_for_the_next_entry(world, plan) -> None:
    log(world, plan, channel="loudspeaker", audiences=["people"])
    data = EntryDefaults.objects.get(user=world.secretary).data
    assert data == {
        "unit_id": world.cell1.pk,
        "plan_id": plan.pk,
        "channel": "loudspeaker",
        "audiences": ["people"],
        "topic_ids": [plan.topics.get().pk],
    }
    assert services.entry_defaults(world.secretary)["channel"] == "loudspeaker"


def test_the_date_defaults_to_today(world, plan) -> None:
    assert log(world, plan, date=None).date == TODAY()


def test_the_coordinator_above_may_log_for_a_cell(world, plan) -> None:
    assert log(world, plan, actor=world.coordinator).unit == world.cell1


def test_a_secretary_cannot_log_for_another_cell(world, plan) -> None:
    with pytest.raises(PermissionDenied):
        log(world, plan, unit=world.cell2)
    assert not Activity.objects.exists()


def test_an_outsider_cannot_log_for_a_cell_of_another_ward(world, plan) -> None:
    with pytest.raises(PermissionDenied):
        log(world, None, actor=world.outsider)


def test_a_viewer_cannot_log(world, plan) -> None:
    viewer = make_user("xem", unit=world.cell1, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        log(world, plan, actor=viewer)


def test_a_plan_the_person_cannot_see_is_refused(world, other_plan) -> None:
    with pytest.raises(ValidationError) as caught:
        log(world, other_plan, topics=[])
    assert "plan" in caught.value.error_dict
    assert not Activity.objects.exists()


def test_a_topic_of_another_plan_is_refused_and_nothing_is_written(world, plan, other_plan) -> None:
    before = stored_files()
    with pytest.raises(ValidationError) as caught:
        log(world, plan, topics=list(other_plan.topics.all()), files=[photo()])
    assert "topics" in caught.value.error_dict
    assert not Activity.objects.exists() and not Evidence.objects.exists()
    assert stored_files() == before
    assert not EntryDefaults.objects.exists()


def test_topics_without_a_plan_are_refused(world, plan) -> None:
    with pytest.raises(ValidationError):
        log(world, None, topics=list(plan.topics.all()))


def test_a_task_of_another_unit_is_refused(world, plan) -> None:
    task = Task.objects.create(plan=plan, unit=world.cell2, title="Tuyên truyền")
    with pytest.raises(ValidationError) as caught:
        log(world, plan, task=task)
    assert "task" in caught.value.error_dict


def test_a_task_of_the_unit_is_linked(world, plan) -> None:
    task = Task.objects.create(plan=plan, unit=world.cell1, title="Tuyên truyền")
    assert log(world, plan, task=task).task == task


def test_a_date_in_the_future_is_refused(world, plan) -> None:
    with pytest.raises(ValidationError) as caught:
        log(world, plan, date=TODAY() + dt.timedelta(days=1))
    assert "date" in caught.value.error_dict


def test_negative_counts_are_refused(world, plan) -> None:
    with pytest.raises(ValidationError) as caught:
        log(world, plan, listeners=-5)
    assert "listeners" in caught.value.error_dict


def test_an_unknown_form_or_audience_is_refused(world, plan) -> None:
    with pytest.raises(ValidationError) as caught:
        log(world, plan, channel="telepathy", audiences=["aliens"])
    assert {"channel", "audiences"} <= set(caught.value.error_dict)


def test_a_bad_file_among_good_ones_stops_everything(world, plan) -> None:
    before = stored_files()
    exe = SimpleUploadedFile("anh2.jpg", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError) as caught:
        log(world, plan, files=[photo(), exe], links=["https://lechan.vn"])
    assert "anh2.jpg" in caught.value.error_dict["files"][0].messages[0]
    assert not Activity.objects.exists() and stored_files() == before


def test_a_bad_link_stops_everything(world, plan) -> None:
    with pytest.raises(ValidationError) as caught:
        log(world, plan, links=["javascript:alert(1)"])
    assert "links" in caught.value.error_dict
    assert not Activity.objects.exists()


def test_a_failure_after_files_were_stored_removes_them_again(world, plan, monkeypatch) -> None:
    before = stored_files()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "remember_choices", broken)
    with pytest.raises(RuntimeError):
        log(world, plan, files=[photo()])
    assert not Activity.objects.exists() and not Evidence.objects.exists()
    assert stored_files() == before
    assert not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity)
    ).exists()


# ---------------------------------------------------------------- editing


def test_an_activity_is_changed_with_its_topics_and_audiences(world, plan) -> None:
    activity = log(world, plan)
    services.update_activity(
        actor=world.secretary,
        activity=activity,
        changes={"participants": 50, "topics": [], "audiences": ["youth"], "channel": "oral"},
        seen_updated_at=activity.updated_at,
    )
    activity.refresh_from_db()
    assert (activity.participants, activity.channel) == (50, "oral")
    assert not activity.topic_links.exists()
    assert list(activity.audiences.values_list("audience", flat=True)) == ["youth"]
    update = audit_of(Activity, activity.pk)[-1]
    assert update.action == "update" and update.before["participants"] == 35


def test_leaving_the_plan_drops_its_topics(world, plan) -> None:
    activity = log(world, plan)
    services.update_activity(actor=world.secretary, activity=activity, changes={"plan": None})
    assert not activity.topic_links.exists()


def test_a_stale_edit_is_refused(world, plan) -> None:
    activity = log(world, plan)
    seen = activity.updated_at
    services.update_activity(actor=world.coordinator, activity=activity, changes={"views": 3})
    with pytest.raises(StaleEdit):
        services.update_activity(
            actor=world.secretary, activity=activity, changes={"views": 9}, seen_updated_at=seen
        )
    activity.refresh_from_db()
    assert activity.views == 3


def test_the_edit_keeps_the_same_rules_as_logging(world, plan, other_plan) -> None:
    activity = log(world, plan)
    with pytest.raises(ValidationError):
        services.update_activity(
            actor=world.secretary,
            activity=activity,
            changes={"topics": list(other_plan.topics.all())},
        )
    with pytest.raises(ValidationError):
        services.update_activity(
            actor=world.secretary, activity=activity, changes={"unit": world.cell2}
        )
    assert activity.topic_links.get().topic.plan == plan


def test_another_cell_cannot_edit(world, plan) -> None:
    activity = log(world, plan)
    with pytest.raises(PermissionDenied):
        services.update_activity(actor=world.secretary2, activity=activity, changes={"views": 1})


def test_a_locked_activity_cannot_be_edited_deleted_or_given_evidence(world, plan) -> None:
    activity = log(world, plan, links=["https://lechan.vn/a"])
    services.lock_activities(actor=world.coordinator, unit=world.cell1, start=TODAY(), end=TODAY())
    activity.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_activity(actor=world.secretary, activity=activity, changes={"views": 1})
    with pytest.raises(ValidationError):
        services.delete_activity(actor=world.secretary, activity=activity)
    with pytest.raises(ValidationError):
        services.add_evidence(actor=world.secretary, activity=activity, url="https://x.vn")
    with pytest.raises(ValidationError):
        services.remove_evidence(actor=world.secretary, evidence=activity.evidence.get())
    activity.refresh_from_db()
    assert activity.views == 0 and activity.deleted_at is None and activity.evidence.count() == 1


# ---------------------------------------------------------------- delete and restore


def test_deleting_is_soft_and_can_be_undone(world, plan) -> None:
    activity = log(world, plan)
    services.delete_activity(actor=world.secretary, activity=activity)
    activity.refresh_from_db()
    assert activity.deleted_at is not None
    assert not Activity.objects.for_user(world.secretary).exists()
    assert not Activity.objects.for_user(world.admin).exists()
    services.restore_activity(actor=world.secretary, activity=activity)
    assert Activity.objects.for_user(world.secretary).get() == activity
    actions = [e.after["deleted_at"] is None for e in audit_of(Activity, activity.pk)[1:]]
    assert actions == [False, True]


def test_another_cell_cannot_delete(world, plan) -> None:
    activity = log(world, plan)
    with pytest.raises(PermissionDenied):
        services.delete_activity(actor=world.secretary2, activity=activity)


# ---------------------------------------------------------------- evidence


def test_evidence_is_added_and_removed_later(world, plan) -> None:
    activity = log(world, plan)
    photo_item = services.add_evidence(actor=world.secretary, activity=activity, upload=photo())
    link = services.add_evidence(actor=world.secretary, activity=activity, url="https://x.vn/a")
    assert (photo_item.kind, link.kind) == (EvidenceKind.PHOTO, EvidenceKind.LINK)
    services.remove_evidence(actor=world.secretary, evidence=link)
    assert list(activity.evidence.all()) == [photo_item]
    assert audit_of(Evidence, link.pk)[-1].action == "delete"


def test_evidence_needs_exactly_one_of_a_file_or_a_link(world, plan) -> None:
    activity = log(world, plan)
    with pytest.raises(ValidationError):
        services.add_evidence(actor=world.secretary, activity=activity)
    with pytest.raises(ValidationError):
        services.add_evidence(
            actor=world.secretary, activity=activity, upload=photo(), url="https://x.vn"
        )


def test_another_cell_cannot_add_evidence(world, plan) -> None:
    activity = log(world, plan)
    with pytest.raises(PermissionDenied):
        services.add_evidence(actor=world.secretary2, activity=activity, url="https://x.vn")


# ---------------------------------------------------------------- lock and unlock


def test_the_coordinator_locks_a_units_activities_of_a_period(world, plan) -> None:
    day = TODAY()
    inside = log(world, plan, date=day - dt.timedelta(days=3))
    outside = log(world, plan, date=day - dt.timedelta(days=40))
    other_cell = log(world, plan, actor=world.secretary2, unit=world.cell2, date=day)
    count = services.lock_activities(
        actor=world.coordinator,
        unit=world.cell1,
        start=day - dt.timedelta(days=30),
        end=day,
    )
    assert count == 1
    locked = dict(Activity.objects.values_list("pk", "locked_at"))
    assert locked[inside.pk] is not None
    assert locked[outside.pk] is None and locked[other_cell.pk] is None
    entry = audit_of(Activity, inside.pk)[-1]
    assert entry.actor == world.coordinator and entry.after["locked_at"]


def test_locking_twice_counts_only_the_newly_locked(world, plan) -> None:
    log(world, plan)
    args = {"actor": world.coordinator, "unit": world.cell1, "start": TODAY(), "end": TODAY()}
    assert services.lock_activities(**args) == 1
    assert services.lock_activities(**args) == 0


def test_a_secretary_cannot_lock(world, plan) -> None:
    log(world, plan)
    with pytest.raises(PermissionDenied):
        services.lock_activities(
            actor=world.secretary, unit=world.cell1, start=TODAY(), end=TODAY()
        )


def test_the_coordinator_unlocks_with_a_reason_and_it_is_audited(world, plan) -> None:
    activity = log(world, plan)
    services.lock_activities(actor=world.coordinator, unit=world.cell1, start=TODAY(), end=TODAY())
    services.unlock_activity(
        actor=world.coordinator, activity=activity, reason="Chi bộ nhập nhầm số người"
    )
    activity.refresh_from_db()
    assert activity.locked_at is None and activity.unlock_reason == "Chi bộ nhập nhầm số người"
    entry = audit_of(Activity, activity.pk)[-1]
    assert entry.actor == world.coordinator
    assert entry.before["locked_at"] and entry.after["locked_at"] is None
    assert entry.after["unlock_reason"] == "Chi bộ nhập nhầm số người"
    services.update_activity(actor=world.secretary, activity=activity, changes={"views": 4})


def test_unlocking_needs_a_reason(world, plan) -> None:
    activity = log(world, plan)
    services.lock_activities(actor=world.coordinator, unit=world.cell1, start=TODAY(), end=TODAY())
    with pytest.raises(ValidationError):
        services.unlock_activity(actor=world.coordinator, activity=activity, reason="  ")
    activity.refresh_from_db()
    assert activity.is_locked


def test_the_secretary_cannot_unlock_their_own_activity(world, plan) -> None:
    activity = log(world, plan)
    services.lock_activities(actor=world.coordinator, unit=world.cell1, start=TODAY(), end=TODAY())
    with pytest.raises(PermissionDenied):
        services.unlock_activity(actor=world.secretary, activity=activity, reason="cần sửa")


def test_an_administrator_may_do_everything(world, plan) -> None:
    activity = log(world, plan, actor=world.admin)
    services.lock_activities(actor=world.admin, unit=world.cell1, start=TODAY(), end=TODAY())
    services.unlock_activity(actor=world.admin, activity=activity, reason="kiểm tra")
    assert Membership.objects.filter(user=world.admin).count() == 0
