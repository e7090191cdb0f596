"""Angka kredit in tests: a small org world (a kepala, JF pegawai under them, a pelaksana), the
PredikatDitetapkan events assessment would publish, sent to the real broker as assessment's relay sends
them, and waits for the PAK they make.

The service itself runs beside the platform through the `angka_kredit_service` fixture of
`kinerja_testing.platform` (import it into a conftest)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, text

from kinerja.angka_kredit.v1 import angka_kredit_pb2
from kinerja.assessment.v1 import assessment_pb2
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.context import ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.ids import new_id
from kinerja_kit.outbox import OutboxEvent
from kinerja_testing.org import OrgWorld, Tenant
from kinerja_testing.platform import fast_producer, md, wait_for

TOPIC_PENILAIAN = "kinerja.assessment.penilaian.v1"
ANALIS = org_pb2.Jabatan(
    nama="Analis SDM Aparatur", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL, jenjang="Ahli Pertama"
)
PRANATA = org_pb2.Jabatan(nama="Pranata Komputer", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL, jenjang="Mahir")
PELAKSANA = org_pb2.Jabatan(nama="Pengelola Keuangan", jenis=org_pb2.JENIS_JABATAN_PELAKSANA)
Metadata = list[tuple[str, str]]


@dataclass
class AkWorld:
    """One instansi: the kepala (pimpinan of the root unor, the atasan langsung and so pejabat penilai of
    everyone below), JF pegawai `analis` (Ahli Pertama, golongan III/a) and `pranata` (Mahir), a pelaksana."""

    tenant: Tenant
    kepala: org_pb2.Pegawai
    analis: org_pb2.Pegawai
    pranata: org_pb2.Pegawai
    pelaksana: org_pb2.Pegawai

    @property
    def instansi_id(self) -> uuid.UUID:
        return self.tenant.id

    @property
    def admin(self) -> Metadata:
        return self.tenant.admin

    def as_(self, pegawai: org_pb2.Pegawai) -> Metadata:
        return md(self.tenant.token_for(self.tenant.id, ROLE_PEGAWAI, pegawai_id=uuid.UUID(pegawai.id)))

    def as_admin_of(self, pegawai: org_pb2.Pegawai) -> Metadata:
        return md(
            self.tenant.token_for(self.tenant.id, ROLE_ADMIN_INSTANSI, pegawai_id=uuid.UUID(pegawai.id))
        )


def ak_world(org: OrgWorld, n_analis: int = 1) -> AkWorld:
    tenant = org.instansi("Badan Kepegawaian Daerah Uji")
    root = org.root(tenant, "Badan Kepegawaian Daerah")
    kepala = org.pegawai(
        tenant,
        root.id,
        "Kepala Badan",
        pimpinan=True,
        jabatan=org_pb2.Jabatan(nama="Kepala Badan", jenis=org_pb2.JENIS_JABATAN_JPT),
        golongan="IV/c",
    )
    analis = org.pegawai(tenant, root.id, "Siti Aminah", jabatan=ANALIS, golongan="III/a")
    pranata = org.pegawai(tenant, root.id, "Rudi Hartono", jabatan=PRANATA, golongan="III/b")
    pelaksana = org.pegawai(tenant, root.id, "Dewi Lestari", jabatan=PELAKSANA, golongan="II/c")
    return AkWorld(tenant, kepala, analis, pranata, pelaksana)


def pejabat(p: org_pb2.Pegawai) -> skp_pb2.Pejabat:
    return skp_pb2.Pejabat(
        pegawai_id=p.id,
        nip=p.nip,
        nama=p.nama,
        golongan=p.golongan,
        jabatan=p.jabatan.nama,
        unor_id=p.unor_id,
    )


def predikat_event(
    pegawai: org_pb2.Pegawai,
    penilai: org_pb2.Pegawai,
    predikat: int = assessment_pb2.PREDIKAT_SANGAT_BAIK,
    *,
    penilaian_id: str = "",
    tahun: int = 2024,
    mulai: date | None = None,
    selesai: date | None = None,
    jumlah_bulan: int = 12,
    tmt_jabatan: str = "",
    final: bool = True,
    jabatan_jenis: str = "JENIS_JABATAN_FUNGSIONAL",
    jenjang: str | None = None,
    keberatan_id: str = "",
    sebelumnya: int = 0,
) -> assessment_pb2.PredikatDitetapkan:
    """The PredikatDitetapkan assessment publishes when a penilaian is rated (a final periode by default)."""
    return assessment_pb2.PredikatDitetapkan(
        penilaian_id=penilaian_id or str(new_id()),
        skp_id=str(new_id()),
        periode_id=str(new_id()),
        periode_jenis=skp_pb2.JENIS_PERIODE_FINAL if final else skp_pb2.JENIS_PERIODE_BIASA,
        tahun=tahun,
        tanggal_mulai=(mulai or date(tahun, 1, 1)).isoformat(),
        tanggal_selesai=(selesai or date(tahun, 12, 31)).isoformat(),
        jumlah_bulan=jumlah_bulan,
        pegawai=pejabat(pegawai),
        jabatan=pegawai.jabatan.nama,
        jabatan_jenis=jabatan_jenis,
        jenjang=pegawai.jabatan.jenjang if jenjang is None else jenjang,
        penilai=pejabat(penilai),
        predikat=predikat,  # type: ignore[arg-type]
        penjelasan=assessment_pb2.PenjelasanPredikat(predikat=predikat, keberatan_id=keberatan_id),  # type: ignore[arg-type]
        sebelumnya=sebelumnya,  # type: ignore[arg-type]
        tmt_jabatan=tmt_jabatan,
    )


_versions: dict[str, int] = {}


def publish_predikat(
    bootstrap: str, instansi_id: uuid.UUID, event: assessment_pb2.PredikatDitetapkan
) -> None:
    """Sends the event to assessment's topic in its envelope (key: the penilaian), as its relay does."""
    version = _versions[event.penilaian_id] = _versions.get(event.penilaian_id, 0) + 1
    built = OutboxEvent.build(
        topic=TOPIC_PENILAIAN,
        payload=event,
        aggregate_type="penilaian",
        aggregate_id=event.penilaian_id,
        aggregate_version=version,
        instansi_id=instansi_id,
        actor=None,
    )
    producer = fast_producer(bootstrap)
    try:
        producer.send(
            TOPIC_PENILAIAN,
            value=built.envelope.SerializeToString(),
            key=event.penilaian_id.encode(),
            headers=[(k, v.encode()) for k, v in built.headers().items()],
        ).get(timeout=30)
    finally:
        producer.close()


def stored_pak(engine: Engine, penilaian_id: str) -> Any:
    """The pak row of a penilaian as stored (superuser: RLS bypassed), or None."""
    with engine.connect() as conn:
        return conn.execute(
            text("select * from pak where penilaian_id = :p"), {"p": uuid.UUID(penilaian_id)}
        ).first()


def wait_pak(engine: Engine, penilaian_id: str, version: int = 1) -> Any:
    """Waits until the PAK of a penilaian exists (with at least `version`); returns its row."""
    wait_for(
        lambda: (row := stored_pak(engine, penilaian_id)) is not None and row.version >= version,
        what=f"the PAK of penilaian {penilaian_id} (version {version})",
    )
    return stored_pak(engine, penilaian_id)


def status_name(value: int) -> str:
    return angka_kredit_pb2.StatusPak.Name(value)  # type: ignore[arg-type]
