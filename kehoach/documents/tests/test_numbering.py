"""Proposing the next document number within a series."""

from __future__ import annotations

import pytest

from kehoach.documents.numbering import DocumentNumber, next_number, parse_number


def test_the_next_party_plan_follows_the_highest_number():
    assert next_number(["10-KH/ĐU", "12-KH/ĐU", "11-KH/ĐU"], "KH", "ĐU", "party") == "13-KH/ĐU"


def test_the_next_state_plan_has_a_colonless_number_with_a_leading_zero_under_ten():
    assert next_number(["3/KH-UBND", "04/KH-UBND"], "KH", "UBND", "state") == "05/KH-UBND"


def test_state_numbers_of_ten_and_more_get_no_leading_zero():
    assert next_number(["159/KH-UBND"], "KH", "UBND", "state") == "160/KH-UBND"


def test_numbers_of_other_types_are_ignored():
    existing = ["12-KH/ĐU", "30-BC/ĐU", "45-CTr/ĐU", "50-CT/ĐU"]
    assert next_number(existing, "KH", "ĐU", "party") == "13-KH/ĐU"
    assert next_number(existing, "CT", "ĐU", "party") == "51-CT/ĐU"
    assert next_number(existing, "CTr", "ĐU", "party") == "46-CTr/ĐU"


def test_numbers_of_other_issuers_are_ignored():
    assert next_number(["20-KH/TU", "12-KH/ĐU"], "KH", "ĐU", "party") == "13-KH/ĐU"


def test_the_first_number_of_a_term_is_01():
    assert next_number([], "KH", "ĐU", "party") == "01-KH/ĐU"
    assert next_number(["5-BC/ĐU"], "KH", "ĐU", "party") == "01-KH/ĐU"
    assert next_number([], "KH", "UBND", "state") == "01/KH-UBND"


def test_blank_unreadable_and_other_family_numbers_are_ignored():
    existing = ["", "/KH-UBND", "Số: /KH-UBND", "không số", "7-KH/ĐU"]
    assert next_number(existing, "KH", "UBND", "state") == "01/KH-UBND"


def test_spaces_and_leading_zeros_in_existing_numbers_are_tolerated():
    assert next_number(["46 - KH/ĐU", "0009-KH/ĐU"], "KH", "ĐU", "party") == "47-KH/ĐU"
    assert next_number(["0125/KH-UBND"], "KH", "UBND", "state") == "126/KH-UBND"


def test_compound_issuers_are_kept_whole():
    assert next_number(["7/KH-MTTQ-BTT"], "KH", "MTTQ-BTT", "state") == "08/KH-MTTQ-BTT"
    assert next_number(["7/KH-MTTQ-BTT"], "KH", "UBND", "state") == "01/KH-UBND"


@pytest.mark.parametrize(
    ("number", "parsed"),
    [
        ("12-KH/ĐU", DocumentNumber(12, "KH", "ĐU", "party")),
        ("159/KH-UBND", DocumentNumber(159, "KH", "UBND", "state")),
        ("06/2022/TT-BTTTT", DocumentNumber(6, "TT", "BTTTT", "state", 2022)),
        ("85/2015/QH13", None),
        ("", None),
    ],
)
def test_numbers_are_parsed_into_serial_type_and_issuer(number, parsed):
    assert parse_number(number) == parsed
