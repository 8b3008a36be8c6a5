"""Content pages: list, awaiting my review, editor, detail, transitions, calendar, gaps."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kehoach.activities.models import Activity
from kehoach.content import services
from kehoach.content.models import ContentItem, ContentKind, ContentStatus, Outlet
from kehoach.core.testing import ScopedViewChecks, client_for
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import stage

# Session, user, memberships, filter units, count, page of items, channels, topics, savepoint.
QUERIES_ON_LIST = 9


def draft(world, *, outlets=(Outlet.SOCIAL,), title="Tin chi bộ", unit=None, actor=None):
    return services.create_item(
        actor=actor or world.secretary,
        unit=unit or world.cell1,
        kind=ContentKind.NEWS,
        title=title,
        outlets=list(outlets),
    )


def submitted(world, **kwargs):
    item = draft(world, **kwargs)
    return services.submit(actor=kwargs.get("actor") or world.secretary, item=item)


def published(world, *, outlets=(Outlet.PORTAL,), title="Tin đã đăng"):
    item = submitted(world, outlets=outlets, title=title)
    services.approve(actor=world.coordinator, item=item)
    return services.publish(actor=world.coordinator, item=item)


class TestDetailScope(ScopedViewChecks):
    def url(self, world):
        return reverse("content:detail", args=[draft(world).pk])


class TestEditScope(ScopedViewChecks):
    def url(self, world):
        return reverse("content:edit", args=[draft(world).pk])


class TestList:
    def test_the_list_shows_only_items_in_scope(self, world):
        own = draft(world, title="Của chi bộ 1")
        other = draft(world, title="Ngoài", unit=world.other_cell, actor=world.outsider)
        response = client_for(world.secretary).get(reverse("content:list"))
        assert response.status_code == 200
        assert f'id="item-{own.pk}"' in response.content.decode()
        assert f'id="item-{other.pk}"' not in response.content.decode()

    def test_the_list_filters_by_status_kind_channel_and_unit(self, world):
        social = draft(world, outlets=[Outlet.SOCIAL], title="A")
        portal = submitted(world, outlets=[Outlet.PORTAL], title="B")
        client = client_for(world.coordinator)
        page = client.get(reverse("content:list"), {"outlet": "portal"}).content.decode()
        assert f'id="item-{portal.pk}"' in page and f'id="item-{social.pk}"' not in page
        page = client.get(reverse("content:list"), {"status": "draft"}).content.decode()
        assert f'id="item-{social.pk}"' in page and f'id="item-{portal.pk}"' not in page
        page = client.get(
            reverse("content:list"), {"unit": world.cell2.pk, "kind": "news"}
        ).content.decode()
        assert 'id="no-content"' in page

    @pytest.mark.parametrize("count", [1, 12])
    def test_the_list_takes_the_same_number_of_queries_for_few_and_many_items(
        self, world, count, django_assert_num_queries
    ):
        for n in range(count):
            draft(world, outlets=[Outlet.SOCIAL, Outlet.PORTAL], title=f"Tin {n}")
        client = client_for(world.coordinator)
        client.get(reverse("content:list"))  # warm the session and caches
        with django_assert_num_queries(QUERIES_ON_LIST):
            response = client.get(reverse("content:list"))
        assert response.status_code == 200


class TestReviewQueue:
    def test_a_head_sees_social_items_of_the_cell_but_not_portal_items(self, world):
        social = submitted(world, outlets=[Outlet.SOCIAL], title="Mạng xã hội")
        portal = submitted(world, outlets=[Outlet.PORTAL], title="Cổng")
        page = client_for(world.secretary).get(reverse("content:review_queue")).content.decode()
        assert f'id="item-{social.pk}"' in page
        assert f'id="item-{portal.pk}"' not in page

    def test_the_coordinator_sees_the_oldest_submission_first_with_its_waiting_time(self, world):
        newer = submitted(world, outlets=[Outlet.PORTAL], title="Mới")
        older = submitted(world, outlets=[Outlet.PORTAL], title="Cũ")
        ContentItem.objects.filter(pk=older.pk).update(
            submitted_at=timezone.now() - timedelta(days=3)
        )
        response = client_for(world.coordinator).get(reverse("content:review_queue"))
        page = response.content.decode()
        assert page.index(f'id="item-{older.pk}"') < page.index(f'id="item-{newer.pk}"')
        assert [item.pk for item, _ in response.context["rows"]] == [older.pk, newer.pk]
        assert response.context["rows"][0][1] >= timedelta(days=3)

    def test_drafts_are_not_awaiting_review(self, world):
        item = draft(world, outlets=[Outlet.PORTAL])
        page = client_for(world.coordinator).get(reverse("content:review_queue")).content.decode()
        assert f'id="item-{item.pk}"' not in page


class TestEditor:
    def test_a_secretary_drafts_an_item_with_channels_and_topics(self, world):
        plan = plan_services.save_import(
            actor=world.coordinator, staged=stage(world.ward, world.coordinator)
        )
        topic = plan.topics.first()
        response = client_for(world.secretary).post(
            reverse("content:create"),
            {
                "unit": world.cell1.pk,
                "kind": "news",
                "title": "Ra quân tuyên truyền",
                "summary": "Tóm tắt",
                "body": "Nội dung",
                "outlets": ["social", "portal"],
                "topics": [topic.pk],
                "hashtags": "#LeChan",
            },
        )
        item = ContentItem.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("content:detail", args=[item.pk])
        assert services.outlets_of(item) == ["portal", "social"]
        assert list(item.topic_links.values_list("topic_id", flat=True)) == [topic.pk]

    def test_a_draft_without_channels_is_shown_again_with_errors(self, world):
        response = client_for(world.secretary).post(
            reverse("content:create"), {"unit": world.cell1.pk, "kind": "news", "title": "X"}
        )
        assert response.status_code == 200
        assert "outlets" in response.context["form"].errors
        assert not ContentItem.objects.exists()

    def test_editing_a_draft_saves_the_changes(self, world):
        item = draft(world)
        response = client_for(world.secretary).post(
            reverse("content:edit", args=[item.pk]),
            {"kind": "article", "title": "Đã sửa", "outlets": ["social"], "version": 1},
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.title, item.kind, item.version) == ("Đã sửa", "article", 2)


class TestTransitions:
    def url(self, item, name):
        return reverse("content:transition", args=[item.pk, name])

    def test_the_head_approves_the_cells_social_item_from_its_page(self, world):
        item = submitted(world, outlets=[Outlet.SOCIAL])
        page = client_for(world.secretary).get(reverse("content:detail", args=[item.pk]))
        assert 'id="do-approve"' in page.content.decode()
        response = client_for(world.secretary).post(self.url(item, "approve"))
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == ContentStatus.APPROVED

    def test_the_head_is_refused_approving_a_portal_item(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        page = client_for(world.secretary).get(reverse("content:detail", args=[item.pk]))
        assert 'id="do-approve"' not in page.content.decode()
        assert client_for(world.secretary).post(self.url(item, "approve")).status_code == 403
        item.refresh_from_db()
        assert item.status == ContentStatus.SUBMITTED

    def test_requesting_changes_without_a_comment_changes_nothing(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        client_for(world.coordinator).post(self.url(item, "request_changes"), {"comment": ""})
        item.refresh_from_db()
        assert item.status == ContentStatus.SUBMITTED

    def test_another_wards_person_gets_not_found_for_a_transition(self, world):
        item = submitted(world, outlets=[Outlet.SOCIAL])
        assert client_for(world.outsider).post(self.url(item, "approve")).status_code == 404

    def test_an_unknown_transition_is_not_found(self, world):
        item = draft(world)
        assert client_for(world.secretary).post(self.url(item, "explode")).status_code == 404

    def test_publishing_from_the_page_records_one_activity(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        services.approve(actor=world.coordinator, item=item)
        client = client_for(world.coordinator)
        client.post(self.url(item, "publish"))
        client.post(self.url(item, "publish"))
        item.refresh_from_db()
        assert item.status == ContentStatus.PUBLISHED
        assert Activity.objects.count() == 1

    def test_scheduling_from_the_page_sets_the_time(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        services.approve(actor=world.coordinator, item=item)
        client_for(world.coordinator).post(self.url(item, "schedule"), {"when": "2030-05-01T07:30"})
        item.refresh_from_db()
        assert item.status == ContentStatus.SCHEDULED
        assert timezone.localtime(item.scheduled_for).strftime("%d/%m/%Y %H:%M") == (
            "01/05/2030 07:30"
        )


class TestCalendar:
    def test_the_week_shows_the_published_item_on_its_day(self, world):
        item = published(world)
        week = timezone.localdate().strftime("%G-W%V")
        response = client_for(world.secretary).get(
            reverse("content:calendar"), {"outlet": "portal", "tuan": week}
        )
        assert response.status_code == 200
        assert response.context["mode"] == "week"
        days = {day: items for row in response.context["grid"] for day, items, _ in row}
        assert days[timezone.localdate()] == [item]

    def test_the_month_of_another_channel_does_not_show_it(self, world):
        published(world)
        month = timezone.localdate().strftime("%Y-%m")
        response = client_for(world.secretary).get(
            reverse("content:calendar"), {"outlet": "loudspeaker", "thang": month}
        )
        assert response.context["mode"] == "month"
        assert all(not items for row in response.context["grid"] for _, items, _ in row)

    def test_scheduled_items_appear_in_their_month_and_drafts_do_not(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL], title="Hẹn giờ")
        services.approve(actor=world.coordinator, item=item)
        when = timezone.make_aware(datetime(2030, 5, 10, 8, 0))
        services.schedule(actor=world.coordinator, item=item, when=when)
        draft(world, outlets=[Outlet.PORTAL], title="Nháp")
        response = client_for(world.coordinator).get(
            reverse("content:calendar"), {"thang": "2030-05"}
        )
        found = [i for row in response.context["grid"] for _, items, _ in row for i in items]
        assert found == [item]

    def test_a_malformed_week_is_not_found(self, world):
        response = client_for(world.secretary).get(reverse("content:calendar"), {"tuan": "x"})
        assert response.status_code == 404


class TestGaps:
    def test_topics_without_scheduled_content_are_listed_for_the_coordinator(self, world):
        plan = plan_services.save_import(
            actor=world.coordinator, staged=stage(world.ward, world.coordinator)
        )
        topic = plan.topics.first()
        client = client_for(world.coordinator)
        assert client.get(reverse("content:gaps")).context["topics"] == [topic]
        item = services.create_item(
            actor=world.secretary,
            unit=world.cell1,
            kind=ContentKind.NEWS,
            title="Về chủ đề",
            outlets=[Outlet.PORTAL],
            topics=[topic],
        )
        services.submit(actor=world.secretary, item=item)
        services.approve(actor=world.coordinator, item=item)
        services.schedule(
            actor=world.coordinator, item=item, when=timezone.now() + timedelta(days=7)
        )
        assert client.get(reverse("content:gaps")).context["topics"] == []
        # Beyond the window the topic is uncovered again.
        assert client.get(reverse("content:gaps"), {"tuan": "0"}).context["weeks"] == 4

    def test_a_cell_secretary_is_refused_the_gaps_view(self, world):
        assert client_for(world.secretary).get(reverse("content:gaps")).status_code == 403


class TestIcal:
    def feed(self, user, outlet="portal", **params):
        return client_for(user).get(reverse("content:ical", args=[outlet]), params)

    def test_the_feed_has_one_event_per_published_item_of_the_channel(self, world):
        first = published(world, title="Tin một")
        published(world, title="Tin hai")
        published(world, outlets=(Outlet.LOUDSPEAKER,), title="Bản tin loa")
        draft(world, outlets=[Outlet.PORTAL], title="Nháp")
        response = self.feed(world.secretary)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        text = response.content.decode()
        assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
        assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == 2
        first.refresh_from_db()
        stamp = first.published_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        assert f"DTSTART:{stamp}\r\n" in text
        for line in text.split("\r\n"):
            if line.startswith("DTSTART:"):
                assert re.fullmatch(r"DTSTART:\d{8}T\d{6}Z", line)

    def test_lines_are_folded_to_75_octets_and_text_is_escaped(self, world):
        published(world, title="Tuyên truyền, học tập; " + "Nghị quyết " * 20)
        text = self.feed(world.secretary).content.decode()
        lines = text.split("\r\n")
        assert all(len(line.encode("utf-8")) <= 75 for line in lines)
        unfolded = text.replace("\r\n ", "")
        assert "SUMMARY:Tuyên truyền\\, học tập\\; Nghị quyết" in unfolded

    def test_the_feed_is_scoped_to_the_person(self, world):
        published(world)
        assert self.feed(world.outsider).content.decode().count("BEGIN:VEVENT") == 0

    def test_a_calendar_application_can_read_it_with_a_token(self, world):
        from kehoach.accounts.services import issue_token

        published(world)
        token = issue_token(actor=world.secretary)
        response = client_for(None).get(reverse("content:ical", args=["portal"]), {"token": token})
        assert response.content.decode().count("BEGIN:VEVENT") == 1

    def test_without_a_session_or_token_it_is_refused(self, world):
        assert self.feed(None).status_code == 401

    def test_an_unknown_channel_is_not_found(self, world):
        assert self.feed(world.secretary, outlet="fax").status_code == 404
