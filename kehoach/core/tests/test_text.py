import unicodedata

import pytest

from kehoach.core.text import fold, normalize


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
