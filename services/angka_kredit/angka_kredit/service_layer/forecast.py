"""GetPrakiraan: the forecast of kenaikan pangkat and jenjang of a pegawai (the pegawai, their atasan
today, admin), from their PAKs and the domain's `prakiraan`."""

from __future__ import annotations

from angka_kredit.adapters.proto import nilai_ak
from angka_kredit.domain import prakiraan as forecast
from angka_kredit.domain.aturan import Predikat, aturan_pada
from angka_kredit.domain.kumulatif import jumlah_saat_ini, urutkan
from angka_kredit.domain.nilai import angka
from angka_kredit.service_layer.common import Deps, may_see, require_jf
from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.errors import NotFound
from kinerja_kit.handlers import caller, parse_id

PEGAWAI_NOT_FOUND = ("PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan.")


def _target(t: forecast.TargetPrakiraan) -> pb.TargetPrakiraan:
    message = pb.TargetPrakiraan(
        berlaku=t.berlaku,
        kumulatif=nilai_ak(t.kumulatif),
        kekurangan=nilai_ak(t.kekurangan),
        sudah_terpenuhi=t.sudah_terpenuhi,
        bulan_dibutuhkan=t.bulan_dibutuhkan,
        bulan_tercapai=t.bulan_tercapai,
        rumus=t.rumus,
    )
    if t.kebutuhan is not None:
        message.kebutuhan.CopyFrom(nilai_ak(t.kebutuhan))
    return message


def prakiraan_pb(deps: Deps, pegawai_id: str) -> pb.Prakiraan:
    principal = caller()
    if pegawai_id.strip():
        wanted = parse_id(pegawai_id, *PEGAWAI_NOT_FOUND)
    elif principal.pegawai_id is not None:
        wanted = principal.pegawai_id
    else:
        raise NotFound(*PEGAWAI_NOT_FOUND)
    if not may_see(deps, principal, wanted):
        raise NotFound(*PEGAWAI_NOT_FOUND)
    pegawai = deps.org.pegawai([wanted]).get(wanted)
    if pegawai is None:
        raise NotFound(*PEGAWAI_NOT_FOUND)
    require_jf(pegawai)
    today = deps.clock()
    aturan = aturan_pada(today)
    jenjang = aturan.jenjang_of(pegawai.jenjang)
    with deps.store() as store:
        paks = {p.id: p for p in store.of_pegawai(wanted)}
    rows = urutkan([p.ringkas() for p in paks.values()])
    kp, kj = jumlah_saat_ini(rows, jenjang.nama, pegawai.golongan)
    # The latest predikat that counts: the pending figures of an approved PAK waiting for a new one.
    predikat = [h.predikat for r in rows if (h := paks[r.id].angka_efektif.perhitungan) is not None]
    terakhir = Predikat(predikat[-1]) if predikat else None
    mulai = forecast.mulai_bulan(rows[-1].tanggal_selesai if rows else None, today)
    found = forecast.prakiraan(
        jenjang=jenjang.nama,
        golongan=pegawai.golongan,
        kumulatif_pangkat=kp,
        kumulatif_jenjang=kj,
        predikat_terakhir=terakhir,
        mulai=mulai,
        aturan=aturan,
        hari_ini=today,
    )
    return pb.Prakiraan(
        pegawai=skp_pb2.Pejabat(
            pegawai_id=str(pegawai.id),
            nip=pegawai.nip,
            nama=pegawai.nama,
            golongan=pegawai.golongan,
            pangkat=pegawai.pangkat,
            jabatan=pegawai.jabatan,
            unor_id=str(pegawai.unor_id),
        ),
        jabatan=pegawai.jabatan,
        jenjang=found.jenjang,
        golongan=found.golongan,
        koefisien=angka(found.koefisien),
        jenjang_berikutnya=found.jenjang_berikutnya or "",
        kumulatif_pangkat=nilai_ak(found.kumulatif_pangkat),
        kumulatif_jenjang=nilai_ak(found.kumulatif_jenjang),
        mulai_bulan=found.mulai_bulan,
        predikat_terakhir=int(found.predikat_terakhir or 0),  # type: ignore[arg-type]
        skenario=[
            pb.SkenarioPrakiraan(
                predikat=int(s.predikat),  # type: ignore[arg-type]
                saat_ini=s.saat_ini,
                ak_per_tahun=nilai_ak(s.ak_per_tahun),
                rumus_per_tahun=s.rumus_per_tahun,
                kenaikan_pangkat=_target(s.kenaikan_pangkat),
                kenaikan_jenjang=_target(s.kenaikan_jenjang),
            )
            for s in found.skenario
        ],
        catatan=found.catatan,
        aturan_versi=found.aturan_versi,
        aturan_sumber=found.aturan_sumber,
    )
