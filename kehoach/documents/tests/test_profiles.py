"""Format profiles: the built-in values, and how overriding one changes the document."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import override_settings

from kehoach.documents.profiles import (
    PARTY,
    STATE,
    FormatProfile,
    ProfileError,
    profile_for,
    profile_from_settings,
)
from kehoach.documents.tests.builders import fixture_plan
from kehoach.documents.tests.reading import body_paragraphs, column_texts, read
from kehoach.documents.writer import render_docx


def test_profile_for_returns_the_party_and_state_profiles():
    assert profile_for("party") is PARTY
    assert profile_for("state") is STATE


def test_an_unknown_family_is_refused_with_a_stable_code():
    with pytest.raises(ProfileError) as error:
        profile_for("church")
    assert error.value.code == "unknown_family"


def test_profiles_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        PARTY.margin_top_mm = 25  # type: ignore[misc]


def test_both_families_print_on_a4_in_times_new_roman():
    for profile in (PARTY, STATE):
        assert (profile.page_width_mm, profile.page_height_mm) == (210, 297)
        assert profile.font_name == "Times New Roman"


def test_the_party_profile_holds_the_values_of_hướng_dẫn_36():
    assert (PARTY.national_title, PARTY.national_title_size) == ("ĐẢNG CỘNG SẢN VIỆT NAM", 15)
    assert PARTY.national_motto == ""
    assert (PARTY.number_label, PARTY.issuer_mark) == ("Số", "*")
    assert (PARTY.type_word_size, PARTY.body_size) == (16, 14)
    assert 14 <= PARTY.subject_size <= 15
    assert PARTY.recipients_item_terminator == ","
    assert PARTY.authority_on_behalf == "T/M"


def test_the_state_profile_holds_the_values_of_nghị_định_30():
    assert (STATE.national_title, STATE.national_title_size) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        13,
    )
    assert (STATE.national_motto, STATE.national_motto_size) == ("Độc lập - Tự do - Hạnh phúc", 14)
    assert (STATE.number_label, STATE.number_size) == ("Số:", 13)
    assert STATE.date_zero_pad_days and STATE.date_zero_pad_months == (1, 2)
    assert (STATE.recipients_item_terminator, STATE.archive_prefix) == (";", "Lưu:")
    assert (STATE.margin_top_mm, STATE.margin_left_mm, STATE.margin_right_mm) == (20, 30, 15)
    assert STATE.authority_on_behalf == "TM."


def test_replacing_a_margin_changes_the_document():
    profile = dataclasses.replace(PARTY, margin_top_mm=25, margin_left_mm=35)
    section = read(render_docx(fixture_plan(), profile)).sections[0]
    assert section.top_margin.mm == pytest.approx(25, abs=0.1)
    assert section.left_margin.mm == pytest.approx(35, abs=0.1)


def test_overriding_the_body_size_from_settings_changes_every_body_paragraph():
    profile = profile_from_settings({"body_size": 13}, family="party")
    doc = read(render_docx(fixture_plan(), profile))
    bullets = [p for p in body_paragraphs(doc) if p.text.startswith("- ")]
    assert bullets and {p.runs[0].font.size.pt for p in bullets} == {13}


def test_overrides_can_be_keyed_by_family():
    overrides = {"party": {"number_label": "Số:"}, "state": {"body_size": 13}}
    assert profile_from_settings(overrides, family="party").number_label == "Số:"
    assert profile_from_settings(overrides, family="state").number_label == "Số:"
    assert profile_from_settings(overrides, family="state").body_size == 13
    assert profile_from_settings(overrides, family="party").body_size == 14


def test_overriding_the_national_title_and_number_label_shows_in_the_header():
    profile = profile_from_settings({"national_title": "ĐẢNG CỘNG SẢN", "number_label": "Số:"})
    header = read(render_docx(fixture_plan(), profile)).tables[0]
    assert column_texts(header, 1)[0] == "ĐẢNG CỘNG SẢN"
    assert column_texts(header, 0)[-1] == "Số: 12-KH/ĐU"


def test_settings_are_read_from_django_when_no_overrides_are_given():
    with override_settings(KEHOACH_DOCUMENT_FORMATS={"party": {"margin_top_mm": 25}}):
        assert profile_from_settings(family="party").margin_top_mm == 25
        assert profile_from_settings(family="state").margin_top_mm == 20
    assert profile_from_settings(family="party") == PARTY


def test_integers_are_accepted_for_sizes_and_lists_for_tuples():
    profile = profile_from_settings({"margin_top_mm": 25, "date_zero_pad_months": [1, 2, 3]})
    assert profile.margin_top_mm == 25.0 and isinstance(profile.margin_top_mm, float)
    assert profile.date_zero_pad_months == (1, 2, 3)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"margin_topp_mm": 25}, "unknown_key"),
        ({"family": "state"}, "unknown_key"),
        ({"margin_top_mm": "25mm"}, "bad_value"),
        ({"issuer_bold": 1}, "bad_value"),
        ({"body_size": True}, "bad_value"),
    ],
)
def test_unknown_keys_and_values_of_the_wrong_kind_are_refused(overrides, code):
    with pytest.raises(ProfileError) as error:
        profile_from_settings(overrides)
    assert error.value.code == code


def test_the_text_width_is_the_page_less_the_side_margins():
    assert FormatProfile(family="party").text_width_mm == 165
