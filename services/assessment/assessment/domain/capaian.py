"""The rules of capaian kinerja organisasi: input, one per unit and periode, final and back."""

from __future__ import annotations

import uuid
from datetime import datetime

from assessment.domain.aturan import Capaian
from assessment.domain.model import Pelaku
from assessment.domain.penilaian import http_url
from assessment.domain.records import CapaianOrganisasi
from kinerja_kit.errors import FailedPrecondition, Violations

SUDAH_FINAL = (
    "CAPAIAN_SUDAH_FINAL",
    "Capaian kinerja organisasi ini sudah final: batalkan finalisasi terlebih dahulu untuk mengubahnya.",
)


def capaian_value(violations: Violations, value: int) -> Capaian | None:
    if value == 0:
        violations.add("capaian.capaian", "REQUIRED", "Capaian kinerja organisasi wajib dipilih.")
        return None
    try:
        return Capaian(value)
    except ValueError:
        violations.add("capaian.capaian", "INVALID_CAPAIAN", "Capaian kinerja organisasi tidak dikenal.")
        return None


def bukti_url(violations: Violations, value: str) -> str:
    return http_url(violations, "capaian.bukti_dukung_url", "Tautan bukti dukung", value, required=False)


def require_not_final(item: CapaianOrganisasi) -> None:
    if item.final:
        raise FailedPrecondition(*SUDAH_FINAL)


def change(item: CapaianOrganisasi, capaian: Capaian, url: str, oleh: Pelaku, now: datetime) -> None:
    """An edit by an admin, only while not final."""
    require_not_final(item)
    item.capaian, item.bukti_dukung_url, item.diubah_oleh = capaian, url, oleh
    item.version += 1
    item.updated_at = now


def finalise(item: CapaianOrganisasi, oleh: Pelaku, now: datetime) -> None:
    require_not_final(item)
    item.final, item.finalised_at, item.diubah_oleh = True, now, oleh
    item.version += 1
    item.updated_at = now


def unfinalise(item: CapaianOrganisasi, oleh: Pelaku, now: datetime) -> None:
    if not item.final:
        raise FailedPrecondition("CAPAIAN_BELUM_FINAL", "Capaian kinerja organisasi ini belum final.")
    item.final, item.finalised_at, item.diubah_oleh = False, None, oleh
    item.version += 1
    item.updated_at = now


def new(
    *,
    capaian_id: uuid.UUID,
    instansi_id: uuid.UUID,
    tahun: int,
    periode_id: uuid.UUID,
    unor_id: uuid.UUID,
    unor_nama: str,
    capaian: Capaian,
    url: str,
    oleh: Pelaku,
    now: datetime,
) -> CapaianOrganisasi:
    return CapaianOrganisasi(
        id=capaian_id,
        instansi_id=instansi_id,
        tahun=tahun,
        periode_id=periode_id,
        unor_id=unor_id,
        unor_nama=unor_nama,
        capaian=capaian,
        bukti_dukung_url=url,
        diubah_oleh=oleh,
        created_at=now,
        updated_at=now,
    )
