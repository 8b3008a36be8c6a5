"""Vietnamese text normaliser for speech: digits, dates, units and abbreviations as words.

Pure functions, no Django. The engines (espeak-ng and others) read letters and words well but
read digits, "58-CT/TW" or "UBND" badly, so the bulletin's text is rewritten first.

Choices:
- Numbers use the Vietnamese separators: "1.234" is one thousand two hundred and thirty-four,
  "2,5" is two point five ("hai phẩy năm"). A dot not followed by groups of three digits is read
  as a decimal point too.
- A party or state document number such as "58-CT/TW" or "15/2023/NĐ-CP" is read the way
  officials read it out: the number, then the letters spelled Vietnamese style, "/" read
  "trên" and "-" silent: "năm mươi tám xê tê trên tê vê kép". Expanding the letters into
  "Chỉ thị … Trung ương" depends on the position in the number and would mislead more often.
- Standalone abbreviations (UBND, MTTQ, TDP…) are expanded to their full names.
- Numbers starting with 0 that are longer than one digit (phone numbers) are read digit by digit.
"""

from __future__ import annotations

import re
import unicodedata

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]

# Letters as they are spelled out in Vietnamese.
LETTERS = {
    "A": "a",
    "Ă": "á",
    "Â": "ớ",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "Ê": "ê",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e lờ",
    "M": "em mờ",
    "N": "en nờ",
    "O": "o",
    "Ô": "ô",
    "Ơ": "ơ",
    "P": "pê",
    "Q": "quy",
    "R": "e rờ",
    "S": "ét xì",
    "T": "tê",
    "U": "u",
    "Ư": "ư",
    "V": "vê",
    "W": "vê kép",
    "X": "ích xì",
    "Y": "i dài",
    "Z": "dét",
}

# Longest first where one is a prefix of another (the regex is built sorted by length).
ABBREVIATIONS = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc",
    "TDP": "tổ dân phố",
    "KDC": "khu dân cư",
    "ĐU": "Đảng ủy",
    "BTV": "Ban Thường vụ",
    "BCH": "Ban Chấp hành",
    "BCĐ": "Ban Chỉ đạo",
    "UBKT": "Ủy ban Kiểm tra",
    "TW": "Trung ương",
    "TƯ": "Trung ương",
    "TU": "Tỉnh ủy",
    "CT-XH": "chính trị xã hội",
    "ĐTN": "Đoàn Thanh niên",
    "ĐTNCS": "Đoàn Thanh niên Cộng sản",
    "HLHPN": "Hội Liên hiệp Phụ nữ",
    "HPN": "Hội Phụ nữ",
    "CCB": "Cựu chiến binh",
    "ĐV": "đảng viên",
    "CP": "Chính phủ",
    "TTg": "Thủ tướng",
    "HTX": "hợp tác xã",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "ATGT": "an toàn giao thông",
    "ANTT": "an ninh trật tự",
    "PCCC": "phòng cháy chữa cháy",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "CAND": "Công an nhân dân",
    "TP.HCM": "Thành phố Hồ Chí Minh",
    "TPHCM": "Thành phố Hồ Chí Minh",
    "TP": "thành phố",
    "VN": "Việt Nam",
}

UNITS = {
    "km²": "ki lô mét vuông",
    "km2": "ki lô mét vuông",
    "m²": "mét vuông",
    "m2": "mét vuông",
    "m³": "mét khối",
    "m3": "mét khối",
    "km": "ki lô mét",
    "cm": "xăng ti mét",
    "mm": "mi li mét",
    "kg": "ki lô gam",
    "ha": "héc ta",
    "VNĐ": "đồng",
    "VND": "đồng",
    "đ": "đồng",
    "m": "mét",
    "g": "gam",
}

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _tens_units(t: int, u: int, *, after_hundred: bool) -> list[str]:
    if t == 0:
        if u == 0:
            return []
        return (["linh"] if after_hundred else []) + [DIGITS[u]]
    words = ["mười"] if t == 1 else [DIGITS[t], "mươi"]
    if u == 0:
        return words
    if u == 5:
        return [*words, "lăm"]
    if t >= 2 and u == 1:
        return [*words, "mốt"]
    if t >= 2 and u == 4:
        return [*words, "tư"]
    return [*words, DIGITS[u]]


def _group(n: int, *, full: bool) -> list[str]:
    """A group of three digits; `full` reads the hundreds even when zero ("không trăm")."""
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    words: list[str] = []
    if h or full:
        words += [DIGITS[h], "trăm"]
    words += _tens_units(t, u, after_hundred=bool(h) or full)
    return words


def _below_billion(n: int, *, full: bool) -> list[str]:
    words: list[str] = []
    for scale, name in ((1_000_000, "triệu"), (1_000, "nghìn"), (1, "")):
        part, n = divmod(n, scale)
        if part:
            words += _group(part, full=full)
            if name:
                words.append(name)
            full = True
    return words


def number_to_words(n: int) -> str:
    """12 → "mười hai", 1234 → "một nghìn hai trăm ba mươi tư", 105 → "một trăm linh năm"."""
    if n < 0:
        return "âm " + number_to_words(-n)
    if n == 0:
        return "không"
    if n >= 1_000_000_000:
        high, low = divmod(n, 1_000_000_000)
        words = number_to_words(high) + " tỷ"
        if low:
            words += " " + " ".join(_below_billion(low, full=True))
        return words
    return " ".join(_below_billion(n, full=False))


def digits_to_words(digits: str) -> str:
    return " ".join(DIGITS[int(d)] for d in digits)


def decimal_to_words(integer: str, fraction: str) -> str:
    """("2", "5") → "hai phẩy năm"; ("3", "14") → "ba phẩy mười bốn"; ("1", "05") → … không năm."""
    head = number_to_words(int(integer))
    stripped = fraction.lstrip("0")
    zeros = len(fraction) - len(stripped)
    parts = ["không"] * zeros
    if stripped:
        parts.append(
            number_to_words(int(stripped)) if len(stripped) <= 3 else digits_to_words(stripped)
        )
    return f"{head} phẩy {' '.join(parts)}"


def _number_token(token: str) -> str:
    """A number as written in Vietnamese text: 1.234 / 1.234,5 / 2,5 / 0912…"""
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", token):
        integer, _, fraction = token.replace(".", "").partition(",")
        return decimal_to_words(integer, fraction) if fraction else number_to_words(int(integer))
    match = re.fullmatch(r"(\d+)[,.](\d+)", token)
    if match:
        return decimal_to_words(match.group(1), match.group(2))
    if len(token) > 1 and token.startswith("0"):
        return digits_to_words(token)
    return number_to_words(int(token))


def spell(letters: str) -> str:
    return " ".join(LETTERS.get(ch.upper(), ch) for ch in letters if ch.isalpha())


def _roman_to_int(roman: str) -> int | None:
    total = 0
    values = [_ROMAN[ch] for ch in roman]
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total if total > 0 else None


_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+[,.]\d+|\d+"
_LETTER_GROUP = r"[A-ZĐ][A-Za-zĐđ]*"

_DOCUMENT = re.compile(
    rf"(?<![\w/])(\d+)((?:/\d{{2,4}})?)([-/])({_LETTER_GROUP}(?:[-/]{_LETTER_GROUP})*)(?![\w])"
)
_DATE = re.compile(r"(?<![\w/.,])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\w/])")
_MONTH_YEAR = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{4})(?![\w/])")
_TIME = re.compile(r"(?<![\w:])(\d{1,2})(?:h|giờ|:)(\d{2})?(?:'|p|phút)?(?![\w:])")
_PERCENT = re.compile(rf"(?<![\w])({_NUMBER})\s?%")
_RANGE = re.compile(rf"(?<![\w.,])({_NUMBER})\s?[-–]\s?({_NUMBER})(?![\w])")
_UNIT = re.compile(
    rf"(?<![\w.,])({_NUMBER})\s?("
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r")(?![\w²³])"
)
_ABBREVIATION = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w-])"
)
_ROMAN_AFTER = re.compile(
    r"(?i:(khóa|khoá|đại hội|lần thứ|thế kỷ|quý|nhiệm kỳ))\s+([IVXLCDM]+)(?![\w])"
)
_ORDINAL = re.compile(r"(?i:(thứ))\s+(1|4)(?!\w)")
_NUMBER_TOKEN = re.compile(rf"(?<![\w])({_NUMBER})(?!\d)")


def _document(match: re.Match) -> str:
    words = [number_to_words(int(match.group(1)))]
    if match.group(2):
        words += ["trên", number_to_words(int(match.group(2)[1:]))]
    if match.group(3) == "/":
        words.append("trên")
    for part in re.split(r"([-/])", match.group(4)):
        if part == "/":
            words.append("trên")
        elif part and part != "-":
            words.append(spell(part))
    return " ".join(words)


def _day_month(day: int, month: int) -> str:
    return f"{number_to_words(day)} tháng {'tư' if month == 4 else number_to_words(month)}"


def _date(match: re.Match) -> str:
    day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    prefix = "" if _preceded_by(match, "ngày") else "ngày "
    return f"{prefix}{_day_month(day, month)} năm {number_to_words(year)}"


def _month_year(match: re.Match) -> str:
    month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return match.group(0)
    prefix = "" if _preceded_by(match, "tháng") else "tháng "
    month_word = "tư" if month == 4 else number_to_words(month)
    return f"{prefix}{month_word} năm {number_to_words(year)}"


def _preceded_by(match: re.Match, word: str) -> bool:
    before = match.string[: match.start()].rstrip().lower()
    return before.endswith(word)


def _time(match: re.Match) -> str:
    hours, minutes = int(match.group(1)), match.group(2)
    if hours > 24 or (minutes and int(minutes) > 59):
        return match.group(0)
    if ":" not in match.group(0) and "h" not in match.group(0):
        return match.group(0)
    words = f"{number_to_words(hours)} giờ"
    if minutes and int(minutes):
        words += f" {number_to_words(int(minutes))} phút"
    return words


def normalize(text: str) -> str:
    """The text as an engine should read it: every digit, symbol and abbreviation in words."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u00a0", " ")
    text = _DOCUMENT.sub(_document, text)
    text = _DATE.sub(_date, text)
    text = _MONTH_YEAR.sub(_month_year, text)
    text = _TIME.sub(_time, text)
    text = _PERCENT.sub(lambda m: f"{_number_token(m.group(1))} phần trăm", text)
    text = _UNIT.sub(lambda m: f"{_number_token(m.group(1))} {UNITS[m.group(2)]}", text)
    text = _RANGE.sub(
        lambda m: f"{_number_token(m.group(1))} đến {_number_token(m.group(2))}", text
    )
    text = _ROMAN_AFTER.sub(
        lambda m: f"{m.group(1)} {number_to_words(_roman_to_int(m.group(2).upper()) or 0)}", text
    )
    text = _ORDINAL.sub(lambda m: f"{m.group(1)} {'nhất' if m.group(2) == '1' else 'tư'}", text)
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    text = _NUMBER_TOKEN.sub(lambda m: _number_token(m.group(1)), text)
    text = text.replace("&", " và ").replace("%", " phần trăm").replace("+", " cộng ")
    text = re.sub(r"[\"“”«»*_#]", "", text)
    text = re.sub(r"\s+[–—-]\s+", ", ", text)
    # Paragraphs: a pause between them even without a full stop.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    text = " ".join(
        line if line[-1] in ".!?:;," or i == len(lines) - 1 else line + "."
        for i, line in enumerate(lines)
    )
    return re.sub(r"\s+", " ", text).strip()
