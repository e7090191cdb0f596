"""Assessment demo data of BKD Provinsi Jawa Tengah (demo structure 1) for the current quarter, through the
public gRPC APIs of skp and assessment, each person calling with their own token:

- prakom_2 (a pranata komputer under kabid_informasi): an SKP intervening the kepala bidang's first RHK,
  approved by him, with rencana aksi in the quarter; perilaku rated by the atasan (five values) and by a
  rekan, prakom_1 (Harmonis, Kolaboratif). Its penilaian of the quarter is open with the realisasi of one
  of its two indikator entered, with a bukti dukung link. Inboxes: the kepala bidang NILAI_BAWAHAN and
  FEEDBACK_PERILAKU, prakom_1 FEEDBACK_PERILAKU, prakom_2 ISI_REALISASI.
- analis_informasi: an SKP on the kepala bidang's second RHK, approved the same way (every value rated
  by the atasan); her penilaian of the quarter filled in, given feedback and umpan balik and rated by
  the kepala bidang: predikat Baik, which she may object to (keberatan).
- admin instansi (data_kepegawaian): the capaian kinerja organisasi of the BKD (the unit kerja of all of
  them) for the quarter, Baik and not final, so its statistik and pola distribusi show the ratings.

Every step is skipped when done, so a second load changes nothing. The assessment service learns of an
approved SKP asynchronously (skp's events, its projection consumer): opening a penilaian waits for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import grpc

from kinerja.assessment.v1 import assessment_pb2, assessment_pb2_grpc
from kinerja.identity.v1 import identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.errors import from_rpc_error
from kinerja_kit.handlers import today
from kinerja_testing.demo.org import demo_structure
from kinerja_testing.demo.skp import Metadata, _current_periode, _indikator, _login, _new_skp, _own_skp

Stub = assessment_pb2_grpc.AssessmentServiceStub
T = TypeVar("T")

# How long to wait for the assessment service to receive what skp and org published.
PROJECTION_WAIT_SECONDS = 90.0

_ATASAN, _REKAN = skp_pb2.JENIS_PENILAI_ATASAN, skp_pb2.JENIS_PENILAI_REKAN_KERJA
_N = skp_pb2.NilaiPerilaku


@dataclass(frozen=True)
class Rencana:
    """A staff SKP of the demo: one RHK utama intervening an RHK of the atasan's SKP (by index), its
    indikator (teks, target, satuan, aspek), the quarter's rencana aksi (teks, target, satuan), the
    realisasi the owner enters for the first indikator (nilai, keterangan, the bukti dukung's name), and
    the perilaku values a rekan rates (the atasan rates the others)."""

    key: str
    atasan_rhk: int
    rhk: str
    indikator: list[tuple[str, str, str, int]]
    rencana_aksi: tuple[str, str, str]
    realisasi: list[tuple[str, str, str]]
    rekan: str | None = None
    nilai_rekan: tuple[int, ...] = ()


PRAKOM_2 = Rencana(
    key="prakom_2",
    atasan_rhk=0,
    rhk="Terlaksananya integrasi data kinerja pegawai antara e-Kinerja dan SIASN",
    indikator=[
        (
            "Jumlah layanan data kinerja yang terintegrasi dengan SIASN",
            "4",
            "Layanan",
            skp_pb2.ASPEK_KUANTITAS,
        ),
        ("Persentase sinkronisasi data SKP yang berhasil", "95", "Persen", skp_pb2.ASPEK_KUALITAS),
    ],
    rencana_aksi=("Uji coba sinkronisasi data SKP dengan SIASN", "1", "Kegiatan"),
    realisasi=[
        (
            "3",
            "Tiga layanan (data SKP, penilaian, predikat) sudah tersambung; satu dalam uji coba.",
            "Berita acara uji coba integrasi",
        )
    ],
    rekan="prakom_1",
    nilai_rekan=(_N.Value("NILAI_PERILAKU_HARMONIS"), _N.Value("NILAI_PERILAKU_KOLABORATIF")),
)
ANALIS = Rencana(
    key="analis_informasi",
    atasan_rhk=1,
    rhk="Tersusunnya analisis hasil penilaian kinerja pegawai per perangkat daerah",
    indikator=[("Jumlah laporan analisis penilaian kinerja", "1", "Laporan", skp_pb2.ASPEK_KUANTITAS)],
    rencana_aksi=("Menyusun analisis sebaran predikat kinerja triwulan", "1", "Laporan"),
    realisasi=[("1", "Laporan analisis disampaikan kepada kepala bidang.", "Laporan analisis triwulan")],
)
# The kepala bidang on analis_informasi's penilaian: feedback, umpan balik and the ratings.
FEEDBACK = "Responsif, teliti dan mudah diajak bekerja sama."
UMPAN_BALIK_INDIKATOR = "Laporan lengkap dan tepat waktu; tambahkan rekomendasi per perangkat daerah."
UMPAN_BALIK_PERILAKU = "Pertahankan."
RATING = (assessment_pb2.RATING_SESUAI_EKSPEKTASI, assessment_pb2.RATING_DI_ATAS_EKSPEKTASI)
# The admin's capaian kinerja organisasi of the BKD for the quarter.
CAPAIAN = assessment_pb2.CAPAIAN_BAIK
BUKTI_URL = "https://arsip.bkd-jateng.example/kinerja"


def _reason(error: grpc.RpcError) -> tuple[str, list[str]]:
    domain = from_rpc_error(error)
    return (domain.reason, [v.code for v in domain.violations]) if domain else ("", [])


def _until_projected(call: Callable[[], T], waiting: Callable[[str, list[str]], bool], what: str) -> T:
    """Runs `call` until it stops failing with what `waiting` says is assessment not having received
    skp's or org's events yet; gives up after PROJECTION_WAIT_SECONDS with a message that says so."""
    deadline = time.monotonic() + PROJECTION_WAIT_SECONDS
    while True:
        try:
            return call()
        except grpc.RpcError as error:
            reason, violations = _reason(error)
            if not waiting(reason, violations):
                raise
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"The assessment service has not received {what} after {PROJECTION_WAIT_SECONDS:.0f} s "
                    f"(last answer: {reason} {violations}). Is its projection consumer running and the "
                    "broker reachable? See the assessment and assessment-consumer logs."
                ) from error
            time.sleep(0.5)


def _penilai_perilaku(
    skp: skp_pb2_grpc.SkpServiceStub, md: Metadata, own: skp_pb2.Skp, rekan_id: str, plan: Rencana
) -> None:
    """The penilai of each perilaku value: the rekan for the plan's values, the atasan for the others."""
    for perilaku in own.perilaku:
        jenis, pegawai_id = (_REKAN, rekan_id) if perilaku.nilai in plan.nilai_rekan else (_ATASAN, "")
        if perilaku.penilai_jenis == jenis and (
            jenis == _ATASAN or perilaku.penilai_pegawai_id == pegawai_id
        ):
            continue
        request = skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=own.id,
            nilai=perilaku.nilai,
            penilai_jenis=jenis,  # type: ignore[arg-type]
            penilai_pegawai_id=pegawai_id,
        )
        skp.SetPenilaiPerilaku(request, metadata=md)


def _rencana_aksi(
    skp: skp_pb2_grpc.SkpServiceStub, md: Metadata, own: skp_pb2.Skp, periode_id: str, plan: Rencana
) -> bool:
    """The quarter's rencana aksi on every RHK that has none in it (a draft or an approved SKP)."""
    teks, target, satuan = plan.rencana_aksi
    added = False
    for rhk in own.rhk:
        if any(r.periode_id == periode_id for r in rhk.rencana_aksi):
            continue
        rencana = skp_pb2.RencanaAksiInput(
            rhk_id=rhk.id, periode_id=periode_id, teks=teks, target=target, satuan=satuan
        )
        skp.AddRencanaAksi(skp_pb2.AddRencanaAksiRequest(skp_id=own.id, rencana_aksi=rencana), metadata=md)
        added = True
    return added


def _approved_skp(
    skp: skp_pb2_grpc.SkpServiceStub,
    own: Metadata,
    atasan: Metadata,
    tahun: int,
    periode_id: str,
    atasan_skp: skp_pb2.Skp,
    rekan_id: str,
    plan: Rencana,
) -> tuple[skp_pb2.Skp, bool]:
    """The staff member's SKP of the year, built, submitted and approved by the atasan as far as it is
    not yet; with the quarter's rencana aksi. Returns it and whether anything was done."""
    current = _own_skp(skp, own, tahun)
    loaded = current is None
    if current is None:
        current = _new_skp(skp, own, tahun)
    if current.status == skp_pb2.STATUS_SKP_DRAFT:
        loaded = True
        if not current.rhk:
            rhk = skp_pb2.RhkInput(
                jenis=skp_pb2.JENIS_RHK_UTAMA, teks=plan.rhk, atasan_rhk_id=atasan_skp.rhk[plan.atasan_rhk].id
            )
            current = skp.AddRhk(skp_pb2.AddRhkRequest(skp_id=current.id, rhk=rhk), metadata=own)
        rhk_id = current.rhk[0].id
        have = {i.teks for i in current.rhk[0].indikator}
        for teks, target, satuan, aspek in plan.indikator:
            if teks not in have:
                current = _indikator(skp, own, current.id, rhk_id, teks, target, satuan, aspek)
        _rencana_aksi(skp, own, current, periode_id, plan)
        _penilai_perilaku(skp, own, current, rekan_id, plan)
        current = skp.SubmitSkp(skp_pb2.SubmitSkpRequest(id=current.id), metadata=own)
    if current.status == skp_pb2.STATUS_SKP_DIAJUKAN:
        loaded = True
        current = skp.ApproveSkp(skp_pb2.ApproveSkpRequest(id=current.id), metadata=atasan)
    if _rencana_aksi(skp, own, current, periode_id, plan):  # approved in an earlier quarter
        loaded = True
    return current, loaded


def _penilaian(
    assessment: Stub, md: Metadata, skp_id: str, periode_id: str
) -> tuple[assessment_pb2.Penilaian, bool]:
    """The SKP's penilaian of the periode, opened by its owner unless it is; and whether it was opened.

    skp's approval and rencana aksi reach assessment through its projection: until then opening answers
    SKP_NOT_FOUND, PERIODE_NOT_FOUND or SKP_BELUM_SIAP (the SKP as it was before), so it is retried."""
    request = assessment_pb2.ListPenilaianRequest(
        scope=assessment_pb2.PENILAIAN_SCOPE_SAYA, skp_id=skp_id, periode_id=periode_id
    )
    found = assessment.ListPenilaian(request, metadata=md).penilaian
    if found:
        return assessment.GetPenilaian(assessment_pb2.GetPenilaianRequest(id=found[0].id), metadata=md), False
    key = [("idempotency-key", f"demo-open-{skp_id}-{periode_id}")]

    def lagging(reason: str, violations: list[str]) -> bool:
        if reason in ("SKP_NOT_FOUND", "PERIODE_NOT_FOUND"):
            return True
        readiness = {"SKP_BELUM_DISETUJUI", "RHK_TANPA_RENCANA_AKSI"}
        return reason == "SKP_BELUM_SIAP" and bool(violations) and set(violations) <= readiness

    opened = _until_projected(
        lambda: assessment.OpenPenilaian(
            assessment_pb2.OpenPenilaianRequest(skp_id=skp_id, periode_id=periode_id), metadata=[*md, *key]
        ),
        lagging,
        f"the approved SKP {skp_id}",
    )
    return opened, True


def _realisasi(assessment: Stub, md: Metadata, penilaian: assessment_pb2.Penilaian, plan: Rencana) -> bool:
    """The owner's realisasi of the plan's first indikator (as many as it has realisasi for), each with a
    bukti dukung link."""
    loaded = False
    periode = penilaian.periode_nama.lower().replace(" ", "-")
    folder = f"{BUKTI_URL}/{penilaian.tahun}/{penilaian.pegawai.nip}"
    for number, (item, (nilai, keterangan, bukti)) in enumerate(
        zip(penilaian.realisasi, plan.realisasi, strict=False), start=1
    ):
        if item.terisi:
            continue
        link = assessment_pb2.BuktiDukungInput(nama=bukti, url=f"{folder}/{periode}-indikator-{number}.pdf")
        realisasi = assessment_pb2.RealisasiInput(nilai=nilai, keterangan=keterangan, bukti_dukung=[link])
        request = assessment_pb2.SetRealisasiRequest(
            penilaian_id=penilaian.id, indikator_id=item.indikator_id, realisasi=realisasi
        )
        assessment.SetRealisasi(request, metadata=md)
        loaded = True
    return loaded


def _rate(assessment: Stub, penilai: Metadata, penilaian_id: str) -> bool:
    """The pejabat penilai's feedback on the values chosen for them, umpan balik on everything, the rating."""
    current = assessment.GetPenilaian(assessment_pb2.GetPenilaianRequest(id=penilaian_id), metadata=penilai)
    if current.status != assessment_pb2.STATUS_PENILAIAN_DIBUKA:
        return False
    for perilaku in current.perilaku:
        if not perilaku.feedback and perilaku.penilai_jenis == _ATASAN:
            request = assessment_pb2.SetFeedbackPerilakuRequest(
                penilaian_id=penilaian_id, nilai=perilaku.nilai, feedback=FEEDBACK
            )
            assessment.SetFeedbackPerilaku(request, metadata=penilai)
    for item in current.realisasi:
        if not item.umpan_balik:
            request_ub = assessment_pb2.SetUmpanBalikRequest(
                penilaian_id=penilaian_id, indikator_id=item.indikator_id, umpan_balik=UMPAN_BALIK_INDIKATOR
            )
            assessment.SetUmpanBalik(request_ub, metadata=penilai)
    for perilaku in current.perilaku:
        if not perilaku.umpan_balik:
            request_ub = assessment_pb2.SetUmpanBalikRequest(
                penilaian_id=penilaian_id, nilai=perilaku.nilai, umpan_balik=UMPAN_BALIK_PERILAKU
            )
            assessment.SetUmpanBalik(request_ub, metadata=penilai)
    hasil, perilaku_kerja = RATING
    rating = assessment_pb2.RatePenilaianRequest(
        penilaian_id=penilaian_id, rating_hasil_kerja=hasil, rating_perilaku_kerja=perilaku_kerja
    )
    assessment.RatePenilaian(rating, metadata=penilai)
    return True


def _capaian(
    assessment: Stub, org: org_pb2_grpc.OrgServiceStub, admin: Metadata, tahun: int, periode_id: str
) -> bool:
    """The BKD's capaian kinerja organisasi for the periode, unless it has one."""
    structure = demo_structure(1)
    nama = next(u.nama for u in structure.unor if u.key == "bkd")
    unit_id = next(
        u.id for u in org.ListUnor(org_pb2.ListUnorRequest(), metadata=admin).unor if u.nama == nama
    )
    listed = assessment.ListCapaian(
        assessment_pb2.ListCapaianRequest(tahun=tahun, periode_id=periode_id, page_size=100), metadata=admin
    )
    if any(c.unor_id == unit_id for c in listed.capaian):
        return False
    capaian = assessment_pb2.CapaianInput(
        tahun=tahun,
        periode_id=periode_id,
        unor_id=unit_id,
        capaian=CAPAIAN,
        bukti_dukung_url=f"{BUKTI_URL}/{tahun}/capaian-organisasi.pdf",
    )
    key = [("idempotency-key", f"demo-capaian-{tahun}-{periode_id}-{unit_id}")]
    _until_projected(
        lambda: assessment.SetCapaian(
            assessment_pb2.SetCapaianRequest(capaian=capaian), metadata=[*admin, *key]
        ),
        lambda reason, _: reason in ("UNOR_NOT_FOUND", "BUKAN_UNIT_KERJA", "PERIODE_NOT_FOUND"),
        f"the unit kerja {nama} from org",
    )
    return True


def load_assessment_demo(
    identity: identity_pb2_grpc.IdentityServiceStub,
    org: org_pb2_grpc.OrgServiceStub,
    skp: skp_pb2_grpc.SkpServiceStub,
    assessment: Stub,
    passwords: Mapping[str, str],
) -> bool:
    """Loads what is missing, after the SKP demo (the kepala bidang's SKP and the periode set must exist);
    `passwords` maps demo keys (data_kepegawaian, kabid_informasi, prakom_1, prakom_2, analis_informasi)
    to their passwords. Returns whether anything was loaded."""
    nip = {p.key: p.nip for p in demo_structure(1).pegawai}

    def md(key: str) -> Metadata:
        return _login(identity, nip[key], passwords[key])

    tahun = today().year
    atasan = md("kabid_informasi")
    atasan_skp = _own_skp(skp, atasan, tahun)
    if atasan_skp is None:
        raise RuntimeError("The assessment demo needs the SKP demo first: the kepala bidang has no SKP.")
    periode_id = _current_periode(skp, atasan)
    loaded = False
    for plan, rated in ((PRAKOM_2, False), (ANALIS, True)):
        own = md(plan.key)
        rekan_id = ""
        if plan.rekan:
            search = org_pb2.SearchPegawaiRequest(query=nip[plan.rekan])
            rekan_id = org.SearchPegawai(search, metadata=own).pegawai[0].id
        current, done = _approved_skp(skp, own, atasan, tahun, periode_id, atasan_skp, rekan_id, plan)
        if done:
            print(f"Loaded assessment demo data: the approved SKP {tahun} of {plan.key}", flush=True)
        penilaian, opened = _penilaian(assessment, own, current.id, periode_id)
        if opened:
            print(f"Loaded assessment demo data: the penilaian of {plan.key}", flush=True)
        done = _realisasi(assessment, own, penilaian, plan) or done
        if rated:
            done = _rate(assessment, atasan, penilaian.id) or done
        loaded = loaded or done or opened
    if _capaian(assessment, org, md("data_kepegawaian"), tahun, periode_id):
        print("Loaded assessment demo data: the capaian kinerja organisasi of the BKD", flush=True)
        loaded = True
    return loaded
