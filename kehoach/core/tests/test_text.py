import unicodedata

import pytest
from django.template.defaultfilters import truncatechars

from kehoach.core.text import clip, fold, normalize


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ủy ban nhân dân", "Uỷ ban nhân dân"),  # new and old tone placement
        ("ĐẢNG ỦY PHƯỜNG", "đảng ủy phường"),
        ("Đảng ủy", "dang uy"),
        (unicodedata.normalize("NFD", "Chi bộ số 1"), "Chi bộ số 1"),
        ("  Chi   bộ\tsố 1 ", "Chi bộ số 1"),
    ],
)
def test_folding_treats_spellings_of_the_same_name_as_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_folding_keeps_different_names_apart() -> None:
    assert fold("Chi bộ số 1") != fold("Chi bộ số 11")
    assert fold("Hội Cựu chiến binh") != fold("Hội Cựu thanh niên xung phong")


def test_normalize_keeps_accents_but_composes_and_trims() -> None:
    decomposed = unicodedata.normalize("NFD", " Ủy  ban ")
    assert normalize(decomposed) == "Ủy ban"
    assert unicodedata.is_normalized("NFC", normalize(decomposed))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Tuyên truyền Chỉ thị 58",
        "Hội nghị quán triệt Nghị quyết Đại hội Đảng bộ phường lần thứ XV, nhiệm kỳ 2025-2030",
        "Sinh hoạt chi bộ chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        unicodedata.normalize("NFD", "Tổ dân phố số 1 tuyên truyền phòng chống cháy nổ"),
        unicodedata.normalize("NFD", "Ủy ban nhân dân phường") * 5,
        "a" * 90,
        "a" * 91,
        "e\u0301" * 60,  # 60 letters written with 120 code points
    ],
)
@pytest.mark.parametrize("length", [1, 40, 90])
def test_clip_writes_what_truncatechars_writes(text: str, length: int) -> None:
    assert clip(text, length) == truncatechars(text, length)
