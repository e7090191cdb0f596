"""The PAK workflow (ajukan → setujui → tandatangani TTE or unggah SK; kembalikan ke draft), integrasi and
the pengaturan of numbering. Each write loads and locks the PAK, checks who may act (judged today from
org) and its version, calls the domain's `Pak`, saves it with its next version and queues its event, in
one transaction. The rules themselves are the domain's."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from angka_kredit.adapters.proto import isi_sha256
from angka_kredit.adapters.repository import Berkas, Pengaturan, SqlStore
from angka_kredit.domain import errors as e
from angka_kredit.domain import penomoran
from angka_kredit.domain.model import (
    TEMPAT_MAX,
    ModePenomoran,
    Pak,
    periksa_berkas_sk,
)
from angka_kredit.service_layer.common import (
    Deps,
    is_admin,
    kumulatif_pegawai,
    now,
    pelaku,
    readable,
    require_jf,
    require_penilai,
    simpan,
    tambah,
)
from kinerja_kit import fields, numbers
from kinerja_kit.errors import PermissionDenied, Violations
from kinerja_kit.handlers import caller, parse_id, require_admin
from kinerja_kit.ids import new_id
from kinerja_kit.org_directory import OrgPegawai

AK_SPEC = numbers.DecimalSpec("Angka kredit", integer_digits=4, scale=4, minimum=numbers.Decimal("0.0001"))


def _load(deps: Deps, store: SqlStore, pak_id: str) -> Pak:
    """The PAK locked, when the caller may read it (else PAK_NOT_FOUND)."""
    wanted = parse_id(pak_id, *e.PAK_NOT_FOUND)
    return readable(deps, store.get(wanted, lock=True))


def _tanggal(value: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d-%m-%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise fields.refuse("tanggal_sk", "INVALID_DATE", "Tanggal SK harus YYYY-MM-DD atau DD-MM-YYYY.")


def ajukan(deps: Deps, pak_id: str, nomor_sk: str, tempat: str, tanggal_sk: str, expected: int) -> Pak:
    principal = caller()
    tanggal = _tanggal(tanggal_sk)
    with deps.store() as store:
        pak = _load(deps, store, pak_id)
        if not is_admin(principal) and principal.pegawai_id != pak.pegawai_id:
            raise PermissionDenied(
                "BUKAN_PEMILIK_PAK", "Hanya pegawai pemilik PAK atau admin yang dapat mengajukannya."
            )
        pak.periksa_versi(expected)
        pengaturan = store.pengaturan()
        at = now()
        event = pak.ajukan(
            mode=pengaturan.mode,
            nomor_sk=nomor_sk,
            tempat=tempat,
            tanggal_sk=tanggal,
            oleh=pelaku(principal),
            at=at,
            tempat_baku=pengaturan.tempat,
            penilai_id=deps.atasan_today(pak.pegawai_id),
        )
        simpan(store, event, at)
        return pak


def setujui(deps: Deps, pak_id: str, expected: int) -> Pak:
    principal = caller()
    with deps.store() as store:
        pak = _load(deps, store, pak_id)
        require_penilai(deps, principal, pak)
        pak.periksa_versi(expected)
        nomor: str | None = None
        if pak.perlu_nomor_otomatis:
            # Automatic numbering: the counter row of the instansi and year stays locked to the commit, so
            # concurrent approvals take 1, 2, 3... and a rolled-back one gives its number back.
            tanggal = pak.tanggal_sk
            assert tanggal is not None, "a submitted PAK has its tanggal SK"
            urut = store.nomor_berikutnya(pak.tahun_sk)
            nomor = penomoran.render(store.pengaturan().format_nomor, urut, tanggal.year, tanggal.month)
        at = now()
        simpan(store, pak.setujui(oleh=pelaku(principal), at=at, nomor_otomatis=nomor), at)
        return pak


def tandatangani(deps: Deps, pak_id: str, expected: int) -> Pak:
    principal = caller()
    with deps.store() as store:
        pak = _load(deps, store, pak_id)
        require_penilai(deps, principal, pak)
        pak.periksa_versi(expected)
        at = now()
        simpan(store, pak.tandatangani_tte(sha256=isi_sha256(pak), oleh=pelaku(principal), at=at), at)
        return pak


def unggah_sk(deps: Deps, pak_id: str, isi: bytes, nama_berkas: str, expected: int) -> Pak:
    principal = caller()
    require_admin(principal)
    periksa_berkas_sk(isi)  # refused before anything is read or written
    with deps.store() as store:
        pak = _load(deps, store, pak_id)
        pak.periksa_versi(expected)
        digest, at = hashlib.sha256(isi).hexdigest(), now()
        oleh = pelaku(principal)
        event = pak.unggah_sk(sha256=digest, nama=nama_berkas, ukuran=len(isi), oleh=oleh, at=at)
        assert pak.tanda_tangan is not None
        store.save_berkas(Berkas(pak.id, digest, pak.tanda_tangan.nama_berkas, len(isi), isi), oleh, at)
        simpan(store, event, at)
        return pak


def kembalikan(deps: Deps, pak_id: str, alasan: str, expected: int) -> Pak:
    principal = caller()
    require_admin(principal)
    with deps.store() as store:
        pak = _load(deps, store, pak_id)
        pak.periksa_versi(expected)
        at = now()
        simpan(store, pak.kembalikan_ke_draft(alasan=alasan, oleh=pelaku(principal), at=at), at)
        return pak


@dataclass(frozen=True)
class IntegrasiInput:
    pegawai_id: str
    tahun: int
    angka_kredit: str
    dokumen_sumber: str
    keterangan: str
    golongan: str


def _pegawai(deps: Deps, pegawai_id: uuid.UUID) -> OrgPegawai:
    found = deps.org.pegawai([pegawai_id]).get(pegawai_id)
    if found is None:
        raise fields.refuse("pegawai_id", "PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan.")
    return found


def catat_integrasi(deps: Deps, data: IntegrasiInput) -> Pak:
    principal = caller()
    require_admin(principal)
    violations = Violations()
    pegawai_id = fields.reference(violations, "pegawai_id", "Pegawai", data.pegawai_id)
    if pegawai_id is None and not violations:
        violations.add("pegawai_id", "REQUIRED", "Pegawai wajib diisi.")
    tahun = fields.tahun(data.tahun, deps.clock(), violations=violations)
    ak = numbers.parse(violations, "angka_kredit", AK_SPEC, data.angka_kredit)
    if ak is None and not any(v.field == "angka_kredit" for v in violations.items):
        violations.add("angka_kredit", "REQUIRED", "Angka kredit wajib diisi.")
    sumber = fields.text(
        violations, "dokumen_sumber", "Dokumen sumber", data.dokumen_sumber, max_len=200, required=True
    )
    keterangan = fields.text(violations, "keterangan", "Keterangan", data.keterangan, max_len=500)
    golongan = fields.text(violations, "golongan", "Golongan", data.golongan, max_len=20)
    violations.raise_if_any()
    assert pegawai_id is not None and ak is not None
    pegawai = _pegawai(deps, pegawai_id)
    require_jf(pegawai)
    penilai_id = deps.atasan_today(pegawai.id)
    with deps.store() as store:
        assert store.tx.tenant is not None
        at, oleh = now(), pelaku(principal)
        pak, dibuat = Pak.integrasi(
            id=new_id(),
            instansi_id=store.tx.tenant,
            tahun=tahun,
            pegawai_id=pegawai.id,
            nip=pegawai.nip,
            nama=pegawai.nama,
            jabatan=pegawai.jabatan,
            jenjang=pegawai.jenjang,
            golongan=golongan or pegawai.golongan,
            angka_kredit=Fraction(ak),
            dokumen_sumber=sumber,
            keterangan=keterangan,
            oleh=oleh,
            at=at,
            tmt_jabatan=pegawai.tmt_jabatan,
            penilai_id=penilai_id,
            pangkat=pegawai.pangkat,
            unor_id=pegawai.unor_id,
        )
        later = kumulatif_pegawai(store, pak, at, oleh)
        tambah(store, dibuat)
        for event in later:
            simpan(store, event, at)
        return pak


def set_pengaturan(
    deps: Deps, mode: ModePenomoran | None, format_nomor: str, tempat: str, expected: int
) -> Pengaturan:
    principal = caller()
    require_admin(principal)
    violations = Violations()
    place = fields.text(violations, "tempat", "Tempat", tempat, max_len=TEMPAT_MAX)
    violations.raise_if_any()
    formatted = penomoran.periksa_format(format_nomor)
    with deps.store() as store:
        current = store.pengaturan(lock=True)
        if expected and expected != current.version:
            raise e.VersiBerbeda()
        current.mode = mode or ModePenomoran.OTOMATIS
        current.format_nomor = formatted
        current.tempat = place
        current.diubah_oleh = pelaku(principal)
        store.save_pengaturan(current)
        return current
