"""The figures of a PAK as stored: its perhitungan (domain `perhitungan.hitung`), and the two kumulatif
(domain `kumulatif.kumulatif`) of every PAK of a pegawai, recomputed after any change of an AK with the
cascade to the later PAKs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from angka_kredit.adapters.proto import nilai_ak, pak_pb, to_json
from angka_kredit.adapters.repository import SqlStore
from angka_kredit.domain.kumulatif import Kumulatif, PakRingkas, kumulatif
from angka_kredit.domain.perhitungan import Perhitungan
from angka_kredit.service_layer.records import DIAJUKAN, DISETUJUI, DITANDATANGANI, DRAFT, PakRecord
from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb

ALASAN_SEBELUMNYA = "AK PAK sebelumnya berubah"


def perhitungan_json(h: Perhitungan) -> dict[str, Any]:
    return to_json(
        pb.Perhitungan(
            predikat=int(h.predikat),  # type: ignore[arg-type]
            jumlah_bulan=h.jumlah_bulan,
            uraian_bulan=h.uraian_bulan,
            persentase=h.persentase_teks,
            koefisien=h.koefisien_teks,
            angka_kredit=nilai_ak(h.angka_kredit),
            rumus=h.rumus,
            aturan_versi=h.aturan_versi,
            aturan_berlaku_sejak=h.aturan_berlaku_sejak.isoformat(),
            aturan_sumber=h.aturan_sumber,
        )
    )


def kumulatif_pb(k: Kumulatif) -> pb.Kumulatif:
    message = pb.Kumulatif(
        lama=nilai_ak(k.lama),
        diperoleh=nilai_ak(k.diperoleh),
        baru=nilai_ak(k.baru),
        terpenuhi=k.terpenuhi,
        kekurangan=nilai_ak(k.kekurangan),
        uraian=k.uraian,
    )
    if k.kebutuhan is not None:
        message.kebutuhan.CopyFrom(nilai_ak(k.kebutuhan))
    return message


def ringkas(p: PakRecord) -> PakRingkas:
    return PakRingkas(
        id=p.id,
        jenjang=p.jenjang,
        golongan=p.golongan,
        tanggal_selesai=p.tanggal_selesai,
        created_at=p.created_at or datetime.now(UTC),
        angka_kredit=p.ak,
    )


def kumulatif_json(rows: Sequence[PakRecord], index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The domain's kumulatif of rows[index] over the pegawai's PAKs, as stored."""
    kp, kj = kumulatif([ringkas(r) for r in rows], index)
    return to_json(kumulatif_pb(kp)), to_json(kumulatif_pb(kj))


def ordered(rows: list[PakRecord]) -> list[PakRecord]:
    return sorted(rows, key=lambda r: ringkas(r).urutan)


def langkah(
    aksi: str, sebelum: str, sesudah: str, oleh: dict[str, Any] | None, alasan: str = ""
) -> dict[str, Any]:
    message = pb.Langkah(
        aksi=aksi,
        status_sebelum=pb.StatusPak.Value(f"STATUS_PAK_{sebelum}"),
        status_sesudah=pb.StatusPak.Value(f"STATUS_PAK_{sesudah}"),
        alasan=alasan,
    )
    message.at.FromDatetime(datetime.now(UTC))
    data = to_json(message)
    if oleh:
        data["oleh"] = oleh
    return data


def emit(store: SqlStore, payload: Any, p: PakRecord) -> None:
    from angka_kredit.adapters.proto import TOPIC_PAK

    store.tx.emit(
        TOPIC_PAK,
        payload,
        aggregate_type="pak",
        aggregate_id=p.id,
        aggregate_version=p.version,
        instansi_id=p.instansi_id,
    )


def recompute(store: SqlStore, rows: list[PakRecord], changed: set[Any], oleh: dict[str, Any] | None) -> None:
    """Sets the kumulatif of every PAK of one pegawai (`rows`, locked, in their order) after the PAKs in
    `changed` got their AK (they are saved by the caller); a later PAK whose kumulatif moved is updated
    (draft, diajukan: riwayat DIHITUNG_ULANG) or marked perlu_pak_baru (approved, signed), and saved here."""
    first = min((i for i, r in enumerate(rows) if r.id in changed), default=len(rows))
    for index, p in enumerate(rows):
        kp, kj = kumulatif_json(rows, index)
        if p.id in changed:
            p.dokumen["kenaikan_pangkat"], p.dokumen["kenaikan_jenjang"] = kp, kj
            continue
        if index < first:
            continue
        if p.dokumen.get("kenaikan_pangkat") == kp and p.dokumen.get("kenaikan_jenjang") == kj:
            continue
        if p.status in (DRAFT, DIAJUKAN):
            p.dokumen["kenaikan_pangkat"], p.dokumen["kenaikan_jenjang"] = kp, kj
            p.dokumen.setdefault("riwayat", []).append(
                langkah("DIHITUNG_ULANG", p.status, p.status, oleh, ALASAN_SEBELUMNYA)
            )
            store.save(p)
            emit(store, pb.PakDihitungUlang(pak=pak_pb(p)), p)
        elif p.status in (DISETUJUI, DITANDATANGANI):
            p.dokumen["pending_kumulatif"] = {"kenaikan_pangkat": kp, "kenaikan_jenjang": kj}
            if not p.perlu_pak_baru:
                p.perlu_pak_baru = True
                p.dokumen["perlu_pak_baru_alasan"] = ALASAN_SEBELUMNYA
                p.dokumen.setdefault("riwayat", []).append(
                    langkah("PERLU_PAK_BARU", p.status, p.status, oleh, ALASAN_SEBELUMNYA)
                )
            store.save(p)
            emit(store, pb.PakPerluDiperbarui(pak=pak_pb(p), alasan=ALASAN_SEBELUMNYA), p)
