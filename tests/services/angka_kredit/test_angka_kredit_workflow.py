"""The PAK workflow through gRPC: ajukan → setujui → TTE; another → unggah SK (wet signature); kembalikan
ke draft with alasan; every step in the riwayat with its actor and time. Automatic numbering from parallel
approvals gives 1..N without duplicate or gap; a manual duplicate is refused; a non-PDF or oversize SK is
refused and nothing changes; integrasi of a non-JF pegawai is refused."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import grpc
import pytest
from sqlalchemy import Engine, text

from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.angka_kredit.v1 import angka_kredit_pb2_grpc
from kinerja.org.v1 import org_pb2
from kinerja_testing.angka_kredit import AkWorld
from kinerja_testing.platform import rpc_error

pytestmark = pytest.mark.integration

Stub = angka_kredit_pb2_grpc.AngkaKreditServiceStub
TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def integrasi(
    stub: Stub, world: AkWorld, pegawai: org_pb2.Pegawai, ak: str = "45,5", tahun: int = 2022
) -> pb.Pak:
    return stub.CatatIntegrasi(
        pb.CatatIntegrasiRequest(
            pegawai_id=pegawai.id, tahun=tahun, angka_kredit=ak, dokumen_sumber="PAK 800/12/2022"
        ),
        metadata=world.admin,
    )


def ajukan(stub: Stub, world: AkWorld, pak: pb.Pak, nomor: str = "", tanggal: date = TODAY) -> pb.Pak:
    return stub.AjukanPak(
        pb.AjukanPakRequest(id=pak.id, nomor_sk=nomor, tempat="Semarang", tanggal_sk=tanggal.isoformat()),
        metadata=world.admin,
    )


def test_ajukan_setujui_tte_and_return_to_draft(world: AkWorld, ak_stub: Stub) -> None:
    pak = integrasi(ak_stub, world, world.analis)
    assert pak.sumber == pb.SUMBER_PAK_INTEGRASI and pak.status == pb.STATUS_PAK_DRAFT
    assert pak.angka_kredit.desimal == "45.5" and pak.dokumen_sumber == "PAK 800/12/2022"
    assert pak.tanggal_selesai == "2022-12-31"
    analis, kepala = world.as_(world.analis), world.as_(world.kepala)
    submitted = ak_stub.AjukanPak(
        pb.AjukanPakRequest(
            id=pak.id, tempat="Semarang", tanggal_sk="05-01-2025", expected_version=pak.version
        ),
        metadata=analis,
    )
    assert submitted.status == pb.STATUS_PAK_DIAJUKAN and submitted.tanggal_sk == "2025-01-05"
    assert submitted.nomor_sk == ""  # automatic numbering: at approval
    # only the pejabat penilai of today (or admin) approves; a stale version is refused
    code, err = rpc_error(
        ak_stub.SetujuiPak, pb.SetujuiPakRequest(id=pak.id), metadata=world.as_(world.pranata)
    )
    assert code == grpc.StatusCode.NOT_FOUND  # the pranata cannot even read it
    _, err = rpc_error(
        ak_stub.SetujuiPak, pb.SetujuiPakRequest(id=pak.id, expected_version=1), metadata=kepala
    )
    assert err.reason == "VERSION_CONFLICT"
    approved = ak_stub.SetujuiPak(pb.SetujuiPakRequest(id=pak.id), metadata=kepala)
    assert approved.status == pb.STATUS_PAK_DISETUJUI and approved.nomor_sk == "1/PAK/2025"
    signed = ak_stub.TandatanganiPak(pb.TandatanganiPakRequest(id=pak.id), metadata=kepala)
    assert signed.status == pb.STATUS_PAK_DITANDATANGANI
    assert signed.tanda_tangan.cara == pb.CARA_TANDA_TANGAN_TTE
    assert signed.tanda_tangan.oleh.pegawai_id == world.kepala.id and len(signed.tanda_tangan.sha256) == 64
    _, err = rpc_error(ak_stub.TandatanganiPak, pb.TandatanganiPakRequest(id=pak.id), metadata=kepala)
    assert err.reason == "STATUS_TIDAK_SESUAI"
    # back to draft: admin only, with alasan; the number is kept
    _, err = rpc_error(
        ak_stub.KembalikanPakKeDraft, pb.KembalikanPakKeDraftRequest(id=pak.id, alasan="x"), metadata=kepala
    )
    assert err.reason == "ADMIN_REQUIRED"
    _, err = rpc_error(
        ak_stub.KembalikanPakKeDraft,
        pb.KembalikanPakKeDraftRequest(id=pak.id, alasan=" "),
        metadata=world.admin,
    )
    assert err.violations[0].code == "ALASAN_WAJIB"
    back = ak_stub.KembalikanPakKeDraft(
        pb.KembalikanPakKeDraftRequest(id=pak.id, alasan="Salah tanggal SK"), metadata=world.admin
    )
    assert back.status == pb.STATUS_PAK_DRAFT and back.nomor_sk == "1/PAK/2025"
    assert not back.HasField("tanda_tangan")
    steps = [(s.aksi, s.status_sebelum, s.status_sesudah) for s in back.riwayat]
    assert steps == [
        ("DIBUAT", pb.STATUS_PAK_DRAFT, pb.STATUS_PAK_DRAFT),
        ("DIAJUKAN", pb.STATUS_PAK_DRAFT, pb.STATUS_PAK_DIAJUKAN),
        ("DISETUJUI", pb.STATUS_PAK_DIAJUKAN, pb.STATUS_PAK_DISETUJUI),
        ("DITANDATANGANI", pb.STATUS_PAK_DISETUJUI, pb.STATUS_PAK_DITANDATANGANI),
        ("DIKEMBALIKAN", pb.STATUS_PAK_DITANDATANGANI, pb.STATUS_PAK_DRAFT),
    ]
    assert back.riwayat[1].oleh.pegawai_id == world.analis.id
    assert back.riwayat[2].oleh.pegawai_id == world.kepala.id
    assert back.riwayat[-1].alasan == "Salah tanggal SK"
    assert all(s.at.seconds > 0 for s in back.riwayat)
    # re-approved: the same number again, none consumed
    ajukan(ak_stub, world, back, tanggal=date(2025, 2, 1))
    again = ak_stub.SetujuiPak(pb.SetujuiPakRequest(id=pak.id), metadata=world.admin)
    assert again.nomor_sk == "1/PAK/2025"


def test_wet_signature_upload(world: AkWorld, ak_stub: Stub, ak_inspect_engine: Engine) -> None:
    pak = ajukan(ak_stub, world, integrasi(ak_stub, world, world.analis))
    approved = ak_stub.SetujuiPak(pb.SetujuiPakRequest(id=pak.id), metadata=world.admin)
    for berkas, reason in (
        (b"GIF89a not a pdf %%EOF", "BERKAS_BUKAN_PDF"),
        (b"%PDF-1.4 without its end", "BERKAS_BUKAN_PDF"),
        (b"%PDF-1.4\n" + b"0" * 1_048_576 + b"\n%%EOF\n", "BERKAS_TERLALU_BESAR"),
    ):
        _, err = rpc_error(
            ak_stub.UnggahSkPak,
            pb.UnggahSkPakRequest(id=pak.id, berkas=berkas, nama_berkas="sk.pdf"),
            metadata=world.admin,
        )
        assert err.violations[0].code == reason
    unchanged = ak_stub.GetPak(pb.GetPakRequest(id=pak.id), metadata=world.admin)
    assert unchanged.version == approved.version and unchanged.status == pb.STATUS_PAK_DISETUJUI
    with ak_inspect_engine.connect() as conn:
        assert (
            conn.execute(text("select count(*) from sk_berkas where pak_id = :p"), {"p": pak.id}).scalar()
            == 0
        )
    _code, err = rpc_error(
        ak_stub.UnggahSkPak, pb.UnggahSkPakRequest(id=pak.id, berkas=PDF), metadata=world.as_(world.kepala)
    )
    assert err.reason == "ADMIN_REQUIRED"
    signed = ak_stub.UnggahSkPak(
        pb.UnggahSkPakRequest(id=pak.id, berkas=PDF, nama_berkas="SK PAK Siti.pdf"), metadata=world.admin
    )
    assert signed.status == pb.STATUS_PAK_DITANDATANGANI
    assert signed.tanda_tangan.cara == pb.CARA_TANDA_TANGAN_BASAH
    assert signed.tanda_tangan.sha256 == hashlib.sha256(PDF).hexdigest()
    assert signed.tanda_tangan.ukuran == len(PDF) and signed.tanda_tangan.nama_berkas == "SK PAK Siti.pdf"
    sk = ak_stub.GetSkPak(pb.GetSkPakRequest(id=pak.id), metadata=world.as_(world.analis))
    assert sk.berkas == PDF and sk.content_type == "application/pdf"


def test_automatic_numbers_of_parallel_approvals_have_no_gap(world: AkWorld, ak_stub: Stub) -> None:
    n = 12
    paks = [ajukan(ak_stub, world, integrasi(ak_stub, world, world.analis, ak="1")) for _ in range(n)]
    ak_stub.SetPengaturan(
        pb.SetPengaturanRequest(
            mode=pb.MODE_PENOMORAN_OTOMATIS, format_nomor="{nomor:3}/PAK/{bulan_romawi}/{tahun}"
        ),
        metadata=world.admin,
    )

    def approve(pak: pb.Pak) -> str:
        return ak_stub.SetujuiPak(pb.SetujuiPakRequest(id=pak.id), metadata=world.as_(world.kepala)).nomor_sk

    with ThreadPoolExecutor(max_workers=n) as pool:
        numbers = list(pool.map(approve, paks))
    suffix = f"/PAK/{['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'][TODAY.month - 1]}/{TODAY.year}"
    assert all(x.endswith(suffix) for x in numbers)
    assert sorted(int(x.split("/")[0]) for x in numbers) == list(range(1, n + 1))


def test_manual_numbers_are_unique_in_instansi_and_year(world: AkWorld, ak_stub: Stub) -> None:
    settings = ak_stub.SetPengaturan(
        pb.SetPengaturanRequest(mode=pb.MODE_PENOMORAN_MANUAL, tempat="Semarang"), metadata=world.admin
    )
    assert settings.mode == pb.MODE_PENOMORAN_MANUAL and settings.format_nomor == "{nomor}/PAK/{tahun}"
    first, second, third = (integrasi(ak_stub, world, world.analis) for _ in range(3))
    _, err = rpc_error(ajukan, ak_stub, world, first)
    assert err.violations[0].code == "NOMOR_SK_WAJIB"
    ajukan(ak_stub, world, first, nomor="800/1/BKD/2025", tanggal=date(2025, 3, 1))
    code, err = rpc_error(ajukan, ak_stub, world, second, nomor="800/1/BKD/2025", tanggal=date(2025, 6, 1))
    assert code == grpc.StatusCode.ALREADY_EXISTS and err.reason == "NOMOR_SK_TERPAKAI"
    assert ak_stub.GetPak(pb.GetPakRequest(id=second.id), metadata=world.admin).status == pb.STATUS_PAK_DRAFT
    # the same text in another year is another number
    assert ajukan(ak_stub, world, third, nomor="800/1/BKD/2025", tanggal=date(2024, 6, 1)).nomor_sk
    _, err = rpc_error(
        ak_stub.SetPengaturan, pb.SetPengaturanRequest(format_nomor="PAK/{tahun}"), metadata=world.admin
    )
    assert err.violations[0].code == "FORMAT_NOMOR_TIDAK_SAH"


def test_integrasi_needs_a_jf_pegawai(world: AkWorld, ak_stub: Stub) -> None:
    _, err = rpc_error(integrasi, ak_stub, world, world.pelaksana)
    assert err.reason == "BUKAN_JABATAN_FUNGSIONAL"
    _, err = rpc_error(integrasi, ak_stub, world, world.analis, ak="12,34567")
    assert {v.field for v in err.violations} == {"angka_kredit"}
    _, err = rpc_error(
        ak_stub.CatatIntegrasi,
        pb.CatatIntegrasiRequest(pegawai_id=world.analis.id, tahun=2022, angka_kredit="5"),
        metadata=world.admin,
    )
    assert {v.field for v in err.violations} == {"dokumen_sumber"}
    _code, err = rpc_error(
        ak_stub.CatatIntegrasi,
        pb.CatatIntegrasiRequest(
            pegawai_id=world.analis.id, tahun=2022, angka_kredit="5", dokumen_sumber="x"
        ),
        metadata=world.as_(world.analis),
    )
    assert err.reason == "ADMIN_REQUIRED"
