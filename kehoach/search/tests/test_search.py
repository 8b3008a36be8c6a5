"""The results page and the API: folding, numbers, scope for every persona, bad input,
paging, escaping, and a query count that does not grow with the results."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kehoach.accounts.services import issue_token
from kehoach.core.testing import client_for
from kehoach.search.results import search
from kehoach.search.tests import builders as b

SPELLINGS = ["58-CT/TW", "58 CT TW", "ct58", "58ct", "58-ct/tw", "CT58"]


def found(user, text, kind=None) -> set[tuple[str, int]]:
    results = search(user, text, kind, limit=100)
    return {(h.kind, h.id) for g in results.shown for h in g.hits}


def api(user, **params):
    headers = {"Authorization": f"Bearer {issue_token(actor=user)}"} if user else {}
    return Client().get("/api/v1/search", params, headers=headers)


def expected(corpus, persona: str) -> set[tuple[str, int]]:
    c = corpus
    mine = {
        ("activity", c.activity1.pk),
        ("concern", c.concern.pk),
        ("exemplar", c.exemplar.pk),
        ("content", c.content.pk),
        ("unit_report", c.report.pk),
    }
    ward_plan = {("plan", c.plan.pk), ("topic", c.topic.pk)}
    return {
        "coordinator": mine
        | ward_plan
        | {("activity", c.activity2.pk), ("summary_report", c.summary.pk)},
        "secretary": mine | ward_plan,
        "secretary2": {("activity", c.activity2.pk)},
        # The other ward's plan is held by its committee, above the outsider's cell.
        "outsider": {("activity", c.other_activity.pk)},
    }[persona]


class TestFolding:
    @pytest.mark.parametrize("typed", ["dang uy", "Đảng ủy", "ĐẢNG ỦY", "Đang uy", "dảng ủy"])
    def test_accents_and_d_are_optional(self, corpus, world, typed):
        assert found(world.coordinator, typed) == expected(corpus, "coordinator")

    def test_words_need_not_be_next_to_each_other(self, corpus, world):
        assert ("activity", corpus.activity1.pk) in found(world.secretary, "uy quan chi bo")

    def test_a_word_that_is_not_there_finds_nothing(self, corpus, world):
        assert found(world.coordinator, "dang uy hoa binh xyz") == set()


class TestNumbers:
    @pytest.mark.parametrize("typed", SPELLINGS)
    def test_every_spelling_finds_the_document_and_what_cites_it(self, corpus, world, typed):
        hits = found(world.coordinator, typed)
        assert ("document", corpus.document.pk) in hits
        assert {("plan", corpus.plan.pk), ("topic", corpus.topic.pk)} <= hits
        assert ("activity", corpus.activity1.pk) in hits

    def test_a_plan_citing_the_number_without_writing_it_is_found(self, world):
        doc = b.document("20-CTr/TU", title="chương trình hành động")
        plan = b.plan(world.ward, title="tuyên truyền kỷ niệm ngày thành lập Đảng")
        b.cite(plan, doc)
        for typed in ("20-CTr/TU", "20 CTr TU", "ctr20", "20ctr"):
            assert ("plan", plan.pk) in found(world.coordinator, typed), typed

    def test_the_type_word_finds_the_document(self, corpus, world):
        assert ("document", corpus.document.pk) in found(world.coordinator, "chi thi 58")

    def test_a_different_number_is_not_found(self, corpus, world):
        assert ("document", corpus.document.pk) not in found(world.coordinator, "ct59")


class TestScope:
    @pytest.mark.parametrize("persona", ["coordinator", "secretary", "secretary2", "outsider"])
    def test_each_person_finds_exactly_what_their_lists_show(self, corpus, world, persona):
        user = getattr(world, persona)
        hits = found(user, "quan triet dang uy")
        assert hits == expected(corpus, persona)
        # The shared registry of cited documents is everyone's.
        assert ("document", corpus.document.pk) in found(user, "58-CT/TW")

    def test_the_administrator_finds_everything(self, corpus, world):
        hits = found(world.admin, "quan triet dang uy")
        assert ("plan", corpus.other_plan.pk) in hits and len(hits) == 11

    def test_the_page_never_shows_another_units_record(self, corpus, world):
        response = client_for(world.secretary2).get("/tim-kiem/", {"q": "dang uy"})
        body = response.content.decode()
        assert response.status_code == 200
        assert f"hit-activity-{corpus.activity2.pk}" in body
        for other in ("Chi bộ 1 quán", "Phường khác", "Bà con hỏi", "Kế hoạch quán"):
            assert other not in body

    @pytest.mark.parametrize("persona", ["coordinator", "secretary", "secretary2", "outsider"])
    def test_the_api_has_the_same_scope(self, corpus, world, persona):
        response = api(getattr(world, persona), q="quan triet dang uy", limit=100)
        assert response.status_code == 200
        data = response.json()
        hits = {(h["kind"], h["id"]) for g in data["groups"] for h in g["results"]}
        assert hits == expected(corpus, persona)
        assert data["total"] == len(hits)

    def test_counts_per_kind_follow_the_scope(self, corpus, world):
        results = search(world.secretary, "dang uy")
        assert {g.kind: g.total for g in results.groups}["activity"] == 1


class TestAccess:
    def test_anonymous_is_sent_to_sign_in(self, db):
        response = Client().get("/tim-kiem/", {"q": "dang uy"})
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]

    def test_the_api_refuses_without_a_token(self, db):
        assert api(None, q="dang uy").status_code == 401

    def test_an_inactive_person_finds_nothing(self, corpus, world):
        world.secretary.is_active = False
        assert found(world.secretary, "dang uy") == set()

    def test_the_header_has_the_search_box(self, world):
        body = client_for(world.secretary).get("/").content.decode()
        assert 'id="header-search"' in body and 'action="/tim-kiem/"' in body


BAD = [
    "",
    "   ",
    '"',
    "*",
    "NEAR",
    "-",
    "---",
    '" OR "1"="1',
    "NEAR(dang uy, 2)",
    "dang* -uy ^chi:bo",
    "a" * 5000,
    "dang " * 3000,
    "\x00\x01",
    "'; DROP TABLE search_searchentry; --",
    "{{ 7*7 }}",
    "🙂🙂",
    "中文 검색",
]


class TestBadInput:
    @pytest.mark.parametrize("typed", BAD)
    def test_the_page_answers_whatever_is_typed(self, corpus, world, typed):
        response = client_for(world.coordinator).get("/tim-kiem/", {"q": typed})
        # A NUL character is refused before any view, for every page (core.middleware).
        assert response.status_code == (400 if "\x00" in typed else 200)

    @pytest.mark.parametrize("typed", BAD)
    def test_the_api_answers_whatever_is_sent(self, corpus, world, typed):
        expected = (400,) if "\x00" in typed else (200, 422)
        assert api(world.coordinator, q=typed).status_code in expected

    def test_only_punctuation_is_explained(self, world):
        response = client_for(world.coordinator).get("/tim-kiem/", {"q": "!!! ---"})
        assert 'id="search-nothing-to-find"' in response.content.decode()
        data = api(world.coordinator, q="!!! ---")
        assert data.status_code == 422 and data.json()["detail"]

    def test_a_long_query_is_cut_and_said_so(self, corpus, world):
        response = client_for(world.coordinator).get("/tim-kiem/", {"q": "dang uy " * 100})
        assert 'id="search-truncated"' in response.content.decode()

    def test_an_unknown_kind_or_page_is_ignored_with_a_note(self, corpus, world):
        client = client_for(world.coordinator)
        response = client.get("/tim-kiem/", {"q": "dang uy", "loai": "x<y", "trang": "abc"})
        body = response.content.decode()
        assert response.status_code == 200 and 'id="search-unknown-kind"' in body
        assert api(world.coordinator, q="dang uy", kind="nope").status_code == 422
        assert api(world.coordinator, q="dang uy", limit=-5, offset=-1).status_code == 200

    def test_what_was_written_is_escaped_and_only_the_marks_are_html(self, world):
        b.activity(world.cell1, "<script>alert(1)</script> Đảng ủy <b>x</b>")
        body = client_for(world.secretary).get("/tim-kiem/", {"q": "dang uy"}).content.decode()
        assert "<script>alert(1)" not in body and "<b>x</b>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Đảng ủy</mark>" in body
        data = api(world.secretary, q="dang uy").json()
        hit = data["groups"][0]["results"][0]
        assert hit["snippet"].startswith("<script>") and "&lt;script&gt;" in hit["snippet_html"]


class TestGroupsAndPaging:
    @pytest.fixture
    def many(self, world):
        return [b.activity(world.cell1, f"Buổi tuyên truyền số {i} về Đảng ủy") for i in range(25)]

    def test_the_overview_shows_a_few_of_each_kind_and_a_link_to_all(self, many, world):
        response = client_for(world.secretary).get("/tim-kiem/", {"q": "dang uy"})
        body = response.content.decode()
        assert body.count('class="search-hit"') == 5
        assert 'id="search-more-activity"' in body and "loai=activity" in body

    def test_one_kind_is_paged(self, many, world):
        client = client_for(world.secretary)
        first = client.get("/tim-kiem/", {"q": "dang uy", "loai": "activity"}).content.decode()
        second = client.get(
            "/tim-kiem/", {"q": "dang uy", "loai": "activity", "trang": 2}
        ).content.decode()
        assert first.count('class="search-hit"') == 20 and 'id="page-next"' in first
        assert second.count('class="search-hit"') == 5 and 'id="page-previous"' in second

    def test_the_api_pages_one_kind_and_counts_every_kind(self, many, corpus, world):
        data = api(world.secretary, q="dang uy", kind="activity", limit=10, offset=20).json()
        assert [g["kind"] for g in data["groups"]] == ["activity"]
        assert len(data["groups"][0]["results"]) == 6
        assert data["counts"]["activity"] == 26 and data["counts"]["plan"] == 1


class TestQueryCount:
    def _count(self, user, **params) -> int:
        client = client_for(user)
        client.get("/tim-kiem/", params)  # the session and caches warmed up
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/tim-kiem/", params).status_code == 200
        return len(queries)

    def test_the_page_costs_the_same_however_many_results(self, corpus, world):
        few = self._count(world.coordinator, q="dang uy")
        few_kind = self._count(world.coordinator, q="dang uy", loai="activity")
        for i in range(40):
            b.activity(world.cell1 if i % 2 else world.cell2, f"Thêm {i} về Đảng ủy")
            b.concern(world.ward, world.cell1, summary=f"Ý kiến {i} về Đảng ủy")
        assert self._count(world.coordinator, q="dang uy") == few
        assert self._count(world.coordinator, q="dang uy", loai="activity") == few_kind
        assert few <= 25

    def test_the_search_without_the_page(self, corpus, world, django_assert_max_num_queries):
        # The person's memberships and visible plans (their scope), one query over the
        # index, then one per kind shown through its own for_user.
        with django_assert_max_num_queries(2 + 1 + 9):
            search(world.coordinator, "dang uy")


def test_each_line_reads_the_same_from_its_few_columns(corpus, world) -> None:
    """The records shown are loaded with only what their line shows (Kind.line_only): the
    lines must read as from the whole record, and cost no query of their own."""
    from kehoach.search.kinds import KINDS
    from kehoach.search.tests.conftest import WORDS

    search(world.coordinator, WORDS)  # the person's scope read once, as in a request
    with CaptureQueriesContext(connection) as queries:
        results = search(world.coordinator, WORDS)
    shown = [group for group in results.groups if group.hits]
    kinds = {group.kind for group in shown}
    assert kinds >= {"plan", "topic", "activity", "unit_report", "summary_report", "concern"}
    assert kinds >= {"exemplar", "content"}
    # The plans in the person's scope, the index, then one statement a kind shown.
    assert len(queries) == 2 + len(shown)
    for group in shown:
        spec = KINDS[group.kind]
        for hit in group.hits:
            line = spec.line(spec.model._default_manager.get(pk=hit.id))
            assert (hit.title, hit.url, hit.meta) == (line.title, line.url, line.meta)
