"""The PAK workflow (ajukan → setujui → tandatangani TTE or unggah SK; kembalikan ke draft), integrasi,
the pengaturan of numbering, and the forecast. Each write locks the PAK, applies the rule, saves it with
version + 1 and queues its event, in one transaction."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

from angka_kredit.adapters.proto import pak_pb, to_json
from angka_kredit.adapters.repository import SqlStore
from angka_kredit.domain import errors as e
from angka_kredit.domain import penomoran
from angka_kredit.domain.aturan import aturan_pada
from angka_kredit.service_layer.common import (
    Deps,
    check_version,
    is_admin,
    pelaku,
    readable,
    require_penilai,
)
from angka_kredit.service_layer.figures import emit, langkah, ordered, recompute
from angka_kredit.service_layer.records import (
    DIAJUKAN,
    DISETUJUI,
    DITANDATANGANI,
    DRAFT,
    INTEGRASI,
    MANUAL,
    OTOMATIS,
    Berkas,
    PakRecord,
    Pengaturan,
)
from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.skp.v1 import skp_pb2
from kinerja_kit import fields, numbers
from kinerja_kit.context import Principal
from kinerja_kit.errors import PermissionDenied, Violations
from kinerja_kit.handlers import caller, parse_id, require_admin
from kinerja_kit.ids import new_id
from kinerja_kit.org_directory import OrgPegawai

JABATAN_FUNGSIONAL = 4  # kinerja.org.v1.JENIS_JABATAN_FUNGSIONAL
MAX_BERKAS = 1_048_576
MAX_NOMOR, MAX_TEMPAT, MAX_ALASAN = 50, 100, 500
AK_SPEC = numbers.DecimalSpec("Angka kredit", integer_digits=4, scale=4, minimum=numbers.Decimal("0.0001"))


def _load(deps: Deps, store: SqlStore, pak_id: str) -> PakRecord:
    wanted = parse_id(pak_id, *e.PAK_NOT_FOUND)
    return readable(deps, store.get(wanted, lock=True))


def _status(p: PakRecord, *allowed: str) -> None:
    if p.status not in allowed:
        raise e.StatusTidakSesuai(p.status, allowed)


def _step(p: PakRecord, aksi: str, sesudah: str, principal: Principal | None, alasan: str = "") -> None:
    p.dokumen.setdefault("riwayat", []).append(langkah(aksi, p.status, sesudah, pelaku(principal), alasan))
    p.status = sesudah


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


def _text(value: str, path: str, label: str, max_len: int, too_long: Exception) -> str:
    cleaned = fields.clean(value)
    if cleaned is None:
        raise e.TeksTidakSah(path, label)
    if len(cleaned) > max_len:
        raise too_long
    return cleaned


def ajukan(deps: Deps, pak_id: str, nomor_sk: str, tempat: str, tanggal_sk: str, expected: int) -> PakRecord:
    principal = caller()
    with deps.store() as store:
        p = _load(deps, store, pak_id)
        if not is_admin(principal) and principal.pegawai_id != p.pegawai_id:
            raise PermissionDenied(
                "BUKAN_PEMILIK_PAK", "Hanya pegawai pemilik PAK atau admin yang dapat mengajukannya."
            )
        check_version(p, expected)
        _status(p, DRAFT)
        pengaturan = store.pengaturan()
        nomor = _text(nomor_sk, "nomor_sk", "Nomor SK", MAX_NOMOR, e.NomorSkTerlaluPanjang(MAX_NOMOR))
        if pengaturan.mode == MANUAL and not nomor:
            raise e.NomorSkWajib()
        if pengaturan.mode == OTOMATIS and nomor:
            raise e.NomorSkTidakDiisiOtomatis()
        tempat_sk = _text(tempat, "tempat", "Tempat", MAX_TEMPAT, e.TempatTerlaluPanjang(MAX_TEMPAT))
        tempat_sk = tempat_sk or pengaturan.tempat
        if not tempat_sk:
            raise e.TempatWajib()
        tanggal = _tanggal(tanggal_sk)
        if tanggal is None:
            raise e.TanggalSkWajib()
        if pengaturan.mode == MANUAL:
            p.nomor_sk, p.tahun_sk = nomor, tanggal.year
        elif p.nomor_sk is None:
            p.tahun_sk = tanggal.year
        p.tempat, p.tanggal_sk = tempat_sk, tanggal
        p.penilai_id = deps.atasan_today(p.pegawai_id) or p.penilai_id
        p.dokumen["mode"] = pengaturan.mode
        _step(p, "DIAJUKAN", DIAJUKAN, principal)
        store.save(p)
        emit(store, pb.PakDiajukan(pak=pak_pb(p)), p)
        return p


def setujui(deps: Deps, pak_id: str, expected: int) -> PakRecord:
    principal = caller()
    with deps.store() as store:
        p = _load(deps, store, pak_id)
        require_penilai(deps, principal, p)
        check_version(p, expected)
        _status(p, DIAJUKAN)
        if p.nomor_sk is None:
            # Automatic numbering: the counter row of the instansi and year stays locked to the commit, so
            # concurrent approvals take 1, 2, 3... and a rolled-back one gives its number back.
            pengaturan = store.pengaturan()
            tanggal = p.tanggal_sk or deps.clock()
            p.tahun_sk = tanggal.year
            nomor = store.nomor_berikutnya(p.tahun_sk)
            p.nomor_sk = penomoran.render(pengaturan.format_nomor, nomor, tanggal.year, tanggal.month)
            p.dokumen["nomor_urut"] = nomor
        _step(p, "DISETUJUI", DISETUJUI, principal)
        store.save(p)
        emit(store, pb.PakDisetujui(pak=pak_pb(p)), p)
        return p


def isi_sha256(p: PakRecord) -> str:
    """The digest a TTE signs: the PAK's content (its figures and SK), without workflow bookkeeping."""
    message = pak_pb(p)
    for name in ("riwayat", "tanda_tangan", "status", "version", "created_at", "updated_at", "perubahan"):
        message.ClearField(name)
    return hashlib.sha256(message.SerializeToString(deterministic=True)).hexdigest()


def _tanda_tangan(
    cara: int, principal: Principal, sha256: str, nama: str = "", ukuran: int = 0
) -> dict[str, Any]:
    message = pb.TandaTangan(cara=cara, sha256=sha256, nama_berkas=nama, ukuran=ukuran)  # type: ignore[arg-type]
    message.at.FromDatetime(datetime.now(UTC))
    data = to_json(message)
    oleh = pelaku(principal)
    if oleh:
        data["oleh"] = oleh
    return data


def tandatangani(deps: Deps, pak_id: str, expected: int) -> PakRecord:
    principal = caller()
    with deps.store() as store:
        p = _load(deps, store, pak_id)
        require_penilai(deps, principal, p)
        check_version(p, expected)
        _status(p, DISETUJUI)
        p.dokumen["tanda_tangan"] = _tanda_tangan(pb.CARA_TANDA_TANGAN_TTE, principal, isi_sha256(p))
        _step(p, "DITANDATANGANI", DITANDATANGANI, principal, "Tanda tangan elektronik")
        store.save(p)
        emit(store, pb.PakSigned(pak=pak_pb(p)), p)
        return p


def periksa_pdf(isi: bytes) -> None:
    """A PDF by its content: the header at the start and the end-of-file marker near the end; 1 MB at most."""
    if len(isi) > MAX_BERKAS:
        raise e.BerkasTerlaluBesar()
    if not isi.startswith(b"%PDF-") or b"%%EOF" not in isi[-1024:]:
        raise e.BerkasBukanPdf()


def unggah_sk(deps: Deps, pak_id: str, isi: bytes, nama_berkas: str, expected: int) -> PakRecord:
    principal = caller()
    require_admin(principal)
    periksa_pdf(isi)
    nama = _text(
        nama_berkas,
        "nama_berkas",
        "Nama berkas",
        255,
        fields.refuse("nama_berkas", "TOO_LONG", "Nama berkas paling banyak 255 karakter."),
    )
    with deps.store() as store:
        p = _load(deps, store, pak_id)
        check_version(p, expected)
        _status(p, DISETUJUI)
        digest = hashlib.sha256(isi).hexdigest()
        nama = nama or f"SK-PAK-{p.nip}.pdf"
        store.save_berkas(Berkas(p.id, digest, nama, len(isi), isi), pelaku(principal) or {})
        p.dokumen["tanda_tangan"] = _tanda_tangan(
            pb.CARA_TANDA_TANGAN_BASAH, principal, digest, nama, len(isi)
        )
        _step(p, "DITANDATANGANI", DITANDATANGANI, principal, "SK bertanda tangan basah diunggah")
        store.save(p)
        emit(store, pb.PakSigned(pak=pak_pb(p)), p)
        return p


def kembalikan(deps: Deps, pak_id: str, alasan: str, expected: int) -> PakRecord:
    principal = caller()
    require_admin(principal)
    teks = _text(alasan, "alasan", "Alasan", MAX_ALASAN, e.AlasanTerlaluPanjang(MAX_ALASAN))
    if not teks:
        raise e.AlasanWajib()
    with deps.store() as store:
        p = _load(deps, store, pak_id)
        check_version(p, expected)
        _status(p, DISETUJUI, DITANDATANGANI)
        doc = p.dokumen
        signed = doc.pop("tanda_tangan", None)
        if signed:
            doc.setdefault("tanda_tangan_batal", []).append(signed)
        _step(p, "DIKEMBALIKAN", DRAFT, principal, teks)
        pending = doc.pop("pending", None)
        doc.pop("pending_kumulatif", None)
        if pending:
            p.ak = Fraction(pending["ak_num"], pending["ak_den"])
            doc["predikat"] = pending["predikat"]
            doc["perhitungan"] = pending["perhitungan"]
            index = pending.get("perubahan_index")
            if index is not None and index < len(doc.get("perubahan", [])):
                doc["perubahan"][index]["diterapkan"] = True
        if p.perlu_pak_baru:
            p.perlu_pak_baru = False
            doc.pop("perlu_pak_baru_alasan", None)
        rows = ordered([p if r.id == p.id else r for r in store.of_pegawai(p.pegawai_id, lock=True)])
        recompute(store, rows, {p.id}, pelaku(principal))
        store.save(p)
        emit(store, pb.PakDikembalikan(pak=pak_pb(p), alasan=teks), p)
        return p


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


def catat_integrasi(deps: Deps, data: IntegrasiInput) -> PakRecord:
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
    if pegawai.jabatan_jenis != JABATAN_FUNGSIONAL:
        raise e.BukanJabatanFungsional()
    selesai = date(tahun, 12, 31)
    aturan = aturan_pada(selesai)
    jenjang = aturan.jenjang_of(pegawai.jenjang)
    with deps.store() as store:
        assert store.tx.tenant is not None
        p = PakRecord(
            instansi_id=store.tx.tenant,
            id=new_id(),
            sumber=INTEGRASI,
            status=DRAFT,
            tahun=tahun,
            pegawai_id=pegawai.id,
            nip=pegawai.nip,
            nama=pegawai.nama,
            jabatan=pegawai.jabatan,
            jenjang=jenjang.nama,
            golongan=golongan or pegawai.golongan,
            tmt_jabatan=pegawai.tmt_jabatan,
            skp_id=None,
            periode_id=None,
            penilaian_id=None,
            tanggal_mulai=date(tahun, 1, 1),
            tanggal_selesai=selesai,
            ak=Fraction(ak),
            created_at=datetime.now(UTC),
            penilai_id=deps.atasan_today(pegawai.id),
            dokumen={
                "pegawai": to_json(
                    skp_pb2.Pejabat(
                        pegawai_id=str(pegawai.id),
                        nip=pegawai.nip,
                        nama=pegawai.nama,
                        golongan=golongan or pegawai.golongan,
                        pangkat=pegawai.pangkat,
                        jabatan=pegawai.jabatan,
                        unor_id=str(pegawai.unor_id),
                    )
                ),
                "dokumen_sumber": sumber,
                "keterangan": keterangan,
                "riwayat": [langkah("DIBUAT", DRAFT, DRAFT, pelaku(principal), "Integrasi angka kredit")],
            },
        )
        rows = ordered([*store.of_pegawai(pegawai.id, lock=True), p])
        recompute(store, rows, {p.id}, pelaku(principal))
        store.add(p)
        emit(store, pb.PakDibuat(pak=pak_pb(p)), p)
        return p


def set_pengaturan(deps: Deps, mode: str, format_nomor: str, tempat: str, expected: int) -> Pengaturan:
    principal = caller()
    require_admin(principal)
    violations = Violations()
    place = fields.text(violations, "tempat", "Tempat", tempat, max_len=MAX_TEMPAT)
    violations.raise_if_any()
    formatted = penomoran.periksa_format(format_nomor)
    with deps.store() as store:
        current = store.pengaturan(lock=True)
        if expected and expected != current.version:
            raise e.VersiBerbeda()
        current.mode = mode or OTOMATIS
        current.format_nomor = formatted
        current.tempat = place
        current.diubah_oleh = pelaku(principal)
        store.save_pengaturan(current)
        return current
