"""What goes into the index and what a query asks for, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach.core.text import fold as core_fold
from kehoach.search.results import marked
from kehoach.search.terms import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    fold,
    index_text,
    kind_word,
    match_spans,
    number_variants,
    parse_query,
    scope_fts5,
    scope_tsquery,
    unit_words,
)

VIETNAMESE = "aàảãáạăằẳẵắặâầẩẫấậđeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"


class TestFold:
    @given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " \t\n-/.,0123456789\u0301\u0323"))
    def test_the_same_as_the_products_fold(self, text):
        assert fold(text) == core_fold(text)

    @given(st.text())
    def test_the_same_on_any_text(self, text):
        assert fold(text) == core_fold(text)


class TestIndexText:
    def test_folds_accents_case_and_d(self):
        assert index_text("Đảng ủy phường Lê Chân") == "dang uy phuong le chan"

    def test_old_and_new_tone_placement_fold_alike(self):
        assert index_text("Uỷ ban") == index_text("Ủy ban")

    def test_a_party_number_gets_its_joined_spellings(self):
        words = index_text("Chỉ thị số 58-CT/TW của Ban Bí thư").split()
        assert {"58", "ct", "tw", "58cttw", "58ct", "ct58"} <= set(words)

    def test_a_state_number_with_a_year_and_leading_zero(self):
        words = set(index_text("Thông tư 06/2022/TT-BTTTT").split())
        assert {"062022ttbtttt", "06tt", "tt06", "6tt", "tt6"} <= words

    def test_spaces_around_the_hyphen_do_not_matter(self):
        assert "46cttw" in index_text("Chỉ thị 46 - CT/TW").split()

    def test_dates_are_not_taken_for_numbers(self):
        assert index_text("ngày 15/5/2026").split() == ["ngay", "15", "5", "2026"]

    def test_punctuation_never_reaches_the_index(self):
        assert index_text('a"b*c NEAR(d) -e ^f:g') == "a b c near d e f g"


class TestNumberVariants:
    @pytest.mark.parametrize(
        "number, expected",
        [
            ("58-ct/tw", ["58cttw", "58ct", "ct58"]),
            ("159/kh-ubnd", ["159khubnd", "159kh", "kh159"]),
        ],
    )
    def test_joined_spellings(self, number, expected):
        assert number_variants(number) == expected

    def test_nothing_for_a_date(self):
        assert number_variants("15/5/2026") == []


class TestParseQuery:
    def test_accentless_words(self):
        query = parse_query("dang uy")
        assert query.fts5() == '{folded_title folded_body} : ("dang" AND "uy")'

    def test_a_number_is_a_phrase_or_its_joined_form(self):
        query = parse_query("58-CT/TW")
        assert query.fts5() == '{folded_title folded_body} : (("58 ct tw" OR "58cttw"))'
        assert query.tsquery() == "('58' <-> 'ct' <-> 'tw' | '58cttw')"

    @pytest.mark.parametrize(
        "typed", ['"', "*", "NEAR", "-", '" OR "', "NEAR(a b)", "a:b", "^x", "'; DROP", "\\"]
    )
    def test_syntax_characters_are_only_ever_quoted_words(self, typed):
        query = parse_query(typed)
        for term in query.terms:
            assert all(w.isalnum() for w in term.words)

    @pytest.mark.parametrize("typed", ["", "   ", "!!! ??? ---", "“”…"])
    def test_nothing_to_find(self, typed):
        assert not parse_query(typed)

    def test_long_input_is_cut(self):
        query = parse_query("dang " * 500)
        assert len(query.text) <= MAX_QUERY_CHARS
        assert len(parse_query(" ".join(f"w{i}" for i in range(100))).terms) == MAX_TERMS

    def test_the_same_word_twice_is_one_term(self):
        assert len(parse_query("Đảng đảng DANG").terms) == 1


class TestScopeWords:
    def test_a_unit_and_every_unit_above_it(self):
        assert unit_words("/1/5/9/") == ["zzu1", "zzu5", "zzu9"]

    def test_kind_words_are_single_words(self):
        assert kind_word("unit_report") == "zzkunitreport"

    def test_the_scope_filter_for_fts5_and_postgresql(self):
        assert scope_fts5("activity", ["zzu1", "zzu5"]) == (
            'folded_scope : ("zzkactivity" AND ("zzu1" OR "zzu5"))'
        )
        assert scope_fts5("activity", None) == 'folded_scope : ("zzkactivity")'
        assert scope_tsquery("plan", ["zzp3"]) == "'zzkplan' & ('zzp3')"

    def test_typed_words_never_reach_the_scope_column(self):
        assert parse_query("zzall").fts5().startswith("{folded_title folded_body} :")


class TestHighlight:
    TEXT = "Quán triệt Chỉ thị số 58-CT/TW tới Đảng ủy phường"

    def test_accentless_words_mark_the_words_as_written(self):
        spans = match_spans(self.TEXT, parse_query("dang uy").highlight_words)
        assert [self.TEXT[a:b] for a, b in spans] == ["Đảng ủy"]

    @pytest.mark.parametrize("typed", ["58-CT/TW", "58 CT TW", "ct58", "58ct"])
    def test_every_spelling_of_a_number_marks_it(self, typed):
        spans = match_spans(self.TEXT, parse_query(typed).highlight_words)
        assert [self.TEXT[a:b] for a, b in spans] == ["58-CT/TW"]

    def test_html_is_escaped_around_and_inside_the_marks(self):
        plain, html = marked("<b>Đảng</b> & <script>", parse_query("dang").highlight_words)
        assert plain == "<b>Đảng</b> & <script>"
        assert html == "&lt;b&gt;<mark>Đảng</mark>&lt;/b&gt; &amp; &lt;script&gt;"

    def test_a_long_text_is_cut_around_the_first_match(self):
        text = "mở đầu " * 100 + "Đảng ủy" + " kết thúc" * 100
        plain, html = marked(text, parse_query("dang uy").highlight_words, window=True)
        assert plain.startswith("…") and plain.endswith("…")
        assert "<mark>Đảng ủy</mark>" in html and len(plain) < 260
