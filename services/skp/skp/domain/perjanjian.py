"""Perjanjian kinerja (001): a JPT's sasaran strategis of one year, each with indikator, target and satuan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kinerja_kit import fields, numbers
from kinerja_kit.errors import FieldViolation, InvalidArgument, Violations
from kinerja_kit.ids import new_id
from skp.domain.values import MIN_YEAR, TARGET_SASARAN, decimal_text

SASARAN_TEKS_MAX = 2000
INDIKATOR_TEKS_MAX = 1000
SATUAN_MAX = 100
INDIKATOR_MAX = 20
SASARAN_MAX = 50


@dataclass(frozen=True)
class PkIndikatorInput:
    teks: str
    target: str = ""
    satuan: str = ""


@dataclass(frozen=True)
class SasaranInput:
    teks: str
    indikator: list[PkIndikatorInput] = field(default_factory=list)


def validate_tahun(tahun: int, today: date) -> int:
    if not MIN_YEAR <= tahun <= today.year + 1:
        raise InvalidArgument(
            [FieldViolation("tahun", "INVALID_YEAR", f"Tahun harus antara {MIN_YEAR} dan {today.year + 1}.")]
        )
    return tahun


def validate_sasaran(raw: SasaranInput, path: str = "sasaran") -> dict[str, Any]:
    """A sasaran strategis as stored: text and indikator, each indikator with a numeric target (or none)
    and its satuan; new ids for everything."""
    v = Violations()
    teks = fields.text(
        v, f"{path}.teks", "Sasaran strategis", raw.teks, max_len=SASARAN_TEKS_MAX, required=True
    )
    if len(raw.indikator) > INDIKATOR_MAX:
        v.add(f"{path}.indikator", "TOO_MANY", f"Indikator paling banyak {INDIKATOR_MAX}.")
    indikator = []
    for i, item in enumerate(raw.indikator):
        where = f"{path}.indikator[{i}]"
        name = fields.text(
            v, f"{where}.teks", "Indikator", item.teks, max_len=INDIKATOR_TEKS_MAX, required=True
        )
        satuan = fields.checked(v, f"{where}.satuan", "Satuan", item.satuan, max_len=SATUAN_MAX)
        target = ""
        number = numbers.parse(v, f"{where}.target", TARGET_SASARAN, item.target)
        if number is not None:
            target = decimal_text(number)
            if satuan == "":
                v.add(f"{where}.satuan", "REQUIRED", "Satuan target wajib diisi.")
        indikator.append({"id": str(new_id()), "teks": name, "target": target, "satuan": satuan or ""})
    v.raise_if_any()
    return {"id": str(new_id()), "teks": teks, "indikator": indikator}
