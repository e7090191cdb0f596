"""What happened in assessment, as domain objects (mapped to protobuf once, in adapters/proto.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from assessment.domain.aturan import Predikat
from assessment.domain.distribusi import PolaHasil
from assessment.domain.model import Pelaku, Penilaian
from assessment.domain.records import CapaianOrganisasi, Keberatan, Perpanjangan, Statistik


@dataclass(frozen=True)
class PenilaianOpened:
    penilaian: Penilaian


@dataclass(frozen=True)
class RealisasiSubmitted:
    penilaian: Penilaian
    indikator_id: uuid.UUID


@dataclass(frozen=True)
class FeedbackPerilakuGiven:
    penilaian: Penilaian
    nilai: int
    oleh: Pelaku


@dataclass(frozen=True)
class UmpanBalikGiven:
    penilaian: Penilaian
    indikator_id: uuid.UUID | None
    nilai: int


@dataclass(frozen=True)
class RatingGiven:
    penilaian: Penilaian
    oleh: Pelaku


@dataclass(frozen=True)
class PredikatDitetapkan:
    """Set or changed by a rating or an approved keberatan, with the pegawai's jabatan on that day."""

    penilaian: Penilaian
    jabatan: str
    jabatan_jenis: int
    jenjang: str
    sebelumnya: Predikat | None
    tmt_jabatan: date | None = None


@dataclass(frozen=True)
class BatasDiperpanjang:
    perpanjangan: Perpanjangan


@dataclass(frozen=True)
class CapaianChanged:
    capaian: CapaianOrganisasi
    statistik: Statistik


@dataclass(frozen=True)
class CapaianDeleted:
    capaian: CapaianOrganisasi
    statistik: Statistik


@dataclass(frozen=True)
class CapaianFinalised:
    capaian: CapaianOrganisasi
    statistik: Statistik
    pola: PolaHasil


@dataclass(frozen=True)
class CapaianUnfinalised:
    capaian: CapaianOrganisasi
    statistik: Statistik


@dataclass(frozen=True)
class KeberatanFiled:
    keberatan: Keberatan


@dataclass(frozen=True)
class KeberatanExplained:
    keberatan: Keberatan


@dataclass(frozen=True)
class KeberatanDecided:
    keberatan: Keberatan


PenilaianEvent = (
    PenilaianOpened
    | RealisasiSubmitted
    | FeedbackPerilakuGiven
    | UmpanBalikGiven
    | RatingGiven
    | PredikatDitetapkan
    | BatasDiperpanjang
)
CapaianEvent = CapaianChanged | CapaianDeleted | CapaianFinalised | CapaianUnfinalised
KeberatanEvent = KeberatanFiled | KeberatanExplained | KeberatanDecided
Event = PenilaianEvent | CapaianEvent | KeberatanEvent
