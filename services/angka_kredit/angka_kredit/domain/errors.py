"""The domain errors of angka kredit: each a kit error (so it maps to one gRPC status) with a stable code
and an Indonesian message. Codes and messages follow the shared spec of the angka kredit service (issue 11)
and the manual's wording (002 §2.6, §2.14-2.15).

Refusals of an input field are kit `InvalidArgument` (reason INVALID_ARGUMENT, the kit's convention) with
one field violation whose `code` is the stable code here (`NOMOR_SK_WAJIB` on field `nomor_sk`); every
other error carries its code as `reason`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kinerja_kit.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)

PAK_NOT_FOUND = ("PAK_NOT_FOUND", "PAK tidak ditemukan.")


class _Field(InvalidArgument):
    """One refused field: reason INVALID_ARGUMENT, the stable code on the violation (and as `code`)."""

    code = "INVALID"
    field_path = ""

    def __init__(self, message: str, field_path: str | None = None) -> None:
        path = field_path if field_path is not None else self.field_path
        super().__init__([FieldViolation(path, self.code, message)], message)


class PakTidakDitemukan(NotFound):
    def __init__(self) -> None:
        super().__init__(*PAK_NOT_FOUND)


class StatusTidakSesuai(FailedPrecondition):
    """The action is not open to a PAK in this status."""

    def __init__(self, status: Any, boleh: Iterable[Any]) -> None:
        allowed = [label_status(s) for s in boleh]
        super().__init__(
            "STATUS_TIDAK_SESUAI",
            f"PAK berstatus {label_status(status)}: tindakan ini hanya untuk PAK {' atau '.join(allowed)}.",
        )


def label_status(status: Any) -> str:
    """ "Draft", "Diajukan", "Disetujui", "Ditandatangani" (an enum member's name in title case)."""
    name = getattr(status, "name", str(status))
    return str(name).replace("_", " ").title()


class NomorSkWajib(_Field):
    code = "NOMOR_SK_WAJIB"
    field_path = "nomor_sk"

    def __init__(self) -> None:
        super().__init__("Nomor SK PAK wajib diisi (penomoran manual).")


class NomorSkTerlaluPanjang(_Field):
    code = "NOMOR_SK_TERLALU_PANJANG"
    field_path = "nomor_sk"

    def __init__(self, batas: int) -> None:
        super().__init__(f"Nomor SK PAK paling banyak {batas} karakter.")


class NomorSkTidakDiisiOtomatis(_Field):
    code = "NOMOR_SK_TIDAK_DIISI_OTOMATIS"
    field_path = "nomor_sk"

    def __init__(self) -> None:
        super().__init__(
            "Nomor SK PAK diberikan otomatis saat PAK disetujui (penomoran otomatis): kosongkan nomor SK."
        )


class NomorSkTerpakai(AlreadyExists):
    def __init__(self, nomor: str, tahun: int) -> None:
        message = f"Nomor SK PAK {nomor} sudah dipakai di instansi ini pada tahun {tahun}."
        super().__init__(
            "NOMOR_SK_TERPAKAI", message, [FieldViolation("nomor_sk", "NOMOR_SK_TERPAKAI", message)]
        )


class TempatWajib(_Field):
    code = "TEMPAT_WAJIB"
    field_path = "tempat"

    def __init__(self) -> None:
        super().__init__("Tempat/lokasi penandatangan wajib diisi.")


class TempatTerlaluPanjang(_Field):
    code = "TEMPAT_TERLALU_PANJANG"
    field_path = "tempat"

    def __init__(self, batas: int) -> None:
        super().__init__(f"Tempat/lokasi penandatangan paling banyak {batas} karakter.")


class TanggalSkWajib(_Field):
    code = "TANGGAL_SK_WAJIB"
    field_path = "tanggal_sk"

    def __init__(self) -> None:
        super().__init__("Tanggal SK wajib diisi.")


class AlasanWajib(_Field):
    code = "ALASAN_WAJIB"
    field_path = "alasan"

    def __init__(self) -> None:
        super().__init__("Alasan wajib diisi.")


class AlasanTerlaluPanjang(_Field):
    code = "ALASAN_TERLALU_PANJANG"
    field_path = "alasan"

    def __init__(self, batas: int) -> None:
        super().__init__(f"Alasan paling banyak {batas} karakter.")


class TeksTidakSah(_Field):
    """A text with a character no field accepts (kit fields: control characters, overrides...)."""

    code = "INVALID_CHARACTER"

    def __init__(self, field_path: str, label: str) -> None:
        super().__init__(f"{label} berisi karakter yang tidak diizinkan.", field_path)


class BerkasBukanPdf(_Field):
    code = "BERKAS_BUKAN_PDF"
    field_path = "berkas"

    def __init__(self) -> None:
        super().__init__("Berkas SK harus PDF.")


class BerkasTerlaluBesar(_Field):
    code = "BERKAS_TERLALU_BESAR"
    field_path = "berkas"

    def __init__(self) -> None:
        super().__init__("Ukuran berkas paling besar 1 MB.")


class FormatNomorTidakSah(_Field):
    code = "FORMAT_NOMOR_TIDAK_SAH"
    field_path = "format_nomor"

    def __init__(self, sebab: str) -> None:
        super().__init__(f"Format nomor SK PAK tidak sah: {sebab}")


class BukanJabatanFungsional(FailedPrecondition):
    def __init__(self) -> None:
        super().__init__(
            "BUKAN_JABATAN_FUNGSIONAL",
            "Pegawai ini tidak menduduki jabatan fungsional: angka kredit hanya untuk jabatan fungsional.",
        )


class JenjangTidakDikenal(FailedPrecondition):
    def __init__(self, jenjang: str, versi: str) -> None:
        shown = jenjang.strip() or "(kosong)"
        super().__init__(
            "JENJANG_TIDAK_DIKENAL",
            f"Jenjang jabatan fungsional {shown} tidak dikenal dalam aturan angka kredit {versi}.",
        )


class PredikatTidakDikenal(FailedPrecondition):
    def __init__(self, predikat: object) -> None:
        super().__init__(
            "PREDIKAT_TIDAK_DIKENAL", f"Predikat kinerja {predikat} tidak dikenal dalam aturan angka kredit."
        )


class NomorTidakSah(FailedPrecondition):
    """An automatic number that cannot be rendered (below 1, or a rendering longer than 50 characters)."""

    def __init__(self, sebab: str) -> None:
        super().__init__("NOMOR_SK_TIDAK_SAH", f"Nomor SK PAK tidak dapat dibuat: {sebab}")


class VersiBerbeda(Conflict):
    """expected_version mismatch: reason VERSION_CONFLICT (the kit's Conflict)."""

    def __init__(self) -> None:
        super().__init__()


class BukanPenilai(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            "BUKAN_PENILAI",
            "Hanya pejabat penilai hari ini atau admin instansi yang dapat menyetujui PAK ini.",
        )
