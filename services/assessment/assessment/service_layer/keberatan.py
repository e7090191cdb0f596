"""Keberatan: filed by the pegawai, explained by the pejabat penilai, decided by the atasan pejabat penilai."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from assessment.domain import keberatan as rules
from assessment.domain.aturan import Rating, StatusKeberatan
from assessment.domain.events import KeberatanDecided, KeberatanExplained, KeberatanFiled
from assessment.domain.model import Penilaian
from assessment.domain.penilaian import PENILAIAN_NOT_FOUND, touch
from assessment.domain.records import Keberatan, KeberatanQuery
from assessment.domain.tugas import tugas_keberatan
from assessment.service_layer.common import (
    Authority,
    Deps,
    Listed,
    own_pegawai,
    predikat_ditetapkan,
    refresh_tugas,
)
from assessment.service_layer.ports import Store
from assessment.service_layer.reads import lingkup_of
from kinerja_kit.errors import AlreadyExists, NotFound, PermissionDenied
from kinerja_kit.handlers import caller, parse_id, raise_integrity
from kinerja_kit.paging import (
    bad_argument,
    decode_page_token,
    fingerprint,
    page_size,
    search_term,
    split_page,
)

KEBERATAN_NOT_FOUND = ("KEBERATAN_NOT_FOUND", "Keberatan tidak ditemukan.")
SUDAH_ADA = AlreadyExists("KEBERATAN_SUDAH_ADA", "Keberatan atas penilaian ini sedang diproses.")


def _tasks(store: Store, keberatan: Keberatan, penilaian: Penilaian) -> None:
    store.replace_tugas(penilaian.id, tugas_keberatan(keberatan, penilaian, store.new_id), keberatan.id)


def file_keberatan(
    deps: Deps, penilaian_id: str, alasan: str, hasil: Rating | None, perilaku: Rating | None
) -> Keberatan:
    """The owner objects to their predikat with a reason and the ratings they ask for."""
    authority = Authority(deps, caller())
    me = own_pegawai(authority.principal)
    wanted = parse_id(penilaian_id, *PENILAIAN_NOT_FOUND)
    try:
        with deps.stores.transaction() as store:
            found = store.penilaian(wanted, for_update=True)
            if found is None or not authority.can_read(found.skp):
                raise NotFound(*PENILAIAN_NOT_FOUND)
            if found.pegawai_id != me:
                raise PermissionDenied(
                    "BUKAN_PEMILIK_SKP", "Hanya pegawai yang dinilai yang dapat mengajukan keberatan."
                )
            filed = rules.file(
                found,
                alasan,
                hasil,
                perilaku,
                sudah_ada=store.keberatan_ada(found.id, open_only=True),
                keberatan_id=store.new_id(),
                today=deps.clock(),
                now=deps.now(),
            )
            store.save_keberatan(filed)
            _tasks(store, filed, found)
            store.emit(KeberatanFiled(filed))
            store.commit()
            return filed
    except IntegrityError as error:  # a concurrent twin committed first
        raise_integrity(error, {"keberatan_one_open": SUDAH_ADA})
        raise


def _load(deps: Deps, authority: Authority, keberatan_id: str) -> tuple[Keberatan, Penilaian]:
    """A keberatan the caller may read (those who read its penilaian), unlocked."""
    wanted = parse_id(keberatan_id, *KEBERATAN_NOT_FOUND)
    with deps.stores.transaction() as store:
        found = store.keberatan(wanted)
        penilaian = store.penilaian(found.penilaian_id) if found is not None else None
    if found is None or penilaian is None or not authority.can_read(penilaian.skp):
        raise NotFound(*KEBERATAN_NOT_FOUND)
    return found, penilaian


def explain_keberatan(deps: Deps, keberatan_id: str, penjelasan: str) -> Keberatan:
    """The pejabat penilai of today explains the predikat they gave."""
    authority = Authority(deps, caller())
    _, penilaian = _load(deps, authority, keberatan_id)
    authority.require_penilai(penilaian.skp)
    oleh = authority.pelaku()
    with deps.stores.transaction() as store:
        found = store.keberatan(parse_id(keberatan_id, *KEBERATAN_NOT_FOUND), for_update=True)
        if found is None:
            raise NotFound(*KEBERATAN_NOT_FOUND)
        rules.explain(found, penjelasan, oleh, deps.now())
        store.save_keberatan(found)
        _tasks(store, found, penilaian)
        store.emit(KeberatanExplained(found))
        store.commit()
        return found


def decide_keberatan(
    deps: Deps,
    keberatan_id: str,
    disetujui: bool,
    keputusan: str,
    hasil: Rating | None,
    perilaku: Rating | None,
) -> Keberatan:
    """The atasan pejabat penilai of today approves (new ratings, so a new predikat) or rejects."""
    authority = Authority(deps, caller())
    _, before = _load(deps, authority, keberatan_id)
    if not authority.is_atasan_penilai(before.skp):
        raise PermissionDenied(
            "BUKAN_ATASAN_PEJABAT_PENILAI",
            "Hanya atasan pejabat penilai (atau PLT/PLH unit kerjanya) yang dapat memutuskan keberatan ini.",
        )
    oleh = authority.pelaku()
    jabatan = deps.org.pegawai([before.pegawai_id]).get(before.pegawai_id)
    with deps.stores.transaction() as store:
        found = store.keberatan(parse_id(keberatan_id, *KEBERATAN_NOT_FOUND), for_update=True)
        penilaian = store.penilaian(before.id, for_update=True)
        if found is None or penilaian is None:
            raise NotFound(*KEBERATAN_NOT_FOUND)
        sebelumnya = penilaian.predikat
        changed = rules.decide(
            found,
            penilaian,
            disetujui=disetujui,
            keputusan=keputusan,
            hasil=hasil,
            perilaku=perilaku,
            capaian=store.capaian_of(penilaian.tahun, penilaian.periode_id, penilaian.unit_kerja_id),
            oleh=oleh,
            day=deps.clock(),
            now=deps.now(),
        )
        store.save_keberatan(found)
        _tasks(store, found, penilaian)
        if changed:
            touch(penilaian, deps.now())
            store.save_penilaian(penilaian)
            refresh_tugas(store, penilaian)
            store.emit(predikat_ditetapkan(penilaian, jabatan, sebelumnya))
        store.emit(KeberatanDecided(found))
        store.commit()
        return found


def get_keberatan(deps: Deps, keberatan_id: str) -> Keberatan:
    """One keberatan; the first read by the atasan pejabat penilai is recorded (dicek_at)."""
    authority = Authority(deps, caller())
    found, penilaian = _load(deps, authority, keberatan_id)
    if (
        found.dicek_at is None
        and found.status == StatusKeberatan.DIAJUKAN
        and authority.is_atasan_penilai(penilaian.skp)
    ):
        with deps.stores.transaction() as store:
            locked = store.keberatan(found.id, for_update=True)
            if locked is not None and locked.dicek_at is None:
                locked.dicek_at = deps.now()
                store.save_keberatan(locked)
                store.commit()
                return locked
    return found


@dataclass(frozen=True)
class KeberatanFilter:
    scope: int = 0
    tahun: int = 0
    status: int = 0
    query: str = ""


def list_keberatan(deps: Deps, wanted: KeberatanFilter, size: int, token: str) -> Listed[Keberatan]:
    """SAYA (filed by the caller), DIJAWAB (to explain or decide), INSTANSI (admins); by name (by NIP for a
    NIP search), paged, and how many (up to the count limit)."""
    authority = Authority(deps, caller())
    if wanted.status and wanted.status not in {int(s) for s in StatusKeberatan}:
        raise bad_argument("status", "INVALID_STATUS", "Status keberatan tidak dikenal.")
    term = search_term(wanted.query)
    lingkup = lingkup_of(authority, wanted.scope, bawahan_kind="DIJAWAB")
    limit = page_size(size)
    filters = fingerprint("keberatan", wanted, lingkup.pegawai_id)
    after = decode_page_token(token, filters) if token else None
    query = KeberatanQuery(
        lingkup=lingkup,
        tahun=wanted.tahun,
        status=StatusKeberatan(wanted.status).name if wanted.status else "",
        term=term,
    )
    with deps.stores.transaction() as store:
        found = store.list_keberatan(query, after, limit + 1)
        total, exact = store.count_keberatan(query)
    page, next_token = split_page(found, limit, lambda listed: (listed[1], listed[0].id), filters)
    return Listed([item for item, _ in page], next_token, total, exact)
