"""The content workflow by channel and persona, and the activity recorded on publishing."""

import io
import wave
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from kehoach.accounts.models import Role
from kehoach.activities.models import Activity
from kehoach.content import services
from kehoach.content.models import ContentKind, ContentStatus, MediaKind, Outlet
from kehoach.core.concurrency import StaleEdit
from kehoach.core.testing import make_user
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import stage


@pytest.fixture
def plan(world):
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


@pytest.fixture
def leader(world):
    return make_user("thuongvu", unit=world.ward, role=Role.LEADER)


def draft(world, *, outlets, kind=ContentKind.NEWS, topics=(), title="Tin hoạt động chi bộ"):
    return services.create_item(
        actor=world.secretary,
        unit=world.cell1,
        kind=kind,
        title=title,
        summary="Tóm tắt",
        body="Nội dung",
        outlets=outlets,
        topics=topics,
    )


def submitted(world, **kwargs):
    item = draft(world, **kwargs)
    return services.submit(actor=world.secretary, item=item)


def wav_upload(seconds: float, name="ban-tin.wav") -> SimpleUploadedFile:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x01\x00" * int(8000 * seconds))
    return SimpleUploadedFile(name, out.getvalue(), content_type="audio/wav")


def png_upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return SimpleUploadedFile("anh.png", out.getvalue(), content_type="image/png")


class TestDrafting:
    def test_a_draft_gets_its_channels_topics_plan_and_a_folded_unique_slug(self, world, plan):
        topic = plan.topics.first()
        first = draft(world, outlets=[Outlet.PORTAL, Outlet.SOCIAL], topics=[topic])
        second = draft(world, outlets=[Outlet.SOCIAL])
        assert first.status == ContentStatus.DRAFT
        assert services.outlets_of(first) == [Outlet.PORTAL, Outlet.SOCIAL]
        assert first.plan == plan
        assert first.slug == "tin-hoat-dong-chi-bo"
        assert second.slug == "tin-hoat-dong-chi-bo-2"

    def test_a_draft_without_a_channel_or_title_is_refused(self, world):
        with pytest.raises(ValidationError) as exc:
            services.create_item(
                actor=world.secretary,
                unit=world.cell1,
                kind=ContentKind.NEWS,
                title=" ",
                outlets=[],
            )
        assert set(exc.value.error_dict) == {"title", "outlets"}

    def test_an_outsider_cannot_draft_for_another_wards_cell(self, world):
        with pytest.raises(PermissionDenied):
            services.create_item(
                actor=world.outsider,
                unit=world.cell1,
                kind=ContentKind.NEWS,
                title="X",
                outlets=[Outlet.SOCIAL],
            )

    def test_an_edit_based_on_an_old_version_is_refused(self, world):
        item = draft(world, outlets=[Outlet.SOCIAL])
        values = dict(kind=ContentKind.NEWS, title="Mới", outlets=[Outlet.SOCIAL])
        services.update_item(actor=world.secretary, item=item, version=1, **values)
        with pytest.raises(StaleEdit):
            services.update_item(actor=world.secretary, item=item, version=1, **values)

    def test_a_submitted_item_can_no_longer_be_edited(self, world):
        item = submitted(world, outlets=[Outlet.SOCIAL])
        with pytest.raises(ValidationError):
            services.update_item(
                actor=world.secretary,
                item=item,
                kind=ContentKind.NEWS,
                title="Mới",
                outlets=[Outlet.SOCIAL],
            )


class TestMedia:
    def test_an_image_is_stored_re_encoded_with_its_size(self, world):
        item = draft(world, outlets=[Outlet.SOCIAL])
        media = services.add_media(actor=world.secretary, item=item, upload=png_upload())
        assert media.kind == MediaKind.IMAGE
        assert (media.width, media.height) == (40, 30)

    def test_audio_is_recognised_by_its_content_with_its_duration(self, world):
        item = draft(world, outlets=[Outlet.LOUDSPEAKER], kind=ContentKind.BULLETIN)
        media = services.add_media(actor=world.secretary, item=item, upload=wav_upload(2))
        assert media.kind == MediaKind.AUDIO
        assert media.duration_seconds == pytest.approx(2.0)

    def test_a_document_is_not_accepted_as_media(self, world):
        item = draft(world, outlets=[Outlet.SOCIAL])
        pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
        with pytest.raises(ValidationError):
            services.add_media(actor=world.secretary, item=item, upload=pdf)
        assert item.media.count() == 0


class TestReview:
    def test_the_head_approves_the_cells_own_social_only_item(self, world):
        item = submitted(world, outlets=[Outlet.SOCIAL])
        assert services.reviewer_action(item) == "content.review_unit"
        services.approve(actor=world.secretary, item=item)
        item.refresh_from_db()
        assert item.status == ContentStatus.APPROVED
        assert item.reviewed_by == world.secretary

    def test_the_head_cannot_approve_an_item_for_the_ward_portal(self, world):
        item = submitted(world, outlets=[Outlet.SOCIAL, Outlet.PORTAL])
        with pytest.raises(PermissionDenied):
            services.approve(actor=world.secretary, item=item)
        item.refresh_from_db()
        assert item.status == ContentStatus.SUBMITTED

    def test_the_coordinator_approves_a_portal_item(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        services.approve(actor=world.coordinator, item=item)
        assert item.status == ContentStatus.APPROVED

    def test_a_leader_approves_a_loudspeaker_bulletin(self, world, leader):
        item = submitted(world, outlets=[Outlet.LOUDSPEAKER], kind=ContentKind.BULLETIN)
        services.approve(actor=leader, item=item)
        item.refresh_from_db()
        assert item.status == ContentStatus.APPROVED

    def test_another_cells_head_cannot_approve_a_social_item(self, world):
        item = submitted(world, outlets=[Outlet.SOCIAL])
        with pytest.raises(PermissionDenied):
            services.approve(actor=world.secretary2, item=item)

    def test_requesting_changes_without_a_comment_is_refused(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        with pytest.raises(ValidationError):
            services.request_changes(actor=world.coordinator, item=item, comment="  ")
        item.refresh_from_db()
        assert item.status == ContentStatus.SUBMITTED

    def test_requested_changes_go_back_to_the_author_who_can_resubmit(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        services.request_changes(actor=world.coordinator, item=item, comment="Thêm ảnh")
        assert item.status == ContentStatus.CHANGES_REQUESTED
        assert item.review_comment == "Thêm ảnh"
        services.submit(actor=world.secretary, item=item)
        assert item.status == ContentStatus.SUBMITTED

    def test_a_draft_cannot_be_approved_before_it_is_submitted(self, world):
        item = draft(world, outlets=[Outlet.PORTAL])
        with pytest.raises(ValidationError):
            services.approve(actor=world.coordinator, item=item)


class TestPublishing:
    def approved(self, world, **kwargs):
        item = submitted(world, **kwargs)
        reviewer = world.secretary if kwargs["outlets"] == [Outlet.SOCIAL] else world.coordinator
        return services.approve(actor=reviewer, item=item)

    def test_publishing_records_the_matching_activity_once(self, world, plan):
        topic = plan.topics.first()
        item = self.approved(world, outlets=[Outlet.PORTAL, Outlet.SOCIAL], topics=[topic])
        services.publish(actor=world.coordinator, item=item)
        item.refresh_from_db()
        assert item.status == ContentStatus.PUBLISHED
        assert item.published_at is not None
        activity = Activity.objects.get()
        assert item.activity == activity
        assert (activity.unit, activity.channel, activity.news_items) == (
            world.cell1,
            "portal",
            1,
        )
        assert [link.topic for link in activity.topic_links.all()] == [topic]

    def test_publishing_twice_is_refused_and_adds_no_second_activity(self, world):
        item = self.approved(world, outlets=[Outlet.SOCIAL])
        services.publish(actor=world.secretary, item=item)
        with pytest.raises(ValidationError):
            services.publish(actor=world.secretary, item=item)
        assert Activity.objects.count() == 1

    def test_withdrawing_keeps_the_activity_and_it_cannot_be_republished(self, world):
        item = self.approved(world, outlets=[Outlet.PORTAL], kind=ContentKind.ARTICLE)
        services.publish(actor=world.coordinator, item=item)
        services.withdraw(actor=world.coordinator, item=item)
        item.refresh_from_db()
        assert item.status == ContentStatus.WITHDRAWN
        assert item.withdrawn_at is not None
        assert Activity.objects.get().articles == 1
        assert item.activity_id is not None
        with pytest.raises(ValidationError):
            services.publish(actor=world.coordinator, item=item)
        assert Activity.objects.count() == 1

    def test_a_head_cannot_publish_a_portal_item(self, world):
        item = self.approved(world, outlets=[Outlet.PORTAL])
        with pytest.raises(PermissionDenied):
            services.publish(actor=world.secretary, item=item)
        assert Activity.objects.count() == 0

    def test_a_published_bulletin_counts_a_broadcast_and_its_minutes(self, world):
        item = draft(world, outlets=[Outlet.LOUDSPEAKER], kind=ContentKind.BULLETIN)
        services.add_media(actor=world.secretary, item=item, upload=wav_upload(120))
        services.submit(actor=world.secretary, item=item)
        services.approve(actor=world.coordinator, item=item)
        services.publish(actor=world.coordinator, item=item)
        activity = Activity.objects.get()
        assert (activity.channel, activity.broadcasts, activity.broadcast_minutes) == (
            "loudspeaker",
            1,
            2,
        )

    def test_scheduling_sets_the_time_and_a_scheduled_item_can_be_published(self, world):
        item = self.approved(world, outlets=[Outlet.PORTAL])
        when = timezone.now() + timedelta(days=2)
        services.schedule(actor=world.coordinator, item=item, when=when)
        item.refresh_from_db()
        assert (item.status, item.scheduled_for) == (ContentStatus.SCHEDULED, when)
        services.publish(actor=world.coordinator, item=item)
        assert item.status == ContentStatus.PUBLISHED


class TestAllowedTransitions:
    def test_the_buttons_follow_status_and_persona(self, world):
        item = draft(world, outlets=[Outlet.PORTAL])
        assert services.allowed_transitions(world.secretary, item) == ["submit"]
        services.submit(actor=world.secretary, item=item)
        assert services.allowed_transitions(world.secretary, item) == []
        assert services.allowed_transitions(world.coordinator, item) == [
            "approve",
            "request_changes",
        ]


def test_scheduled_items_publish_themselves_when_their_time_comes(world, plan) -> None:
    from datetime import timedelta

    from django.utils import timezone

    due = submitted(world, outlets=["portal"], title="Tin đến giờ đăng")
    later = submitted(world, outlets=["portal"], title="Tin đăng tuần sau")
    for item, when in ((due, timedelta(minutes=-1)), (later, timedelta(days=7))):
        services.approve(actor=world.coordinator, item=item)
        services.schedule(actor=world.coordinator, item=item, when=timezone.now() + when)
    assert services.publish_due() == 1
    assert services.publish_due() == 0  # nothing twice
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == "published" and due.activity is not None
    assert later.status == "scheduled" and later.activity is None
