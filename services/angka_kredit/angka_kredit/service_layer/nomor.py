"""The SK number format of automatic numbering (adapter until the domain's `penomoran` is in place):
{nomor} (required, once), {nomor:N} (zero-padded to N, 1-8), {tahun}, {bulan}, {bulan_romawi}; no other
braces; a rendering is at most 50 characters (a format that could exceed it with a 6-digit number is
refused)."""

from __future__ import annotations

import re

from angka_kredit.domain.errors import FormatNomorTidakSah, NomorTidakSah

FORMAT_BAWAAN = "{nomor}/PAK/{tahun}"
MAX_NOMOR = 50
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::(\d+))?\}")


def periksa_format(format_nomor: str) -> None:
    found = list(_PLACEHOLDER.finditer(format_nomor))
    rest = _PLACEHOLDER.sub("", format_nomor)
    if "{" in rest or "}" in rest:
        raise FormatNomorTidakSah("kurung kurawal hanya untuk {nomor}, {tahun}, {bulan} dan {bulan_romawi}.")
    nomor = 0
    for match in found:
        name, pad = match.group(1), match.group(2)
        if name not in ("nomor", "tahun", "bulan", "bulan_romawi") or (pad and name != "nomor"):
            raise FormatNomorTidakSah(f"{match.group(0)} tidak dikenal.")
        if name == "nomor":
            nomor += 1
            if pad is not None and not 1 <= int(pad) <= 8:
                raise FormatNomorTidakSah("{nomor:N} hanya untuk N 1 sampai 8.")
    if nomor != 1:
        raise FormatNomorTidakSah("format harus memuat {nomor} tepat satu kali.")
    if len(_render(format_nomor, 999_999, 2099, 12)) > MAX_NOMOR:
        raise FormatNomorTidakSah(f"nomor yang dihasilkan bisa lebih dari {MAX_NOMOR} karakter.")


def _render(format_nomor: str, nomor: int, tahun: int, bulan: int) -> str:
    def one(match: re.Match[str]) -> str:
        name, pad = match.group(1), match.group(2)
        if name == "nomor":
            return str(nomor).rjust(int(pad), "0") if pad else str(nomor)
        if name == "tahun":
            return str(tahun)
        if name == "bulan":
            return f"{bulan:02d}"
        return ROMAWI[bulan - 1]

    return _PLACEHOLDER.sub(one, format_nomor)


def render(format_nomor: str, nomor: int, tahun: int, bulan: int) -> str:
    if nomor < 1:
        raise NomorTidakSah("nomor urut harus 1 atau lebih.")
    text = _render(format_nomor, nomor, tahun, bulan)
    if len(text) > MAX_NOMOR:
        raise NomorTidakSah(f"nomor lebih dari {MAX_NOMOR} karakter.")
    return text
