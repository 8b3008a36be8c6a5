from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from kehoach.accounts.models import Membership, Role
from kehoach.activities import notifications
from kehoach.activities.context_processors import notifications as badge
from kehoach.activities.models import DigestLog, Notification, Task, TaskStatus
from kehoach.core.testing import client_for, make_user
from kehoach.plans.models import Plan

TODAY = date(2026, 6, 10)


@pytest.fixture
def plan(world):
    return Plan.objects.create(unit=world.ward, title="Kế hoạch tuyên truyền Chỉ thị 58")


def task(plan, unit, due, title="Tuyên truyền Chỉ thị 58", **extra):
    return Task.objects.create(plan=plan, unit=unit, title=title, due_date=due, **extra)


def digest_titles(user, today=TODAY):
    digest = notifications.digest_for(user, today)
    return [t.title for t in digest.overdue], [t.title for t in digest.due_soon]


class TestDigestRules:
    def test_tasks_due_within_the_window_and_overdue_ones_are_listed(self, world, plan, settings):
        settings.DIGEST_DAYS_AHEAD = 3
        task(plan, world.cell1, TODAY - timedelta(days=1), "quá hạn")
        task(plan, world.cell1, TODAY, "hôm nay")
        task(plan, world.cell1, TODAY + timedelta(days=3), "trong ba ngày")
        task(plan, world.cell1, TODAY + timedelta(days=4), "còn xa")
        task(plan, world.cell1, None, "không có hạn")
        overdue, due_soon = digest_titles(world.secretary)
        assert overdue == ["quá hạn"]
        assert due_soon == ["hôm nay", "trong ba ngày"]

    def test_the_window_follows_the_setting(self, world, plan, settings):
        settings.DIGEST_DAYS_AHEAD = 5
        task(plan, world.cell1, TODAY + timedelta(days=5), "năm ngày")
        assert digest_titles(world.secretary)[1] == ["năm ngày"]

    def test_done_and_cancelled_tasks_are_left_out(self, world, plan):
        task(plan, world.cell1, TODAY, "xong", status=TaskStatus.DONE, done_at=timezone.now())
        task(plan, world.cell1, TODAY - timedelta(days=3), "hủy", status=TaskStatus.CANCELLED)
        assert notifications.digest_for(world.secretary, TODAY).tasks == []

    def test_a_secretary_is_reminded_of_the_own_cell_only(self, world, plan):
        task(plan, world.cell1, TODAY, "chi bộ 1")
        task(plan, world.cell2, TODAY, "chi bộ 2")
        task(plan, world.other_cell, TODAY, "phường khác")
        assert digest_titles(world.secretary)[1] == ["chi bộ 1"]
        assert digest_titles(world.outsider)[1] == ["phường khác"]

    def test_the_coordinator_is_reminded_of_the_whole_subtree(self, world, plan):
        task(plan, world.cell1, TODAY, "chi bộ 1")
        task(plan, world.committee, TODAY + timedelta(days=1), "ủy ban")
        task(plan, world.other_cell, TODAY, "phường khác")
        assert digest_titles(world.coordinator)[1] == ["chi bộ 1", "ủy ban"]

    def test_a_head_of_a_unit_above_is_reminded_of_that_unit_only(self, world, plan):
        head = make_user("bithu", unit=world.ward, role=Role.HEAD)
        task(plan, world.ward, TODAY, "đảng ủy")
        task(plan, world.cell1, TODAY, "chi bộ 1")
        assert digest_titles(head)[1] == ["đảng ủy"]

    def test_viewers_get_no_digest(self, world, plan):
        viewer = make_user("xem", unit=world.cell1, role=Role.VIEWER, email="xem@example.vn")
        task(plan, world.cell1, TODAY)
        assert not notifications.digest_for(viewer, TODAY)


class TestSendDigests:
    def test_each_person_with_something_due_gets_a_notification_and_an_email(self, world, plan):
        world.secretary.email = "chibo1@example.vn"
        world.secretary.save()
        task(plan, world.cell1, TODAY + timedelta(days=1), "Báo cáo kết quả tuyên truyền")
        sent = notifications.send_digests(TODAY)
        # The secretary of cell 1 and the coordinator above it.
        assert sent == 2
        assert set(Notification.objects.values_list("user", flat=True)) == {
            world.secretary.pk,
            world.coordinator.pk,
        }
        note = Notification.objects.get(user=world.secretary)
        assert "Báo cáo kết quả tuyên truyền" in note.text and "11/06/2026" in note.text
        assert note.link == "/viec/"
        assert [m.to for m in mail.outbox] == [["chibo1@example.vn"]]
        assert DigestLog.objects.get(user=world.secretary, day=TODAY).emailed

    def test_a_person_without_an_email_address_gets_the_notification_only(self, world, plan):
        task(plan, world.cell1, TODAY)
        assert notifications.send_digests(TODAY) == 2
        assert mail.outbox == []
        assert Notification.objects.filter(user=world.secretary).count() == 1
        assert not DigestLog.objects.get(user=world.secretary).emailed

    def test_a_second_run_the_same_day_sends_nothing(self, world, plan):
        world.coordinator.email = "xdd@example.vn"
        world.coordinator.save()
        task(plan, world.cell1, TODAY)
        assert notifications.send_digests(TODAY) == 2
        task(plan, world.cell2, TODAY, "việc mới trong ngày")
        assert notifications.send_digests(TODAY) == 1  # only the secretary of cell 2 is new
        assert Notification.objects.filter(user=world.coordinator).count() == 1
        assert len(mail.outbox) == 1
        assert DigestLog.objects.filter(day=TODAY).count() == 3

    def test_the_next_day_brings_a_new_digest(self, world, plan):
        task(plan, world.cell1, TODAY - timedelta(days=1))
        notifications.send_digests(TODAY)
        assert notifications.send_digests(TODAY + timedelta(days=1)) == 2
        assert Notification.objects.filter(user=world.secretary).count() == 2

    def test_nothing_due_means_no_digest(self, world, plan):
        task(plan, world.cell1, TODAY + timedelta(days=30))
        assert notifications.send_digests(TODAY) == 0
        assert not Notification.objects.exists() and not DigestLog.objects.exists()

    def test_inactive_people_and_retired_units_are_skipped(self, world, plan):
        world.secretary.is_active = False
        world.secretary.save()
        world.cell2.is_active = False
        world.cell2.save()
        task(plan, world.cell2, TODAY)
        assert notifications.send_digests(TODAY) == 0

    def test_a_digest_already_logged_by_a_concurrent_run_is_not_sent_again(
        self, world, plan, monkeypatch
    ):
        world.secretary.email = "chibo1@example.vn"
        world.secretary.save()
        task(plan, world.cell1, TODAY)
        digests = [d for d in notifications.build_digests(TODAY) if d.user == world.secretary]
        DigestLog.objects.create(user=world.secretary, day=TODAY)
        monkeypatch.setattr(notifications, "build_digests", lambda today: digests)
        assert notifications.send_digests(TODAY) == 0
        assert not Notification.objects.exists()
        assert mail.outbox == []

    def test_a_failing_mail_server_keeps_the_notification_and_the_promise(
        self, world, plan, monkeypatch
    ):
        import smtplib

        world.secretary.email = "chibo1@example.vn"
        world.secretary.save()
        task(plan, world.cell1, TODAY)

        def refuse(self, *args, **kwargs):
            raise smtplib.SMTPServerDisconnected("down")

        monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        assert notifications.send_digests(TODAY) == 2
        log = DigestLog.objects.get(user=world.secretary)
        assert not log.emailed
        assert notifications.send_digests(TODAY) == 0

    def test_a_long_digest_lists_the_first_tasks_and_counts_the_rest(self, world, plan):
        for i in range(12):
            task(plan, world.cell1, TODAY, f"việc {i:02d}")
        notifications.send_digests(TODAY)
        text = Notification.objects.get(user=world.secretary).text
        assert "việc 09" in text and "việc 10" not in text
        assert "2" in text.splitlines()[-1]


class TestOverdueSweep:
    def test_the_units_people_are_told_once_when_a_task_becomes_overdue(self, world, plan):
        officer = make_user("canbo", unit=world.cell1, role=Role.OFFICER)
        overdue = task(plan, world.cell1, TODAY - timedelta(days=1), "Nộp báo cáo tháng")
        task(plan, world.cell1, TODAY, "hạn hôm nay")
        assert notifications.sweep_overdue(TODAY) == 2
        notes = Notification.objects.all()
        assert {n.user_id for n in notes} == {world.secretary.pk, officer.pk}
        assert all(n.link == f"/viec/{overdue.pk}/" for n in notes)
        assert all("Nộp báo cáo tháng" in n.text for n in notes)
        # The next day only "hạn hôm nay" is new, for the same two people.
        assert notifications.sweep_overdue(TODAY + timedelta(days=1)) == 2
        assert notifications.sweep_overdue(TODAY + timedelta(days=2)) == 0

    def test_done_tasks_and_other_units_are_not_announced(self, world, plan):
        task(plan, world.cell1, TODAY - timedelta(days=2), status=TaskStatus.DONE)
        task(plan, world.cell2, TODAY - timedelta(days=2))
        notifications.sweep_overdue(TODAY)
        assert list(Notification.objects.values_list("user", flat=True)) == [world.secretary2.pk]


class TestNotificationCentre:
    def _note(self, user, text="Có 1 việc quá hạn.", link="/viec/"):
        return Notification.objects.create(user=user, text=text, link=link)

    def test_anonymous_is_sent_to_sign_in(self, world):
        response = client_for(None).get("/thong-bao/")
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]

    def test_the_list_shows_only_the_persons_own_notifications_newest_first(self, world):
        older = self._note(world.secretary, "thông báo cũ")
        newer = self._note(world.secretary, "thông báo mới")
        Notification.objects.filter(pk=older.pk).update(
            created_at=timezone.now() - timedelta(days=1)
        )
        self._note(world.secretary2, "của người khác")
        html = client_for(world.secretary).get("/thong-bao/").content.decode()
        assert html.index(f'id="notification-{newer.pk}"') < html.index(
            f'id="notification-{older.pk}"'
        )
        assert "của người khác" not in html

    def test_marking_one_read(self, world):
        note = self._note(world.secretary)
        response = client_for(world.secretary).post(f"/thong-bao/{note.pk}/da-doc/")
        assert response.status_code == 302
        note.refresh_from_db()
        assert note.read_at is not None

    def test_marking_read_needs_a_post(self, world):
        note = self._note(world.secretary)
        assert client_for(world.secretary).get(f"/thong-bao/{note.pk}/da-doc/").status_code == 405

    def test_another_persons_notification_is_not_found(self, world):
        note = self._note(world.secretary2)
        response = client_for(world.secretary).post(f"/thong-bao/{note.pk}/da-doc/")
        assert response.status_code == 404
        note.refresh_from_db()
        assert note.read_at is None

    def test_opening_marks_read_and_follows_the_link(self, world):
        note = self._note(world.secretary, link="/viec/5/")
        response = client_for(world.secretary).post(f"/thong-bao/{note.pk}/da-doc/", {"open": "1"})
        assert response["Location"] == "/viec/5/"

    def test_a_link_to_another_site_is_not_followed(self, world):
        note = self._note(world.secretary, link="https://evil.example/")
        response = client_for(world.secretary).post(f"/thong-bao/{note.pk}/da-doc/", {"open": "1"})
        assert response["Location"] == "/thong-bao/"

    def test_htmx_gets_the_updated_item(self, world):
        note = self._note(world.secretary)
        response = client_for(world.secretary).post(
            f"/thong-bao/{note.pk}/da-doc/", headers={"HX-Request": "true"}
        )
        html = response.content.decode()
        assert response.status_code == 200 and html.strip().startswith("<li")
        assert "unread" not in html.split(">", 1)[0]

    def test_marking_all_read_touches_only_own_notifications(self, world):
        mine = [self._note(world.secretary) for _ in range(3)]
        theirs = self._note(world.secretary2)
        client_for(world.secretary).post("/thong-bao/da-doc-het/")
        assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).count() == 0
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_the_list_uses_the_same_number_of_queries_for_3_or_60_notifications(
        self, world, django_assert_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(3):
            self._note(world.secretary)
        client = client_for(world.secretary)
        with CaptureQueriesContext(connection) as small:
            client.get("/thong-bao/")
        Notification.objects.bulk_create(
            Notification(user=world.secretary, text=f"thông báo {i}") for i in range(57)
        )
        with django_assert_num_queries(len(small)):
            response = client.get("/thong-bao/")
        assert response.content.decode().count('class="card notification') == 30


class TestBadge:
    def _request(self, user):
        request = RequestFactory().get("/")
        request.user = user
        return request

    def test_anonymous_visitors_cost_no_query(self, db, django_assert_num_queries):
        from django.contrib.auth.models import AnonymousUser

        with django_assert_num_queries(0):
            assert badge(self._request(AnonymousUser()))["unread_notifications"] == 0

    def test_the_unread_count_is_one_query_made_only_when_shown(
        self, world, django_assert_num_queries
    ):
        Notification.objects.create(user=world.secretary, text="a")
        Notification.objects.create(user=world.secretary, text="b", read_at=timezone.now())
        Notification.objects.create(user=world.secretary2, text="c")
        with django_assert_num_queries(0):
            context = badge(self._request(world.secretary))
        with django_assert_num_queries(1):
            assert int(context["unread_notifications"]) == 1
            assert str(context["unread_notifications"]) == "1"
            assert context["unread_notifications"]
            assert context["unread_notifications"] > 0


class TestScheduledJobs:
    @pytest.fixture
    def database_queue(self, settings):
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        }

    def _queued(self):
        from django_tasks_db.models import DBTaskResult

        return list(DBTaskResult.objects.filter(status="READY").order_by("task_path"))

    def test_the_next_run_is_the_next_digest_hour_local_time(self, settings):
        from kehoach.activities.tasks import next_run

        settings.DIGEST_HOUR = 7
        tz = timezone.get_current_timezone()
        early = datetime(2026, 6, 10, 6, 30, tzinfo=tz)
        late = datetime(2026, 6, 10, 7, 0, tzinfo=tz)
        assert timezone.localtime(next_run(early)) == datetime(2026, 6, 10, 7, 0, tzinfo=tz)
        assert timezone.localtime(next_run(late)) == datetime(2026, 6, 11, 7, 0, tzinfo=tz)

    def test_schedule_jobs_queues_each_job_once_however_often_it_runs(self, db, database_queue):
        call_command("schedule_jobs", stdout=StringIO())
        call_command("schedule_jobs", stdout=StringIO())
        queued = self._queued()
        assert sorted(q.task_path for q in queued) == [
            "kehoach.activities.tasks.daily_digest",
            "kehoach.activities.tasks.overdue_sweep",
            "kehoach.content.tasks.publish_scheduled",
            "kehoach.core.tasks.requeue_stale_tasks",
            "kehoach.feedback.tasks.erase_contacts",
            "kehoach.feedback.tasks.escalate_concerns",
        ]
        assert all(q.run_after > timezone.now() for q in queued)

    def test_schedule_jobs_explains_when_the_backend_cannot_wait(self, db):
        out = StringIO()
        call_command("schedule_jobs", stdout=out)
        assert "TASK_BACKEND=database" in out.getvalue()

    def test_the_daily_digest_sends_and_queues_its_next_run(self, world, plan, database_queue):
        from kehoach.activities.tasks import daily_digest

        task(plan, world.cell1, timezone.localdate())
        assert daily_digest.call() == 2
        queued = self._queued()
        assert [q.task_path for q in queued] == ["kehoach.activities.tasks.daily_digest"]
        assert daily_digest.call() == 0
        assert len(self._queued()) == 1

    def test_the_overdue_sweep_runs_and_queues_its_next_run(self, world, plan, database_queue):
        from kehoach.activities.tasks import overdue_sweep

        task(plan, world.cell1, timezone.localdate() - timedelta(days=1))
        assert overdue_sweep.call() == 1
        assert [q.task_path for q in self._queued()] == ["kehoach.activities.tasks.overdue_sweep"]

    def test_the_immediate_backend_runs_a_job_once_without_queueing_again(self, world, plan):
        from kehoach.activities.tasks import daily_digest

        task(plan, world.cell1, timezone.localdate())
        result = daily_digest.enqueue()
        assert result.return_value == 2
        assert self._queued() == []

    # The worker closes database connections between tasks, which would end the test's own
    # transaction on PostgreSQL: this test commits for real instead.
    @pytest.mark.django_db(transaction=True)
    def test_the_worker_runs_a_queued_digest(self, world, plan, database_queue):
        from django_tasks_db.models import DBTaskResult

        from kehoach.activities.tasks import daily_digest

        task(plan, world.cell1, timezone.localdate())
        daily_digest.enqueue()  # due now
        call_command("db_worker", batch=True, interval=0, stdout=StringIO(), stderr=StringIO())
        assert DBTaskResult.objects.get(status="SUCCESSFUL").return_value == 2
        assert Membership.objects.exists()
        assert [q.task_path for q in self._queued()] == ["kehoach.activities.tasks.daily_digest"]


def test_a_missing_unit_report_reaches_the_heads_digest(world) -> None:
    from datetime import timedelta

    from django.core import mail

    from kehoach.activities import notifications
    from kehoach.reports.tests.builders import reporting_world

    setup = reporting_world(world)
    after_due = setup.period.due_date + timedelta(days=1)
    world.secretary.email = "chibo1@example.vn"
    world.secretary.save()
    sent = notifications.send_digests(after_due)
    assert sent >= 1
    text = world.secretary.notifications.get().text
    assert setup.period.label in text and "Chi bộ Tổ dân phố số 1" in text
    assert any(setup.period.label in m.body for m in mail.outbox if "chibo1" in m.to[0])
    # The coordinator, who heads no cell, is not told about the cells' reports this way.
    assert not any(setup.period.label in n.text for n in world.coordinator.notifications.all())


def test_hot_and_overdue_concerns_reach_the_coordinator_and_leader_digests(world) -> None:
    from django.utils import timezone as tz

    from kehoach.accounts.models import Role
    from kehoach.activities import notifications
    from kehoach.core.testing import make_user
    from kehoach.feedback.models import Urgency
    from kehoach.feedback.tests.test_concern_figures import concern

    leader = make_user("thuongvu", unit=world.ward, role=Role.LEADER)
    now = tz.now()
    hot = concern(world, created=now, urgency=Urgency.HOT_SPOT)
    calm = concern(world, created=now)  # neither hot nor overdue: no line
    today = tz.localdate()
    assert notifications.send_digests(today) >= 2
    for person in (world.coordinator, leader):
        text = person.notifications.get().text
        assert hot.code in text and calm.code not in text
    assert not world.outsider.notifications.filter(text__contains=hot.code).exists()
