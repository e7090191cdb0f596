"""Decimal input as people in Indonesia write it, checked against one spec per field; and the canonical
text a stored decimal is answered with.

Accepted: ASCII digits with an optional leading minus (where the field allows negatives); a decimal
comma ("1,25"); dots grouping thousands in groups of three, alone ("1.250.000") or before a decimal
comma ("1.250,5"); and, because the API answers decimals with a dot (the contract's machine form), a
decimal dot where it cannot be a thousands separator ("4.29", "0.125", "1250.5").

Refused, never guessed: a single separator followed by exactly three digits after a group of one to
three digits ("1.250", "1,250"), which means 1250 to one reader and 1.25 to another; exponents, "_",
"+", spaces inside, English grouping ("1,250.5"), digits of other scripts ("٣"), more integer digits
or fraction digits than the field keeps (a value is never rounded), values outside the field's range.
"-0" is zero. The parsed value is returned quantised to the field's scale: exactly what is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kinerja_kit.errors import Violations

_MAX_RAW = 64
"""Longer input is refused before it is looked at: no field keeps more than a few dozen digits."""

_PLAIN = re.compile(r"[0-9]+")
_COMMA_DECIMAL = re.compile(r"([0-9]+),([0-9]+)")
_DOT_DECIMAL = re.compile(r"([0-9]+)\.([0-9]+)")
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}")
_GROUPED = re.compile(r"([1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,([0-9]+))?")
_ENGLISH_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_EXPONENT = re.compile(r"[0-9.,]*[eE][-+]?[0-9]*")


@dataclass(frozen=True)
class DecimalSpec:
    """What one numeric field keeps: its label for messages, digits before and after the decimal
    mark, an optional range, and whether negatives are allowed."""

    label: str
    integer_digits: int = 12
    scale: int = 2
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    allow_negative: bool = False

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.scale)


def example(spec: DecimalSpec) -> str:
    """How a value of this field is written, for messages."""
    return "1250" if spec.scale == 0 else "1,25"


def decimal_text(value: Decimal | None) -> str:
    """Canonical text of a stored decimal, as the API answers it: a dot, no exponent, no trailing
    zeros ("4.30" -> "4.3", "86.0" -> "86", "1E+3" -> "1000"); "" for none."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("", "-0"):
        return "0"
    return text


def parse(violations: Violations, path: str, spec: DecimalSpec, value: str) -> Decimal | None:
    """The value of one numeric field as it will be stored, or None with a violation recorded.

    An empty value is None without a violation: whether the field is required is the caller's rule.
    Codes: INVALID_NUMBER (not a number in an accepted form, or negative), INVALID_DIGIT (digits of
    another script), AMBIGUOUS_NUMBER, TOO_PRECISE (more fraction digits than the field keeps),
    TOO_LARGE, TOO_SMALL.
    """
    label = spec.label
    raw = value.strip()
    if not raw:
        return None
    if len(raw) > _MAX_RAW:
        violations.add(path, "TOO_LARGE", f"{label} terlalu panjang untuk sebuah angka.")
        return None
    negative = raw.startswith("-")
    body = raw[1:] if negative else raw
    problem = _syntax_problem(body, spec)
    if problem is not None:
        violations.add(path, *problem)
        return None
    integer, fraction = _split(body)
    fraction = fraction.rstrip("0")
    integer = integer.lstrip("0")
    if len(fraction) > spec.scale:
        message = (
            f"{label} harus bilangan bulat."
            if spec.scale == 0
            else f"{label} paling banyak {spec.scale} angka di belakang koma."
        )
        violations.add(path, "TOO_PRECISE", message)
        return None
    if len(integer) > spec.integer_digits:
        violations.add(path, "TOO_LARGE", f"{label} paling banyak {spec.integer_digits} angka sebelum koma.")
        return None
    number = Decimal(f"{integer or '0'}.{fraction or '0'}")
    if negative and number != 0:
        if not spec.allow_negative:
            violations.add(path, "INVALID_NUMBER", f"{label} tidak boleh negatif.")
            return None
        number = -number
    if spec.minimum is not None and number < spec.minimum:
        violations.add(path, "TOO_SMALL", f"{label} paling kecil {_indonesian(spec.minimum)}.")
        return None
    if spec.maximum is not None and number > spec.maximum:
        violations.add(path, "TOO_LARGE", f"{label} paling besar {_indonesian(spec.maximum)}.")
        return None
    return number.quantize(spec.quantum)


def _syntax_problem(body: str, spec: DecimalSpec) -> tuple[str, str] | None:
    label = spec.label
    if any(c.isdigit() and not c.isascii() for c in body):
        return "INVALID_DIGIT", f"{label} hanya boleh memakai angka 0-9."
    if _EXPONENT.fullmatch(body):
        return "INVALID_NUMBER", f"{label} tidak boleh memakai eksponen (e); tulis angkanya lengkap."
    if _PLAIN.fullmatch(body):
        return None
    if _AMBIGUOUS.fullmatch(body):
        head, tail = body[:-4], body[-3:]
        return (
            "AMBIGUOUS_NUMBER",
            f"{label} {body} dapat dibaca dua cara. Tulis {head}{tail} untuk bilangan bulat, atau "
            f"{head},{tail.rstrip('0') or '0'} untuk pecahan (gunakan koma sebagai tanda desimal).",
        )
    if _GROUPED.fullmatch(body) or _COMMA_DECIMAL.fullmatch(body) or _DOT_DECIMAL.fullmatch(body):
        return None
    if _ENGLISH_GROUPED.fullmatch(body):
        return (
            "INVALID_NUMBER",
            f"{label}: gunakan titik sebagai pemisah ribuan dan koma sebagai tanda desimal, mis. 1.250,5.",
        )
    return "INVALID_NUMBER", f"{label} harus berupa angka, mis. 1250 atau {example(spec)}."


def _split(body: str) -> tuple[str, str]:
    """Integer and fraction digits of a body that passed `_syntax_problem`."""
    if _PLAIN.fullmatch(body):
        return body, ""
    grouped = _GROUPED.fullmatch(body)
    if grouped is not None:
        return grouped.group(1).replace(".", ""), grouped.group(2) or ""
    found = _COMMA_DECIMAL.fullmatch(body) or _DOT_DECIMAL.fullmatch(body)
    assert found is not None
    return found.group(1), found.group(2)


def _indonesian(value: Decimal) -> str:
    """A bound as an Indonesian reader writes it: thousands dots, decimal comma."""
    text = decimal_text(value)
    integer, _, fraction = text.lstrip("-").partition(".")
    groups = f"{int(integer):,}".replace(",", ".")
    sign = "-" if text.startswith("-") else ""
    return f"{sign}{groups},{fraction}" if fraction else f"{sign}{groups}"
