"""The kit's input rules: each input either becomes exactly the value stored or is refused with a code."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from kinerja_kit import fields, numbers
from kinerja_kit.errors import InvalidArgument, Violations
from kinerja_kit.paging import decode_page_token, encode_page_token, search_term

# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


def _text(value: str, *, max_len: int = 20, code: bool = False, required: bool = False) -> str | None:
    """The stored text, or the violation code prefixed with "!"."""
    v = Violations()
    cleaned = fields.text(v, "f", "Isian", value, max_len=max_len, code=code, required=required)
    return f"!{v.items[0].code}" if v else cleaned


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Bidang   Umum ", "Bidang Umum"),
        ("Baris\nkedua\tdan\r\nke-3", "Baris kedua dan ke-3"),  # line breaks and tabs are whitespace
        ("Cafe\u0301", "Caf\u00e9"),  # NFC: a combining accent joins its letter
        ("\uff21\uff22", "\uff21\uff22"),  # full-width letters stay in a name (NFC, not NFKC)
        ("Sri\u00a0Rahayu", "Sri Rahayu"),  # no-break space is whitespace
        ("Budi\x00", "!INVALID_CHARACTER"),
        ("\x00", "!INVALID_CHARACTER"),
        ("a\x07b", "!INVALID_CHARACTER"),
        ("a\x0bb", "!INVALID_CHARACTER"),
        ("a\x1fb", "!INVALID_CHARACTER"),
        ("a\x7fb", "!INVALID_CHARACTER"),
        ("a\x85b", "!INVALID_CHARACTER"),
        ("\ud800", "!INVALID_CHARACTER"),  # a lone surrogate (only a Python caller can send one)
        ("a\udfffb", "!INVALID_CHARACTER"),
        ("a\ufffeb", "!INVALID_CHARACTER"),  # non-characters
        ("a\ufdd0b", "!INVALID_CHARACTER"),
        ("a\U0010ffffb", "!INVALID_CHARACTER"),
        ("abc\u202egnp.exe", "!INVALID_CHARACTER"),  # right-to-left override
        ("\u2066x\u2069", "!INVALID_CHARACTER"),
        ("Ahmad 😀", "Ahmad 😀"),
        ("x" * 20, "x" * 20),
        ("x" * 21, "!TOO_LONG"),
        ("x" * 20 + "   ", "x" * 20),  # the length counts what is stored
        ("e\u0301" * 20, "\u00e9" * 20),  # and after normalisation
        (" " * 300, ""),  # whitespace up to the raw bound collapses
        ("x" * 100_000, "!TOO_LONG"),  # refused before any normalising work
    ],
)
def test_text(value: str, expected: str) -> None:
    assert _text(value) == expected


def test_required_text() -> None:
    assert _text("  \n ", required=True) == "!REQUIRED"
    assert _text("\x00", required=True) == "!INVALID_CHARACTER"  # one violation per field


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21", "21"),
        (" 21 ", "21"),
        ("\uff12\uff11", "21"),  # full-width digits are the digits (NFKC)
        ("\u0662\u0661", "!INVALID_CHARACTER"),  # Arabic-Indic 21: refused, not stored as typed
        ("\u0967\u0968", "!INVALID_CHARACTER"),  # Devanagari
        ("III/a", "III/a"),
        ("Ⅲ/a", "III/a"),  # the roman-numeral character is its letters
        ("21\x00", "!INVALID_CHARACTER"),
        ("é", "!INVALID_CHARACTER"),
    ],
)
def test_code(value: str, expected: str) -> None:
    assert _text(value, code=True) == expected


def test_code_messages_say_what_is_allowed() -> None:
    v = Violations()
    fields.text(v, "unor.eselon", "Eselon", "\u0662\u0661", max_len=4, code=True)
    fields.text(v, "unor.nama", "Nama unor", "A\x00", max_len=4)
    assert [i.message for i in v.items] == [
        "Eselon hanya boleh berisi huruf latin, angka 0-9 dan tanda baca.",
        "Nama unor berisi karakter yang tidak diizinkan.",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("  budi   santoso ", "budi santoso"),
        ("budi\x00", "!INVALID_CHARACTER"),
        ("\ud800", "!INVALID_CHARACTER"),
        ("a" * fields.SEARCH_MAX, "a" * fields.SEARCH_MAX),
        ("a" * (fields.SEARCH_MAX + 1), "!TOO_LONG"),
        ("a" * 10_000, "!TOO_LONG"),
    ],
)
def test_search_query(value: str, expected: str) -> None:
    try:
        found = fields.search_query(value)
    except InvalidArgument as err:
        assert [(i.field, i.code) for i in err.violations] == [("query", expected[1:])]
        return
    assert found == expected


def test_search_term_uses_the_search_rule() -> None:
    assert search_term("  Budi  ") == ("nama", "Budi")
    assert search_term("19900101") == ("nip", "19900101")
    with pytest.raises(InvalidArgument) as info:
        search_term("\u0661\u0669\u0669\u0660")  # digits of another script are no NIP prefix
    assert info.value.violations[0].code == "QUERY_TOO_SHORT"
    with pytest.raises(InvalidArgument) as info:
        search_term("a" * 10_000)
    assert info.value.violations[0].code == "TOO_LONG"
    with pytest.raises(InvalidArgument) as info:
        search_term("bud\x00i")
    assert info.value.violations[0].code == "INVALID_CHARACTER"


def test_a_page_token_carrying_a_forbidden_character_is_refused() -> None:
    token = encode_page_token("Budi\x00", __import__("uuid").uuid4(), "f")
    with pytest.raises(InvalidArgument) as info:
        decode_page_token(token, "f")
    assert info.value.violations[0].code == "PAGE_TOKEN_INVALID"


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

TARGET = numbers.DecimalSpec("Target", integer_digits=12, scale=2)
REALISASI = numbers.DecimalSpec("Realisasi", integer_digits=12, scale=4)
JUMLAH = numbers.DecimalSpec("Jumlah", integer_digits=4, scale=0, minimum=Decimal(1), maximum=Decimal(1000))
SELISIH = numbers.DecimalSpec("Selisih", scale=2, allow_negative=True, minimum=Decimal("-1000.5"))


def _number(spec: numbers.DecimalSpec, value: str) -> Decimal | str | None:
    v = Violations()
    found = numbers.parse(v, "n", spec, value)
    if v:
        assert found is None
        return v.items[0].code
    return found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # what is answered is what is stored: quantised to the field's scale, never rounded
        ("4,29", Decimal("4.29")),
        ("4.29", Decimal("4.29")),  # a dot that cannot group thousands is the API's own decimal form
        ("0.125", "TOO_PRECISE"),
        ("86", Decimal("86.00")),
        (" 86 ", Decimal("86")),
        ("007", Decimal("7")),
        ("0", Decimal("0")),
        ("0,5", Decimal("0.5")),
        ("1,2500", Decimal("1.25")),  # trailing zeros lose nothing
        ("1250,5", Decimal("1250.5")),
        ("1250.5", Decimal("1250.5")),
        # thousands: dots in groups of three, alone or before a decimal comma
        ("1.250.000", Decimal("1250000")),
        ("1.250,5", Decimal("1250.5")),
        ("1.000.000,25", Decimal("1000000.25")),
        ("12.345.678,9", Decimal("12345678.9")),
        # ambiguous: 1250 to an Indonesian reader, 1.25 to the API's form; refused, not guessed
        ("1.250", "AMBIGUOUS_NUMBER"),
        ("1,250", "AMBIGUOUS_NUMBER"),
        ("999.999", "AMBIGUOUS_NUMBER"),
        ("1.25", Decimal("1.25")),
        ("0.250", Decimal("0.25")),  # a leading 0 groups nothing
        ("1234.567", "TOO_PRECISE"),  # four digits before the dot group nothing either
        # malformed groups and other notations
        ("1.25.000", "INVALID_NUMBER"),
        ("1.2500,5", "INVALID_NUMBER"),
        ("01.250,5", "INVALID_NUMBER"),
        ("1,250.5", "INVALID_NUMBER"),  # English grouping
        ("1,250,000", "INVALID_NUMBER"),
        ("4,2,9", "INVALID_NUMBER"),
        ("1 250", "INVALID_NUMBER"),
        ("1_000", "INVALID_NUMBER"),
        ("+5", "INVALID_NUMBER"),
        (",5", "INVALID_NUMBER"),
        ("5,", "INVALID_NUMBER"),
        ("abc", "INVALID_NUMBER"),
        ("NaN", "INVALID_NUMBER"),
        ("Infinity", "INVALID_NUMBER"),
        ("1e3", "INVALID_NUMBER"),
        ("1e-100000", "INVALID_NUMBER"),
        ("1e-999999999", "INVALID_NUMBER"),
        ("1E+5", "INVALID_NUMBER"),
        ("\u0663", "INVALID_DIGIT"),  # Arabic-Indic three
        ("1\u0663", "INVALID_DIGIT"),
        ("\uff13", "INVALID_DIGIT"),  # full-width three
        ("1\x00", "INVALID_NUMBER"),
        # sign
        ("-0", Decimal("0")),
        ("-0,00", Decimal("0")),
        ("-5", "INVALID_NUMBER"),
        ("-0,5", "INVALID_NUMBER"),
        ("--5", "INVALID_NUMBER"),
        ("-", "INVALID_NUMBER"),
        # bounds: digits before and after the mark
        ("999999999999,99", Decimal("999999999999.99")),
        ("1000000000000", "TOO_LARGE"),
        ("999.999.999.999", Decimal("999999999999")),
        ("1" * 65, "TOO_LARGE"),
        ("0," + "0" * 60 + "1", "TOO_PRECISE"),
        ("", None),
        ("   ", None),
    ],
)
def test_target(value: str, expected: Decimal | str | None) -> None:
    found = _number(TARGET, value)
    assert found == expected
    if isinstance(found, Decimal):
        assert found.as_tuple().exponent == -2  # exactly the stored scale
        assert numbers.decimal_text(found) == numbers.decimal_text(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.23456", "TOO_PRECISE"),
        ("1,23456", "TOO_PRECISE"),
        ("0.00001", "TOO_PRECISE"),
        ("1,2345", Decimal("1.2345")),
        ("0.0001", Decimal("0.0001")),
        ("2,5", Decimal("2.5")),
    ],
)
def test_realisasi(value: str, expected: Decimal | str) -> None:
    assert _number(REALISASI, value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", Decimal(12)),
        ("1,5", "TOO_PRECISE"),
        ("1,0", Decimal(1)),
        ("0", "TOO_SMALL"),
        ("1.000", "AMBIGUOUS_NUMBER"),
        ("1001", "TOO_LARGE"),
        ("12345", "TOO_LARGE"),
        ("-0", "TOO_SMALL"),
    ],
)
def test_bounds(value: str, expected: Decimal | str) -> None:
    assert _number(JUMLAH, value) == expected


def test_negative_when_allowed() -> None:
    assert _number(SELISIH, "-1.000,5") == Decimal("-1000.5")
    assert _number(SELISIH, "-1.000,51") == "TOO_SMALL"
    assert _number(SELISIH, "-0") == Decimal(0)


def test_messages_name_the_rule_and_show_how_to_write_it() -> None:
    v = Violations()
    numbers.parse(v, "a", REALISASI, "1.23456")
    numbers.parse(v, "b", TARGET, "1.250")
    numbers.parse(v, "c", TARGET, "\u0663")
    numbers.parse(v, "d", TARGET, "1e-100000")
    numbers.parse(v, "e", JUMLAH, "1,5")
    numbers.parse(v, "f", JUMLAH, "2000")
    numbers.parse(v, "g", numbers.DecimalSpec("Nilai", maximum=Decimal("1250000.5")), "2000000")
    assert [i.message for i in v.items] == [
        "Realisasi paling banyak 4 angka di belakang koma.",
        "Target 1.250 dapat dibaca dua cara. Tulis 1250 untuk bilangan bulat, atau 1,25 untuk pecahan "
        "(gunakan koma sebagai tanda desimal).",
        "Target hanya boleh memakai angka 0-9.",
        "Target tidak boleh memakai eksponen (e); tulis angkanya lengkap.",
        "Jumlah harus bilangan bulat.",
        "Jumlah paling besar 1.000.",
        "Nilai paling besar 1.250.000,5.",
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("4.30"), "4.3"),
        (Decimal("86.0"), "86"),
        (Decimal("0.000"), "0"),
        (Decimal("-0.00"), "0"),
        (Decimal("1250.5"), "1250.5"),
        (Decimal("1E+3"), "1000"),
        (Decimal("0.05"), "0.05"),
        (None, ""),
    ],
)
def test_decimal_text(value: Decimal | None, text: str) -> None:
    assert numbers.decimal_text(value) == text


@pytest.mark.parametrize("value", ["0.05", "4.3", "1250.5", "86", "0", "999999999999.99"])
def test_answered_text_reads_back_as_the_same_value(value: str) -> None:
    """What the API answers (decimal_text of a stored value with at most two decimals) is accepted back
    unchanged: an edit form that sends a value it was given never changes it."""
    stored = _number(TARGET, value)
    assert isinstance(stored, Decimal)
    assert _number(TARGET, numbers.decimal_text(stored)) == stored


def test_a_year_lies_between_the_first_and_next_year() -> None:
    from datetime import date

    today = date(2026, 12, 1)
    assert fields.tahun(2027, today) == 2027
    assert fields.tahun(0, today, optional=True) == 0
    for wrong in (0, 2019, 2028, 10671606, -1):
        with pytest.raises(InvalidArgument) as refused:
            fields.tahun(wrong, today)
        assert refused.value.violations[0].code == "INVALID_YEAR"
        assert refused.value.violations[0].message == "Tahun harus antara 2020 dan 2027."
    collected = Violations()
    assert fields.tahun(10671606, today, path="capaian.tahun", violations=collected) == 0
    with pytest.raises(InvalidArgument) as reported:
        collected.raise_if_any()
    assert [v.field for v in reported.value.violations] == ["capaian.tahun"]


def test_a_page_read_with_one_extra_row_knows_whether_another_follows() -> None:
    from kinerja_kit.paging import split_page

    ids = [uuid.uuid4() for _ in range(3)]
    rows = [(f"nama {i}", ids[i]) for i in range(3)]
    page, token = split_page(rows, 2, lambda r: r, "f")
    assert page == rows[:2]
    assert decode_page_token(token, "f") == ("nama 1", ids[1])
    assert split_page(rows, 3, lambda r: r, "f") == (rows, "")
    assert split_page([], 3, lambda r: r, "f") == ([], "")


def test_a_page_position_of_a_key_that_is_not_text() -> None:
    import datetime

    from kinerja_kit.paging import decode_page_position, split_page

    last = uuid.uuid4()
    _, token = split_page([("x", uuid.uuid4()), ("y", last)], 1, lambda r: r, "f")
    day = encode_page_token(datetime.date(2026, 1, 31).isoformat(), last, "f")
    assert decode_page_position(day, "f", datetime.date.fromisoformat) == (datetime.date(2026, 1, 31), last)
    for bad, filters in ((token, "f"), (day, "g")):  # "x" is no date; a token of another list
        with pytest.raises(InvalidArgument) as info:
            decode_page_position(bad, filters, datetime.date.fromisoformat)
        assert info.value.violations[0].code == "PAGE_TOKEN_INVALID"
