"""Capaian kinerja organisasi (admin), pola distribusi and kalibrasi (admins and the unit's head)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from assessment.domain import capaian as rules
from assessment.domain.aturan import Predikat
from assessment.domain.distribusi import PolaHasil, periksa_pola
from assessment.domain.events import CapaianChanged, CapaianDeleted, CapaianFinalised, CapaianUnfinalised
from assessment.domain.model import Penilaian, Periode, Unor
from assessment.domain.penilaian import PERIODE_NOT_FOUND
from assessment.domain.records import CapaianOrganisasi, Lingkup, PenilaianQuery, Statistik
from assessment.service_layer.common import Authority, Deps, Listed
from assessment.service_layer.ports import Store
from kinerja_kit import fields
from kinerja_kit.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    NotFound,
    PermissionDenied,
    Violations,
)
from kinerja_kit.handlers import caller, parse_id, raise_integrity, require_admin
from kinerja_kit.paging import (
    MIN_QUERY,
    bad_argument,
    decode_page_token,
    fingerprint,
    page_size,
    split_page,
)

CAPAIAN_NOT_FOUND = ("CAPAIAN_NOT_FOUND", "Capaian kinerja organisasi tidak ditemukan.")
UNOR_NOT_FOUND = ("UNOR_NOT_FOUND", "Unit kerja tidak ditemukan.")
SUDAH_ADA = AlreadyExists(
    "CAPAIAN_SUDAH_ADA", "Capaian kinerja organisasi unit kerja ini untuk periode tersebut sudah ada."
)


@dataclass(frozen=True)
class CapaianInput:
    tahun: int
    periode_id: str
    unor_id: str
    capaian: int
    bukti_dukung_url: str


def _unit_kerja(store: Store, unor_id: uuid.UUID) -> Unor:
    unor = store.unor(unor_id)
    if unor is None:
        raise NotFound("UNOR_NOT_FOUND", "Unit kerja tidak ditemukan di instansi ini.")
    if not unor.is_unit_kerja:
        raise FailedPrecondition(
            "BUKAN_UNIT_KERJA", "Capaian kinerja organisasi hanya untuk unit kerja JPT atau unit mandiri."
        )
    return unor


def _periode(store: Store, periode_id: uuid.UUID) -> Periode:
    periode = store.periode(periode_id)
    if periode is None:
        raise NotFound(*PERIODE_NOT_FOUND)
    return periode


def _with_statistik(store: Store, item: CapaianOrganisasi) -> tuple[CapaianOrganisasi, Statistik]:
    return item, store.statistik(item.unor_id, _periode(store, item.periode_id), item.tahun)


def set_capaian(
    deps: Deps, capaian_id: str, given: CapaianInput, expected_version: int = 0
) -> tuple[CapaianOrganisasi, Statistik]:
    """Adds a unit's capaian for a periode (empty id), or changes its value and link (not while final)."""
    principal = caller()
    require_admin(principal)
    violations = Violations()
    value = rules.capaian_value(violations, given.capaian)
    url = rules.bukti_url(violations, given.bukti_dukung_url)
    periode_id = unor_id = None
    if not capaian_id.strip():
        periode_id = fields.reference(violations, "capaian.periode_id", "Periode", given.periode_id)
        unor_id = fields.reference(violations, "capaian.unor_id", "Unit kerja", given.unor_id)
        # Each empty one is reported (a malformed one already is, as INVALID_ID).
        if not given.periode_id.strip():
            violations.add("capaian.periode_id", "REQUIRED", "Periode wajib dipilih.")
        if not given.unor_id.strip():
            violations.add("capaian.unor_id", "REQUIRED", "Unit kerja wajib dipilih.")
        fields.tahun(given.tahun, deps.clock(), path="capaian.tahun", violations=violations)
    violations.raise_if_any()
    assert value is not None
    oleh = Authority(deps, principal).pelaku()
    now = deps.now()
    try:
        with deps.stores.transaction() as store:
            if capaian_id.strip():
                item = store.capaian(parse_id(capaian_id, *CAPAIAN_NOT_FOUND), for_update=True)
                if item is None:
                    raise NotFound(*CAPAIAN_NOT_FOUND)
                if expected_version and expected_version != item.version:
                    raise Conflict()
                rules.change(item, value, url, oleh, now)
            else:
                assert periode_id is not None and unor_id is not None
                _periode(store, periode_id)
                unit = _unit_kerja(store, unor_id)
                if store.capaian_of(given.tahun, periode_id, unor_id) is not None:
                    raise SUDAH_ADA
                item = rules.new(
                    capaian_id=store.new_id(),
                    instansi_id=principal.tenant_id,
                    tahun=given.tahun,
                    periode_id=periode_id,
                    unor_id=unor_id,
                    unor_nama=unit.nama,
                    capaian=value,
                    url=url,
                    oleh=oleh,
                    now=now,
                )
            store.save_capaian(item)
            item, statistik = _with_statistik(store, store.capaian(item.id) or item)
            store.emit(CapaianChanged(item, statistik))
            store.commit()
            return item, statistik
    except IntegrityError as error:  # a concurrent twin committed first
        raise_integrity(error, {"capaian_one_per_unit": SUDAH_ADA})
        raise


def _locked(store: Store, capaian_id: str, expected_version: int = 0) -> CapaianOrganisasi:
    item = store.capaian(parse_id(capaian_id, *CAPAIAN_NOT_FOUND), for_update=True)
    if item is None:
        raise NotFound(*CAPAIAN_NOT_FOUND)
    if expected_version and expected_version != item.version:
        raise Conflict()
    return item


def delete_capaian(deps: Deps, capaian_id: str) -> None:
    """Removes a capaian that is not final."""
    require_admin(caller())
    with deps.stores.transaction() as store:
        item = _locked(store, capaian_id)
        rules.require_not_final(item)
        item, statistik = _with_statistik(store, item)
        store.delete_capaian(item)
        store.emit(CapaianDeleted(item, statistik))
        store.commit()


def _pola(store: Store, item: CapaianOrganisasi, statistik: Statistik, deps: Deps) -> PolaHasil:
    return periksa_pola(item.capaian, statistik.per_predikat, deps.clock())


def finalise_capaian(
    deps: Deps, capaian_id: str, expected_version: int = 0
) -> tuple[CapaianOrganisasi, Statistik]:
    """Makes a capaian final (its unit's ratings can no longer be changed by the penilai); the event
    carries the pola distribusi as it stands."""
    principal = caller()
    require_admin(principal)
    oleh = Authority(deps, principal).pelaku()
    with deps.stores.transaction() as store:
        item = _locked(store, capaian_id, expected_version)
        rules.finalise(item, oleh, deps.now())
        store.save_capaian(item)
        item, statistik = _with_statistik(store, item)
        store.emit(CapaianFinalised(item, statistik, _pola(store, item, statistik, deps)))
        store.commit()
        return item, statistik


def unfinalise_capaian(
    deps: Deps, capaian_id: str, expected_version: int = 0
) -> tuple[CapaianOrganisasi, Statistik]:
    principal = caller()
    require_admin(principal)
    oleh = Authority(deps, principal).pelaku()
    with deps.stores.transaction() as store:
        item = _locked(store, capaian_id, expected_version)
        rules.unfinalise(item, oleh, deps.now())
        store.save_capaian(item)
        item, statistik = _with_statistik(store, item)
        store.emit(CapaianUnfinalised(item, statistik))
        store.commit()
        return item, statistik


def list_capaian(
    deps: Deps, tahun: int, periode_id: str, query: str, size: int, token: str
) -> Listed[tuple[CapaianOrganisasi, Statistik]]:
    """The instansi's capaian (admins), by unit name, paged, each with its statistik (counted within its
    unit), and how many (up to the count limit)."""
    if not caller().is_admin:
        raise PermissionDenied("ADMIN_REQUIRED", "Hanya admin yang dapat melihat capaian kinerja organisasi.")
    violations = Violations()
    periode = fields.reference(violations, "periode_id", "Periode", periode_id)
    violations.raise_if_any()
    nama = fields.search_query(query)
    if nama and sum(c.isalpha() for c in nama) < MIN_QUERY:
        raise bad_argument("query", "QUERY_TOO_SHORT", "Ketik minimal 3 huruf nama unit kerja.")
    limit = page_size(size)
    filters = fingerprint("capaian", tahun, periode_id, nama)
    after = decode_page_token(token, filters) if token else None
    with deps.stores.transaction() as store:
        found, next_token = split_page(
            store.list_capaian(tahun, periode, nama, after, limit + 1),
            limit,
            lambda c: (c.unor_nama, c.id),
            filters,
        )
        total, exact = store.count_capaian(tahun, periode, nama)
        return Listed([_with_statistik(store, item) for item in found], next_token, total, exact)


@dataclass(frozen=True)
class Pola:
    unor: Unor
    periode: Periode
    tahun: int
    capaian: CapaianOrganisasi | None
    statistik: Statistik
    hasil: PolaHasil


def _require_unit_reader(deps: Deps, authority: Authority, unor_id: uuid.UUID) -> None:
    """Admins, and the head of the unit today (who leads it, or leads it as PLT/PLH in force)."""
    if authority.principal.is_admin:
        return
    if unor_id in authority.led():
        return
    raise PermissionDenied(
        "BUKAN_PIMPINAN_UNIT",
        "Hanya admin dan pimpinan unit kerja ini yang dapat melihat pola distribusinya.",
    )


def _unit_periode(deps: Deps, unor_id: str, periode_id: str) -> tuple[Authority, uuid.UUID, uuid.UUID]:
    authority = Authority(deps, caller())
    unit = parse_id(unor_id, *UNOR_NOT_FOUND)
    periode = parse_id(periode_id, *PERIODE_NOT_FOUND)
    _require_unit_reader(deps, authority, unit)
    return authority, unit, periode


def get_pola_distribusi(deps: Deps, unor_id: str, periode_id: str, tahun: int) -> Pola:
    """A unit's current mix of predikat against the bounds its capaian allows (the live guardrail)."""
    _, unit, periode_id_ = _unit_periode(deps, unor_id, periode_id)
    with deps.stores.transaction() as store:
        unor = _unit_kerja(store, unit)
        periode = _periode(store, periode_id_)
        capaian = store.capaian_of(tahun, periode.id, unit)
        statistik = store.statistik(unit, periode, tahun)
    hasil = periksa_pola(capaian.capaian if capaian else None, statistik.per_predikat, deps.clock())
    return Pola(unor, periode, tahun, capaian, statistik, hasil)


def list_kalibrasi(
    deps: Deps, unor_id: str, periode_id: str, tahun: int, predikat: int, size: int, token: str
) -> Listed[Penilaian]:
    """The unit's penilaian for a periode, by predikat (one predikat, or all), paged by name, and how many
    (up to the count limit; the pola distribusi has the unit's exact counts per predikat)."""
    _, unit, periode = _unit_periode(deps, unor_id, periode_id)
    if predikat and predikat not in {int(p) for p in Predikat}:
        raise bad_argument("predikat", "INVALID_PREDIKAT", "Predikat tidak dikenal.")
    limit = page_size(size)
    filters = fingerprint("kalibrasi", unor_id, periode_id, tahun, predikat)
    after = decode_page_token(token, filters) if token else None
    query = PenilaianQuery(
        lingkup=Lingkup(kind="INSTANSI"),
        tahun=tahun,
        periode_id=periode,
        unit_kerja_id=unit,
        predikat=predikat,
    )
    with deps.stores.transaction() as store:
        found = store.list_penilaian(query, after, limit + 1)
        total, exact = store.count_penilaian(query)
    page, next_token = split_page(found, limit, lambda p: (p.skp.pegawai.nama, p.id), filters)
    return Listed(page, next_token, total, exact)
