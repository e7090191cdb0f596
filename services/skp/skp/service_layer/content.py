"""Handlers that change an SKP's content: RHK (and copies from perjanjian kinerja or matriks peran hasil),
indikator and manual indikator, perilaku (penilai, ekspektasi), lampiran, rencana aksi, target bulanan."""

from __future__ import annotations

import uuid

from kinerja.skp.v1 import skp_pb2
from kinerja_kit import fields
from kinerja_kit.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    Violations,
)
from kinerja_kit.handlers import caller, parse_id
from kinerja_kit.ids import new_id, parse_uuid
from skp.adapters.repository import SkpRepository, periode_from_row, skp_from_row
from skp.domain import rules
from skp.domain.model import Indikator, RencanaAksi, Rhk, Skp, Target
from skp.domain.values import (
    PENILAI_LABEL,
    JenisPenilai,
    JenisRhk,
    ModelSkp,
    NilaiPerilaku,
    StatusSkp,
    stored_decimal,
)
from skp.service_layer.common import (
    Authority,
    Deps,
    drop_matriks,
    load_skp,
    penilai_act,
    save_skp,
    skp_for_write,
)
from skp.service_layer.skp import get_skp

RHK_NOT_FOUND = ("RHK_NOT_FOUND", "RHK tidak ditemukan pada SKP ini.")
INDIKATOR_NOT_FOUND = ("INDIKATOR_NOT_FOUND", "Indikator tidak ditemukan pada SKP ini.")
RENCANA_NOT_FOUND = ("RENCANA_AKSI_NOT_FOUND", "Rencana aksi tidak ditemukan pada SKP ini.")


def _owner_draft(skp: Skp) -> None:
    rules.require_owner(skp, caller().pegawai_id)
    rules.require_draft(skp)


def _intervention(
    repo: SkpRepository, skp: Skp, atasan_rhk_id: uuid.UUID | None, path: str = "rhk.atasan_rhk_id"
) -> tuple[str, uuid.UUID] | None:
    """The text and SKP of the atasan RHK chosen, checked to be the pejabat penilai's, same year
    (a refusal names `path`, the request field that chose it)."""
    if atasan_rhk_id is None:
        return None
    atasan_skps = []
    if skp.penilai is not None:
        atasan_skps = [skp_from_row(r) for r in repo.skp_rows_of(skp.penilai.pegawai_id, skp.tahun)]
    holder = repo.skp_holding_rhk(atasan_rhk_id)
    return rules.resolve_intervention(
        skp, atasan_rhk_id, atasan_skps, skp_from_row(holder) if holder else None, path
    )


def _rhk(skp: Skp, rhk_id: str) -> Rhk:
    found = skp.rhk(parse_id(rhk_id, *RHK_NOT_FOUND))
    if found is None:
        raise NotFound(*RHK_NOT_FOUND)
    return found


def _indikator(skp: Skp, indikator_id: str) -> tuple[Rhk, Indikator]:
    found = skp.indikator(parse_id(indikator_id, *INDIKATOR_NOT_FOUND))
    if found is None:
        raise NotFound(*INDIKATOR_NOT_FOUND)
    return found


def _rhk_event(rhk_id: uuid.UUID, change: str):  # type: ignore[no-untyped-def]
    return lambda pb: skp_pb2.RhkChanged(skp=pb, rhk_id=str(rhk_id), change=change)


# ---- RHK ----


def add_rhk(deps: Deps, skp_id: str, raw: rules.RhkInput, expected_version: int = 0) -> Skp:
    """Adds an RHK utama or tambahan; a JA/JF RHK utama names the atasan RHK it intervenes."""
    with skp_for_write(deps, skp_id, expected_version) as (tx, repo, row, skp):
        _owner_draft(skp)
        rules.count_limit(len(skp.isi.rhk), rules.RHK_MAX, "RHK dalam satu SKP")
        values = rules.validate_rhk(raw, skp)
        rhk = rules.rhk_from_fields(values, _intervention(repo, skp, values.atasan_rhk_id), new_id())
        skp.isi.rhk.append(rhk)
        return save_skp(tx, row, skp, _rhk_event(rhk.id, "ADDED"))


def update_rhk(deps: Deps, skp_id: str, rhk_id: str, raw: rules.RhkInput, expected_version: int = 0) -> Skp:
    with skp_for_write(deps, skp_id, expected_version) as (tx, repo, row, skp):
        _owner_draft(skp)
        rhk = _rhk(skp, rhk_id)
        values = rules.validate_rhk(raw, skp)
        if values.jenis != rhk.jenis and repo.intervening(skp.id, rhk.id):
            raise FailedPrecondition(
                "RHK_DIINTERVENSI", "Jenis RHK yang diintervensi bawahan tidak dapat diubah."
            )
        changed = rules.rhk_from_fields(values, _intervention(repo, skp, values.atasan_rhk_id), rhk.id)
        rhk.jenis, rhk.teks, rhk.tahapan = changed.jenis, changed.teks, changed.tahapan
        rhk.atasan_rhk_id, rhk.atasan_rhk_teks, rhk.atasan_skp_id = (
            changed.atasan_rhk_id, changed.atasan_rhk_teks, changed.atasan_skp_id,
        )  # fmt: skip
        return save_skp(tx, row, skp, _rhk_event(rhk.id, "UPDATED"))


def delete_rhk(deps: Deps, skp_id: str, rhk_id: str, expected_version: int = 0) -> Skp:
    """Removes an RHK with its indikator, rencana aksi and matriks peran hasil, unless a bawahan's RHK
    intervenes it."""
    with skp_for_write(deps, skp_id, expected_version) as (tx, repo, row, skp):
        _owner_draft(skp)
        rhk = _rhk(skp, rhk_id)
        holders = repo.intervening(skp.id, rhk.id)
        if holders:
            names = ", ".join(sorted({h.pegawai_nama for h in holders}))
            raise FailedPrecondition(
                "RHK_DIINTERVENSI", f"RHK tidak dapat dihapus karena diintervensi oleh RHK bawahan: {names}."
            )
        skp.isi.rhk.remove(rhk)
        drop_matriks(tx, repo, skp.id, rhk.id)
        return save_skp(tx, row, skp, _rhk_event(rhk.id, "DELETED"))


def copy_sasaran(deps: Deps, skp_id: str, sasaran_id: str) -> Skp:
    """JPT "Salin": a sasaran strategis of the owner's perjanjian kinerja of the SKP's year becomes an
    RHK utama with its indikator (targets and satuan kept; perspektif chosen afterwards)."""
    wanted = parse_id(sasaran_id, "SASARAN_NOT_FOUND", "Sasaran strategis tidak ditemukan.")
    with skp_for_write(deps, skp_id) as (tx, repo, row, skp):
        _owner_draft(skp)
        if skp.model != ModelSkp.JPT:
            raise FailedPrecondition("PK_HANYA_JPT", "Perjanjian kinerja hanya disalin ke SKP model JPT.")
        sasaran = next(
            (
                s
                for pk in repo.pk_rows(skp.pegawai_id, skp.tahun)
                for s in pk.sasaran
                if s["id"] == str(wanted)
            ),
            None,
        )
        if sasaran is None:
            raise NotFound(
                "SASARAN_NOT_FOUND",
                f"Sasaran strategis tidak ditemukan pada perjanjian kinerja Anda tahun {skp.tahun}.",
            )
        rules.count_limit(len(skp.isi.rhk), rules.RHK_MAX, "RHK dalam satu SKP")
        indikator = []
        for item in sasaran.get("indikator", []):
            value = stored_decimal(item.get("target", ""))  # written by skp itself, canonical
            indikator.append(
                Indikator(
                    id=new_id(),
                    teks=item["teks"],
                    target=Target(min=value, max=value, satuan=item.get("satuan", "")),
                )
            )
        rhk = Rhk(
            id=new_id(),
            jenis=JenisRhk.UTAMA,
            teks=sasaran["teks"],
            sumber_sasaran_id=wanted,
            indikator=indikator,
        )
        skp.isi.rhk.append(rhk)
        return save_skp(tx, row, skp, _rhk_event(rhk.id, "ADDED"))


def copy_peran(deps: Deps, skp_id: str, mph_id: str, kolom_id: str) -> Skp:
    """ "Salin" of a peran assigned to the owner on an atasan's matriks peran hasil: an RHK utama with
    the peran as its text, intervening the matriks' RHK."""
    wanted = parse_id(mph_id, "MPH_NOT_FOUND", "Matriks peran hasil tidak ditemukan.")
    with skp_for_write(deps, skp_id) as (tx, repo, row, skp):
        _owner_draft(skp)
        mph = repo.mph_by_id(wanted)
        anggota = (
            next((a for a in repo.anggota_rows([wanted]) if a.pegawai_id == skp.pegawai_id), None)
            if mph
            else None
        )
        peran = anggota.peran.get(kolom_id.strip()) if anggota else None
        if mph is None or not peran:
            raise NotFound("PERAN_NOT_FOUND", "Peran tersebut tidak ditugaskan kepada Anda.")
        rules.count_limit(len(skp.isi.rhk), rules.RHK_MAX, "RHK dalam satu SKP")
        atasan = _intervention(repo, skp, mph.rhk_id, "mph_id")
        rhk = Rhk(
            id=new_id(),
            jenis=JenisRhk.UTAMA,
            teks=peran,
            atasan_rhk_id=mph.rhk_id,
            atasan_rhk_teks=atasan[0] if atasan else "",
            atasan_skp_id=atasan[1] if atasan else None,
            sumber_mph_id=mph.id,
        )
        skp.isi.rhk.append(rhk)
        return save_skp(tx, row, skp, _rhk_event(rhk.id, "ADDED"))


# ---- indikator ----


def _indikator_event(rhk_id: uuid.UUID, indikator_id: uuid.UUID, change: str):  # type: ignore[no-untyped-def]
    return lambda pb: skp_pb2.IndikatorChanged(
        skp=pb, rhk_id=str(rhk_id), indikator_id=str(indikator_id), change=change
    )


def add_indikator(
    deps: Deps, skp_id: str, rhk_id: str, raw: rules.IndikatorInput, expected_version: int = 0
) -> Skp:
    with skp_for_write(deps, skp_id, expected_version) as (tx, _, row, skp):
        _owner_draft(skp)
        rhk = _rhk(skp, rhk_id)
        rules.count_limit(len(rhk.indikator), rules.INDIKATOR_PER_RHK_MAX, "Indikator dalam satu RHK")
        item = rules.validate_indikator(raw, skp)
        rhk.indikator.append(item)
        return save_skp(tx, row, skp, _indikator_event(rhk.id, item.id, "ADDED"))


def update_indikator(
    deps: Deps, skp_id: str, indikator_id: str, raw: rules.IndikatorInput, expected_version: int = 0
) -> Skp:
    """Changes text, aspek/perspektif and target; the manual indikator and monthly targets stay."""
    with skp_for_write(deps, skp_id, expected_version) as (tx, _, row, skp):
        _owner_draft(skp)
        rhk, item = _indikator(skp, indikator_id)
        changed = rules.validate_indikator(raw, skp)
        item.teks, item.aspek, item.perspektif, item.target = (
            changed.teks,
            changed.aspek,
            changed.perspektif,
            changed.target,
        )
        return save_skp(tx, row, skp, _indikator_event(rhk.id, item.id, "UPDATED"))


def delete_indikator(deps: Deps, skp_id: str, indikator_id: str, expected_version: int = 0) -> Skp:
    with skp_for_write(deps, skp_id, expected_version) as (tx, _, row, skp):
        _owner_draft(skp)
        rhk, item = _indikator(skp, indikator_id)
        rhk.indikator.remove(item)
        return save_skp(tx, row, skp, _indikator_event(rhk.id, item.id, "DELETED"))


def set_manual(deps: Deps, skp_id: str, indikator_id: str, raw: rules.ManualInput) -> Skp:
    """The manual indikator of a JPT indikator (every field of the manual's form)."""
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        _owner_draft(skp)
        rhk, item = _indikator(skp, indikator_id)
        item.manual = rules.validate_manual(raw, skp)
        return save_skp(tx, row, skp, _indikator_event(rhk.id, item.id, "MANUAL"))


# ---- perilaku and lampiran ----


def _nilai(value: int) -> NilaiPerilaku:
    try:
        return NilaiPerilaku(value)
    except ValueError as exc:
        raise InvalidArgument(
            [FieldViolation("nilai", "REQUIRED", "Nilai perilaku (BerAKHLAK) wajib dipilih.")]
        ) from exc


def set_penilai_perilaku(deps: Deps, skp_id: str, nilai: int, jenis: int, penilai_id: str) -> Skp:
    """Chooses who rates one BerAKHLAK value: the atasan (the pejabat penilai), or one of the owner's
    bawahan or rekan kerja as org relates them today."""
    value = _nilai(nilai)
    try:
        kind = JenisPenilai(jenis)
    except ValueError as exc:
        raise InvalidArgument(
            [
                FieldViolation(
                    "penilai_jenis", "REQUIRED", "Penilai wajib dipilih: atasan, bawahan atau rekan kerja."
                )
            ]
        ) from exc
    found = load_skp(deps, skp_id)
    _owner_draft(found)
    chosen = (
        parse_id(penilai_id, "PENILAI_NOT_FOUND", "Pegawai penilai tidak ditemukan.")
        if penilai_id.strip()
        else None
    )
    if kind == JenisPenilai.ATASAN:
        if found.penilai is None:
            raise FailedPrecondition(
                "PENILAI_TIDAK_ADA", "SKP ini tidak memiliki pejabat penilai untuk dipilih sebagai atasan."
            )
        if chosen is not None and chosen != found.penilai.pegawai_id:
            raise InvalidArgument(
                [
                    FieldViolation(
                        "penilai_pegawai_id", "BUKAN_ATASAN", "Penilai atasan adalah pejabat penilai SKP ini."
                    )
                ]
            )
        chosen, nama = found.penilai.pegawai_id, found.penilai.nama
    else:
        if chosen is None:
            raise InvalidArgument(
                [
                    FieldViolation(
                        "penilai_pegawai_id", "REQUIRED", f"Pilih pegawai {PENILAI_LABEL[kind]} yang menilai."
                    )
                ]
            )
        relations = deps.org.relations([found.pegawai_id], deps.clock()).get(found.pegawai_id)
        allowed = (
            (relations.bawahan_ids if kind == JenisPenilai.BAWAHAN else relations.rekan_kerja_ids)
            if relations
            else frozenset()
        )
        if chosen not in allowed:
            raise InvalidArgument(
                [
                    FieldViolation(
                        "penilai_pegawai_id",
                        "BUKAN_" + kind.name,
                        f"Pegawai yang dipilih bukan {PENILAI_LABEL[kind]} Anda. Atur {PENILAI_LABEL[kind]} di profil bila perlu.",
                    )
                ]
            )
        person = deps.org.pegawai([chosen]).get(chosen)
        nama = person.nama if person else ""
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        _owner_draft(skp)
        perilaku = skp.perilaku(value)
        perilaku.penilai_jenis, perilaku.penilai_pegawai_id, perilaku.penilai_nama = kind, chosen, nama
        return save_skp(tx, row, skp, lambda pb: skp_pb2.PerilakuChanged(skp=pb, nilai=int(value)))  # type: ignore[arg-type]


def set_ekspektasi(deps: Deps, skp_id: str, nilai: int, ekspektasi: str) -> Skp:
    """Ekspektasi khusus pimpinan for one value: written by the pejabat penilai of today (or their PLT/PLH)
    while the SKP is draft or submitted, the snapshot following them; on a mandiri head's SKP, by its owner
    while draft."""
    value = _nilai(nilai)
    authority = Authority(deps, caller())
    v = Violations()
    text = fields.text(
        v, "ekspektasi", "Ekspektasi khusus pimpinan", ekspektasi, max_len=rules.MANUAL_TEKS_MAX
    )
    v.raise_if_any()
    found = load_skp(deps, skp_id)
    own_mandiri = found.mandiri and authority.is_owner(found)
    # org is read (outside the row lock) only for the pejabat penilai of today
    act = (
        None
        if own_mandiri
        else penilai_act(
            deps, authority, found, "Ekspektasi khusus pimpinan ditulis oleh pejabat penilai kinerja SKP ini."
        )
    )
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        if act is None:
            rules.require_draft(skp)
        else:
            if skp.status == StatusSkp.DISETUJUI:
                raise FailedPrecondition(
                    "SKP_TIDAK_DAPAT_DIUBAH", "Ekspektasi tidak dapat diubah setelah SKP disetujui."
                )
            act.apply(skp)
        skp.perilaku(value).ekspektasi = text
        return save_skp(tx, row, skp, lambda pb: skp_pb2.PerilakuChanged(skp=pb, nilai=int(value)))  # type: ignore[arg-type]


def set_lampiran(deps: Deps, skp_id: str, raw: rules.LampiranInput) -> Skp:
    lampiran = rules.validate_lampiran(raw)
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        _owner_draft(skp)
        skp.isi.lampiran = lampiran
        return save_skp(tx, row, skp, lambda pb: skp_pb2.LampiranChanged(skp=pb))


# ---- rencana aksi and target bulanan ----


def _owner_planning(skp: Skp, what: str) -> None:
    rules.require_owner(skp, caller().pegawai_id)
    rules.require_draft_or_approved(skp, what)


def _check_deadline(deps: Deps, skp: Skp, periode_id: uuid.UUID, repo: SkpRepository) -> None:
    row = repo.periode_row(periode_id)
    if row is None:
        return
    periode = periode_from_row(row)
    deadline = periode.batas_in(skp.tahun)
    if deps.clock() > deadline:
        raise FailedPrecondition(
            "LEWAT_BATAS_PENGISIAN",
            f"Batas pengisian rencana aksi periode {periode.nama} tahun {skp.tahun} sudah lewat ({deadline:%d-%m-%Y}).",
        )


def _rencana_fields(repo: SkpRepository, skp: Skp, raw: rules.RencanaAksiInput) -> rules.RencanaAksiFields:
    periode_id = parse_uuid(raw.periode_id.strip())
    periode_row = repo.periode_row(periode_id) if periode_id else None
    return rules.validate_rencana_aksi(raw, skp, periode_from_row(periode_row) if periode_row else None)


def _rencana_event(rencana: RencanaAksi, rhk_id: uuid.UUID, change: str):  # type: ignore[no-untyped-def]
    return lambda pb: skp_pb2.RencanaAksiChanged(
        skp=pb,
        rhk_id=str(rhk_id),
        periode_id=str(rencana.periode_id),
        rencana_aksi_id=str(rencana.id),
        change=change,
    )


def add_rencana_aksi(deps: Deps, skp_id: str, raw: rules.RencanaAksiInput) -> Skp:
    """A step planned for one RHK in one periode, with its own target and satuan, before the periode's deadline."""
    with skp_for_write(deps, skp_id) as (tx, repo, row, skp):
        _owner_planning(skp, "Rencana aksi")
        values = _rencana_fields(repo, skp, raw)
        _check_deadline(deps, skp, values.periode_id, repo)
        rhk = skp.rhk(values.rhk_id)
        assert rhk is not None
        rules.count_limit(
            len(rhk.rencana_aksi), rules.RENCANA_AKSI_PER_RHK_MAX, "Rencana aksi dalam satu RHK"
        )
        rencana = RencanaAksi(
            id=new_id(),
            periode_id=values.periode_id,
            teks=values.teks,
            target=values.target,
            satuan=values.satuan,
        )
        rhk.rencana_aksi.append(rencana)
        return save_skp(tx, row, skp, _rencana_event(rencana, rhk.id, "ADDED"))


def _rencana(skp: Skp, rencana_id: str) -> tuple[Rhk, RencanaAksi]:
    found = skp.rencana_aksi(parse_id(rencana_id, *RENCANA_NOT_FOUND))
    if found is None:
        raise NotFound(*RENCANA_NOT_FOUND)
    return found


def update_rencana_aksi(deps: Deps, skp_id: str, rencana_id: str, raw: rules.RencanaAksiInput) -> Skp:
    with skp_for_write(deps, skp_id) as (tx, repo, row, skp):
        _owner_planning(skp, "Rencana aksi")
        rhk, rencana = _rencana(skp, rencana_id)
        _check_deadline(deps, skp, rencana.periode_id, repo)
        values = _rencana_fields(repo, skp, raw)
        _check_deadline(deps, skp, values.periode_id, repo)
        if values.rhk_id != rhk.id:
            rhk.rencana_aksi.remove(rencana)
            target_rhk = skp.rhk(values.rhk_id)
            assert target_rhk is not None
            target_rhk.rencana_aksi.append(rencana)
            rhk = target_rhk
        rencana.periode_id, rencana.teks, rencana.target, rencana.satuan = (
            values.periode_id, values.teks, values.target, values.satuan,
        )  # fmt: skip
        return save_skp(tx, row, skp, _rencana_event(rencana, rhk.id, "UPDATED"))


def delete_rencana_aksi(deps: Deps, skp_id: str, rencana_id: str) -> Skp:
    with skp_for_write(deps, skp_id) as (tx, repo, row, skp):
        _owner_planning(skp, "Rencana aksi")
        rhk, rencana = _rencana(skp, rencana_id)
        _check_deadline(deps, skp, rencana.periode_id, repo)
        rhk.rencana_aksi.remove(rencana)
        return save_skp(tx, row, skp, _rencana_event(rencana, rhk.id, "DELETED"))


def set_target_bulanan(deps: Deps, skp_id: str, indikator_id: str, targets: list[str]) -> Skp:
    """The matriks target bulanan of one indikator: twelve months, empty where nothing is planned."""
    values = rules.validate_target_bulanan(targets)
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        _owner_planning(skp, "Target bulanan")
        _, item = _indikator(skp, indikator_id)
        outside = [
            m + 1
            for m, value in enumerate(values)
            if value is not None and not (skp.tanggal_mulai.month <= m + 1 <= skp.tanggal_selesai.month)
        ]
        if outside:
            raise InvalidArgument(
                [
                    FieldViolation(
                        f"target[{m - 1}]", "BULAN_DI_LUAR_SKP", f"Bulan ke-{m} berada di luar masa SKP."
                    )
                    for m in outside
                ]
            )
        item.target_bulanan = values
        return save_skp(
            tx, row, skp, lambda pb: skp_pb2.TargetBulananChanged(skp=pb, indikator_id=str(item.id))
        )


def check_kesiapan(deps: Deps, skp_id: str, periode_id: str) -> list[rules.Kekurangan]:
    """Whether an SKP may be assessed for a periode (for whoever may read the SKP)."""
    skp = get_skp(deps, skp_id)
    wanted = parse_id(periode_id, "PERIODE_NOT_FOUND", "Periode tidak ditemukan.")
    with deps.uow.transaction() as tx:
        row = SkpRepository(tx.session, tx.tenant).periode_row(wanted)
        if row is None:
            raise NotFound("PERIODE_NOT_FOUND", "Periode tidak ditemukan.")
        periode = periode_from_row(row)
    return rules.assessment_gaps(skp, periode)
