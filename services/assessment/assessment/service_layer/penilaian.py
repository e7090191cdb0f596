"""Commands on a penilaian: open, realisasi, perilaku feedback, umpan balik, rating."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from assessment.domain import penilaian as rules
from assessment.domain.aturan import Rating
from assessment.domain.events import (
    FeedbackPerilakuGiven,
    PenilaianOpened,
    RatingGiven,
    RealisasiSubmitted,
    UmpanBalikGiven,
)
from assessment.domain.model import Pelaku, Penilaian
from assessment.service_layer.common import (
    Authority,
    Deps,
    own_pegawai,
    penilaian_for_write,
    predikat_ditetapkan,
    refresh_tugas,
    save,
)
from kinerja_kit.errors import AlreadyExists, NotFound, PermissionDenied
from kinerja_kit.handlers import caller, parse_id, raise_integrity

NOT_OWNER = ("BUKAN_PEMILIK_SKP", "Hanya pemilik SKP yang dapat mengisi realisasinya.")


def open_penilaian(deps: Deps, skp_id: str, periode_id: str) -> Penilaian:
    """The SKP's owner opens its penilaian for a periode, once skp's rules say it is ready."""
    me = own_pegawai(caller())
    wanted_skp = parse_id(skp_id, *rules.SKP_NOT_FOUND)
    wanted_periode = parse_id(periode_id, *rules.PERIODE_NOT_FOUND)
    try:
        with deps.stores.transaction() as store:
            skp = store.skp(wanted_skp)
            # Someone else's SKP is not named: nothing says it exists.
            if skp is None or skp.deleted or skp.pegawai_id != me:
                raise NotFound(*rules.SKP_NOT_FOUND)
            periode = store.periode(wanted_periode)
            if periode is None:
                raise NotFound(*rules.PERIODE_NOT_FOUND)
            opened = rules.open_penilaian(
                skp,
                periode,
                pegawai_id=me,
                penilaian_id=store.new_id(),
                exists=store.penilaian_exists(skp.id, periode.id),
                now=deps.now(),
                batas_diperpanjang=store.batas_diperpanjang(skp, periode.id, skp.tahun),
            )
            store.add_penilaian(opened)
            refresh_tugas(store, opened)
            store.emit(PenilaianOpened(opened))
            store.commit()
            return opened
    except IntegrityError as error:  # a concurrent twin committed first
        raise_integrity(
            error,
            {
                "penilaian_one_per_periode": AlreadyExists(
                    "PENILAIAN_SUDAH_ADA", "Penilaian SKP ini untuk periode tersebut sudah dibuka."
                )
            },
        )
        raise


def set_realisasi(
    deps: Deps, penilaian_id: str, indikator_id: str, given: rules.RealisasiInput, expected_version: int = 0
) -> Penilaian:
    """The owner's realisasi of one indikator, until the batas pengisian in force."""
    authority = Authority(deps, caller())
    wanted = parse_id(indikator_id, "INDIKATOR_NOT_FOUND", "Indikator tidak ditemukan pada SKP ini.")
    with penilaian_for_write(deps, authority, penilaian_id, expected_version) as (store, found):
        if not authority.is_owner(found.skp):
            raise PermissionDenied(*NOT_OWNER)
        rules.set_realisasi(found, wanted, given, today=deps.clock(), now=deps.now(), new_id=store.new_id)
        return save(deps, store, found, RealisasiSubmitted(found, wanted))


def set_feedback_perilaku(deps: Deps, penilaian_id: str, nilai: int, feedback: str) -> Penilaian:
    """A chosen penilai perilaku's feedback on a value assigned to them, until the batas in force."""
    authority = Authority(deps, caller())
    own_pegawai(authority.principal)
    oleh = authority.pelaku()  # org is read before the row is locked
    with penilaian_for_write(deps, authority, penilaian_id) as (store, found):
        rules.set_feedback(found, nilai, oleh, feedback, today=deps.clock(), now=deps.now())
        return save(deps, store, found, FeedbackPerilakuGiven(found, nilai, oleh))


def _prepare_penilai(deps: Deps, authority: Authority, penilaian_id: str) -> tuple[Pelaku, Penilaian]:
    """Refuses anyone but the pejabat penilai of today (reading org before any row is locked); the
    caller as printed and the penilaian as it was."""
    wanted = parse_id(penilaian_id, *rules.PENILAIAN_NOT_FOUND)
    with deps.stores.transaction() as store:
        found = store.penilaian(wanted)
    if found is None or not authority.can_read(found.skp):
        raise NotFound(*rules.PENILAIAN_NOT_FOUND)
    authority.require_penilai(found.skp)
    return authority.pelaku(), found


def set_umpan_balik(
    deps: Deps, penilaian_id: str, indikator_id: str, nilai: int, umpan_balik: str
) -> Penilaian:
    """The pejabat penilai of today's umpan balik on one indikator or one perilaku value."""
    authority = Authority(deps, caller())
    _prepare_penilai(deps, authority, penilaian_id)
    wanted: uuid.UUID | None = None
    if indikator_id.strip():
        wanted = parse_id(indikator_id, "INDIKATOR_NOT_FOUND", "Indikator tidak ditemukan pada SKP ini.")
    with penilaian_for_write(deps, authority, penilaian_id) as (store, found):
        capaian = store.capaian_of(found.tahun, found.periode_id, found.unit_kerja_id)
        rules.require_rerateable(
            found, keberatan_ada=store.keberatan_ada(found.id), capaian_final=bool(capaian and capaian.final)
        )
        rules.set_umpan_balik(found, wanted, nilai, umpan_balik, now=deps.now())
        return save(deps, store, found, UmpanBalikGiven(found, wanted, nilai))


def rate_penilaian(
    deps: Deps,
    penilaian_id: str,
    hasil: Rating | None,
    perilaku: Rating | None,
    expected_version: int = 0,
) -> Penilaian:
    """The pejabat penilai of today rates: the predikat follows from the matrix in force, explained."""
    authority = Authority(deps, caller())
    oleh, before = _prepare_penilai(deps, authority, penilaian_id)
    # The pegawai's jabatan on the day of rating goes with the predikat (angka kredit, SIASN).
    jabatan = deps.org.pegawai([before.pegawai_id]).get(before.pegawai_id)
    day = deps.clock()
    with penilaian_for_write(deps, authority, penilaian_id, expected_version) as (store, found):
        capaian = store.capaian_of(found.tahun, found.periode_id, found.unit_kerja_id)
        sebelumnya = rules.rate(
            found,
            hasil,
            perilaku,
            capaian=capaian,
            keberatan_ada=store.keberatan_ada(found.id),
            oleh=oleh,
            day=day,
            now=deps.now(),
        )
        rules.touch(found, deps.now())
        store.save_penilaian(found)
        refresh_tugas(store, found)
        store.emit(RatingGiven(found, oleh))
        store.emit(predikat_ditetapkan(found, jabatan, sebelumnya))
        store.commit()
        return found
