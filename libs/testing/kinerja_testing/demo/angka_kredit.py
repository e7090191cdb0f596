"""Angka kredit demo data of BKD Provinsi Jawa Tengah (demo structure 1), through the public gRPC API of
angka_kredit, each person calling with their own token:

- analis_informasi (Analis Kepegawaian Ahli Pertama, III/a): the AK carried over from before PermenPAN-RB
  1/2023 (integrasi, recorded by the admin instansi), submitted by her, approved by her pejabat penilai
  (kabid_informasi: the SK number is given by the instansi's automatic numbering) and signed by him (TTE).
  Her PAK list, the cumulative AK against kebutuhan 50 (pangkat) and 100 (jenjang) and her forecast show it.
- prakom_2 (Pranata Komputer Ahli Pertama, III/b): an integrasi submitted and waiting: the kepala bidang's
  PERSETUJUAN list holds it.

Konversi PAK come from final predikat (PredikatDitetapkan of a FINAL periode), which the demo's quarter does
not reach. Every step is skipped when done, so a second load changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kinerja.angka_kredit.v1 import angka_kredit_pb2, angka_kredit_pb2_grpc
from kinerja.identity.v1 import identity_pb2_grpc
from kinerja_kit.handlers import today
from kinerja_testing.demo.org import demo_structure
from kinerja_testing.demo.skp import Metadata, _login

Stub = angka_kredit_pb2_grpc.AngkaKreditServiceStub
TEMPAT = "Semarang"


@dataclass(frozen=True)
class Integrasi:
    """AK carried over for one demo pegawai, and how far its PAK goes (DIAJUKAN, DITANDATANGANI)."""

    key: str
    tahun: int
    angka_kredit: str
    dokumen_sumber: str
    sampai: int


INTEGRASI = [
    Integrasi(
        "analis_informasi",
        2022,
        "12,5",
        "PAK 800/0412/BKD/2022 (angka kredit kumulatif terakhir sebelum PermenPAN-RB 1/2023)",
        angka_kredit_pb2.STATUS_PAK_DITANDATANGANI,
    ),
    Integrasi(
        "prakom_2",
        2022,
        "37,5",
        "PAK 800/0398/BKD/2022 (angka kredit kumulatif terakhir sebelum PermenPAN-RB 1/2023)",
        angka_kredit_pb2.STATUS_PAK_DIAJUKAN,
    ),
]


def _own_pak(stub: Stub, md: Metadata, tahun: int) -> angka_kredit_pb2.Pak | None:
    request = angka_kredit_pb2.ListPakRequest(scope=angka_kredit_pb2.PAK_SCOPE_SAYA, tahun=tahun)
    found = stub.ListPak(request, metadata=md).pak
    return found[0] if found else None


def _pegawai_id(stub: Stub, md: Metadata) -> str:
    """The caller's pegawai id, as angka kredit reads it (their forecast names them)."""
    return stub.GetPrakiraan(angka_kredit_pb2.GetPrakiraanRequest(), metadata=md).pegawai.pegawai_id


def load_angka_kredit_demo(
    identity: identity_pb2_grpc.IdentityServiceStub, stub: Stub, passwords: Mapping[str, str]
) -> bool:
    """Loads what is missing; `passwords` maps demo keys (data_kepegawaian, kabid_informasi,
    analis_informasi, prakom_2) to their passwords. Returns whether anything was loaded."""
    nip = {p.key: p.nip for p in demo_structure(1).pegawai}

    def md(key: str) -> Metadata:
        return _login(identity, nip[key], passwords[key])

    admin, penilai = md("data_kepegawaian"), md("kabid_informasi")
    loaded = False
    for plan in INTEGRASI:
        own = md(plan.key)
        done = False
        pak = _own_pak(stub, own, plan.tahun)
        if pak is None:
            request = angka_kredit_pb2.CatatIntegrasiRequest(
                pegawai_id=_pegawai_id(stub, own),
                tahun=plan.tahun,
                angka_kredit=plan.angka_kredit,
                dokumen_sumber=plan.dokumen_sumber,
            )
            key = [("idempotency-key", f"demo-integrasi-{plan.key}-{plan.tahun}")]
            pak = stub.CatatIntegrasi(request, metadata=[*admin, *key])
            done = True
        if pak.status == angka_kredit_pb2.STATUS_PAK_DRAFT:
            ajukan = angka_kredit_pb2.AjukanPakRequest(
                id=pak.id, tempat=TEMPAT, tanggal_sk=today().isoformat()
            )
            pak = stub.AjukanPak(ajukan, metadata=own)
            done = True
        if pak.status == angka_kredit_pb2.STATUS_PAK_DIAJUKAN and plan.sampai > pak.status:
            pak = stub.SetujuiPak(angka_kredit_pb2.SetujuiPakRequest(id=pak.id), metadata=penilai)
            done = True
        if pak.status == angka_kredit_pb2.STATUS_PAK_DISETUJUI and plan.sampai > pak.status:
            pak = stub.TandatanganiPak(angka_kredit_pb2.TandatanganiPakRequest(id=pak.id), metadata=penilai)
            done = True
        if done:
            print(f"Loaded angka kredit demo data: the PAK of {plan.key} ({pak.nomor_sk or 'tanpa nomor'})")
        loaded = loaded or done
    return loaded
