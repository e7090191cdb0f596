"""Reading forms of an exact amount of angka kredit (kinerja.angka_kredit.v1.NilaiAk): the reduced
fraction, and decimals rounded half up on the exact value, as the Pengajuan Angka Kredit form shows them
(002 §2.15: perolehan "10.9375", the formula's result "10.938", koefisien "12.5", kebutuhan "50").

Every figure is a `fractions.Fraction`; no float is ever involved. A negative amount never occurs and is
refused (ValueError: a programming error, not an input).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# Places of the two decimal forms: perolehan as the form prints it, and the formula's result.
DESIMAL = 4
TAMPIL = 3


def _checked(value: Fraction | int) -> Fraction:
    f = Fraction(value)
    if f < 0:
        raise ValueError(f"angka kredit tidak boleh negatif: {f}")
    return f


def pecahan(value: Fraction | int) -> str:
    """ "175/16", or "50" for an integer (no "/1")."""
    f = _checked(value)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def desimal(value: Fraction | int, places: int = DESIMAL) -> str:
    """The value rounded half up to `places` decimals, trailing zeros and a bare dot stripped:
    175/16 → "10.9375" (4), "10.938" (3); 25/2 → "12.5"; 50 → "50"."""
    f = _checked(value)
    scale = 10**places
    # Half up on the exact value: floor(f × 10^places + 1/2).
    scaled = (f * scale * 2 + 1) // 2
    whole, frac = divmod(int(scaled), scale)
    if places == 0 or frac == 0:
        return str(whole)
    digits = str(frac).rjust(places, "0").rstrip("0")
    return f"{whole}.{digits}"


def tampil(value: Fraction | int) -> str:
    """Three decimals half up, as the form shows a formula's result ("10.938")."""
    return desimal(value, TAMPIL)


def angka(value: Fraction | int) -> str:
    """A percentage or koefisien as the form prints it: "150", "12.5", "3.75"."""
    return desimal(value, DESIMAL)


@dataclass(frozen=True)
class NilaiAk:
    """The three reading forms of one exact amount, and the amount itself."""

    nilai: Fraction
    pecahan: str
    desimal: str
    tampil: str


def nilai_ak(value: Fraction | int) -> NilaiAk:
    f = _checked(value)
    return NilaiAk(nilai=f, pecahan=pecahan(f), desimal=desimal(f), tampil=tampil(f))


def dari_pecahan(text: str) -> Fraction:
    """The exact value back from `pecahan` ("175/16", "50"): for stored documents, not for user input."""
    return _checked(Fraction(text))
