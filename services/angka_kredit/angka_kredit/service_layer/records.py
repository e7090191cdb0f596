"""The stored shape of a PAK and of the instansi's pengaturan, as the service layer handles them.

A PAK's header (who, which periode, the exact AK, the SK number, status) is columns; what is read only
whole (the perhitungan, the two kumulatif, the perubahan, the riwayat, the signature, pending figures) is
one JSON document holding the contract's own messages (`google.protobuf.json_format`), so what is stored
is what is answered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from angka_kredit.domain.penomoran import FORMAT_BAKU

DRAFT, DIAJUKAN, DISETUJUI, DITANDATANGANI = "DRAFT", "DIAJUKAN", "DISETUJUI", "DITANDATANGANI"
STATUSES = (DRAFT, DIAJUKAN, DISETUJUI, DITANDATANGANI)
KONVERSI, INTEGRASI = "KONVERSI", "INTEGRASI"
OTOMATIS, MANUAL = "OTOMATIS", "MANUAL"
FORMAT_BAWAAN = FORMAT_BAKU


@dataclass
class PakRecord:
    instansi_id: uuid.UUID
    id: uuid.UUID
    sumber: str
    status: str
    tahun: int
    pegawai_id: uuid.UUID
    nip: str
    nama: str
    jabatan: str
    jenjang: str
    golongan: str
    tmt_jabatan: date | None
    skp_id: uuid.UUID | None
    periode_id: uuid.UUID | None
    penilaian_id: uuid.UUID | None
    tanggal_mulai: date
    tanggal_selesai: date
    ak: Fraction
    penilai_id: uuid.UUID | None
    nomor_sk: str | None = None
    tahun_sk: int | None = None
    tempat: str = ""
    tanggal_sk: date | None = None
    perlu_pak_baru: bool = False
    dokumen: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def predikat(self) -> int:
        return int(self.dokumen.get("predikat", 0))


@dataclass
class Pengaturan:
    instansi_id: uuid.UUID
    mode: str = OTOMATIS
    format_nomor: str = FORMAT_BAWAAN
    tempat: str = ""
    version: int = 0
    updated_at: datetime | None = None
    diubah_oleh: dict[str, str] | None = None


@dataclass(frozen=True)
class Berkas:
    pak_id: uuid.UUID
    sha256: str
    nama_berkas: str
    ukuran: int
    isi: bytes
