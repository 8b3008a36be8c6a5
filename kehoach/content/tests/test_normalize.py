import unicodedata

import pytest

from kehoach.content.speech.normalize import decimal_to_words, normalize, number_to_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (99, "chín mươi chín"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1234, "một nghìn hai trăm ba mươi tư"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (10000, "mười nghìn"),
        (15000, "mười lăm nghìn"),
        (2500000, "hai triệu năm trăm nghìn"),
        (1000005, "một triệu không trăm linh năm"),
        (1005000, "một triệu không trăm linh năm nghìn"),
        (1000000000, "một tỷ"),
        (3000000021, "ba tỷ không trăm hai mươi mốt"),
        (-7, "âm bảy"),
    ],
)
def test_numbers_are_read_by_the_vietnamese_rules(number, words):
    assert number_to_words(number) == words


@pytest.mark.parametrize(
    ("integer", "fraction", "words"),
    [
        ("2", "5", "hai phẩy năm"),
        ("3", "14", "ba phẩy mười bốn"),
        ("1", "05", "một phẩy không năm"),
        ("0", "25", "không phẩy hai mươi lăm"),
    ],
)
def test_decimals_are_read_with_phay(integer, fraction, words):
    assert decimal_to_words(integer, fraction) == words


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # Numbers with Vietnamese separators.
        ("1.234 người", "một nghìn hai trăm ba mươi tư người"),
        ("2,5", "hai phẩy năm"),
        ("1.234,5", "một nghìn hai trăm ba mươi tư phẩy năm"),
        ("số 3", "số ba"),
        ("gọi 0912345678", "gọi không chín một hai ba bốn năm sáu bảy tám"),
        ("từ 5-7 người", "từ năm đến bảy người"),
        ("thứ 4", "thứ tư"),
        ("lần thứ 1", "lần thứ nhất"),
        # Dates and times.
        ("12/6/2026", "ngày mười hai tháng sáu năm hai nghìn không trăm hai mươi sáu"),
        ("ngày 12/6/2026", "ngày mười hai tháng sáu năm hai nghìn không trăm hai mươi sáu"),
        ("ngày 01/04/2025", "ngày một tháng tư năm hai nghìn không trăm hai mươi lăm"),
        ("24-12-2025", "ngày hai mươi tư tháng mười hai năm hai nghìn không trăm hai mươi lăm"),
        ("tháng 6/2026", "tháng sáu năm hai nghìn không trăm hai mươi sáu"),
        ("7h30", "bảy giờ ba mươi phút"),
        ("07:30", "bảy giờ ba mươi phút"),
        ("lúc 19:05", "lúc mười chín giờ năm phút"),
        ("8h", "tám giờ"),
        ("14h00", "mười bốn giờ"),
        ("năm 2026", "năm hai nghìn không trăm hai mươi sáu"),
        # Percentages and units.
        ("13%", "mười ba phần trăm"),
        ("2,5%", "hai phẩy năm phần trăm"),
        ("đạt 100 %", "đạt một trăm phần trăm"),
        ("2,5 km", "hai phẩy năm ki lô mét"),
        ("120 m²", "một trăm hai mươi mét vuông"),
        ("120m2", "một trăm hai mươi mét vuông"),
        ("50kg", "năm mươi ki lô gam"),
        ("3 ha", "ba héc ta"),
        ("500.000đ", "năm trăm nghìn đồng"),
        ("100.000 VNĐ", "một trăm nghìn đồng"),
        ("200 m", "hai trăm mét"),
        # Abbreviations.
        ("UBND phường", "Ủy ban nhân dân phường"),
        ("HĐND, MTTQ và TDP", "Hội đồng nhân dân, Mặt trận Tổ quốc và tổ dân phố"),
        ("ĐU phường", "Đảng ủy phường"),
        ("BTV TU", "Ban Thường vụ Tỉnh ủy"),
        ("Ban Chấp hành TW", "Ban Chấp hành Trung ương"),
        ("các tổ chức CT-XH", "các tổ chức chính trị xã hội"),
        ("MTTQVN", "Mặt trận Tổ quốc Việt Nam"),
        ("PCCC", "phòng cháy chữa cháy"),
        # Words containing the letters of an abbreviation are left alone.
        ("TUẦN", "TUẦN"),
        ("Đại hội XIII", "Đại hội mười ba"),
        # Document numbers: letters spelled, "/" read "trên", "-" silent.
        ("Chỉ thị 58-CT/TW", "Chỉ thị năm mươi tám xê tê trên tê vê kép"),
        ("Kế hoạch 01-KH/ĐU", "Kế hoạch một ca hát trên đê u"),
        (
            "Nghị định 15/2023/NĐ-CP",
            "Nghị định mười lăm trên hai nghìn không trăm hai mươi ba trên en nờ đê xê pê",
        ),
        ("Quyết định 123/QĐ-UBND", "Quyết định một trăm hai mươi ba trên quy đê u bê en nờ dê"),
        # Symbols and layout.
        ("A & B", "A và B"),
        ("Dòng một\nDòng hai", "Dòng một. Dòng hai"),
        ("“Trích dẫn”", "Trích dẫn"),
        ("", ""),
    ],
)
def test_text_is_normalised_for_speech(text, spoken):
    assert normalize(text) == spoken


def test_a_whole_bulletin_has_no_digits_or_known_abbreviations_left():
    text = (
        "Thực hiện Chỉ thị 58-CT/TW, UBND phường tổ chức ngày hội lúc 7h30 ngày 12/6/2026 "
        "tại nhà văn hóa TDP số 3; 1.234 hộ (đạt 98,5%) đã đóng góp 25.000.000đ."
    )
    spoken = normalize(text)
    assert not any(ch.isdigit() for ch in spoken)
    assert "UBND" not in spoken and "TDP" not in spoken and "%" not in spoken
    assert "chín mươi tám phẩy năm phần trăm" in spoken
    assert "hai mươi lăm triệu đồng" in spoken


def test_decomposed_unicode_is_recomposed_before_matching():
    assert normalize(unicodedata.normalize("NFD", "HĐND")) == "Hội đồng nhân dân"
