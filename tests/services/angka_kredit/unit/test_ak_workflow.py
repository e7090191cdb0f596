"""The PAK workflow: every transition allowed and refused (with its reason code), the SK number kept at a
return to draft, recomputes applied or kept pending, and the stored document round trip."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

import pytest

from angka_kredit.domain.aturan import Predikat, aturan_pada
from angka_kredit.domain.errors import JenjangTidakDikenal
from angka_kredit.domain.kumulatif import PakRingkas, kumulatif
from angka_kredit.domain.model import (
    Aksi,
    CaraTandaTangan,
    ModePenomoran,
    Pak,
    PakDiajukan,
    PakDibuat,
    PakDihitungUlang,
    PakDikembalikan,
    PakDisetujui,
    PakPerluDiperbarui,
    PakSigned,
    Pelaku,
    StatusPak,
    SumberPak,
    alasan_predikat_diubah,
    dokumen,
    hitung_konversi,
    isi_dokumen,
    kumulatif_berikutnya,
    periksa_berkas_sk,
)
from angka_kredit.domain.perhitungan import hitung
from kinerja_kit.errors import DomainError

AT = datetime(2025, 1, 10, 3, 0, tzinfo=UTC)
ADMIN = Pelaku(uuid.UUID(int=9), "199001012015011001", "Admin", "Analis SDM")
PENILAI = Pelaku(uuid.UUID(int=8), "198001012005011001", "Penilai", "Kepala Bidang")
SHA = hashlib.sha256(b"pak").hexdigest()
RULE = aturan_pada(date(2024, 12, 31))
D, A, S, T = StatusPak.DRAFT, StatusPak.DIAJUKAN, StatusPak.DISETUJUI, StatusPak.DITANDATANGANI


def new_pak(tmt: date | None = date(2024, 6, 1), predikat: Predikat = Predikat.SANGAT_BAIK) -> Pak:
    pak, event = Pak.konversi(
        id=uuid.UUID(int=1),
        instansi_id=uuid.UUID(int=2),
        tahun=2024,
        pegawai_id=uuid.UUID(int=3),
        nip="199501012020011001",
        nama="Siti",
        jabatan="Pranata Komputer Ahli Pertama",
        jenjang="ahli pertama",
        golongan="III/a",
        tmt_jabatan=tmt,
        skp_id=uuid.UUID(int=4),
        periode_id=uuid.UUID(int=5),
        penilaian_id=uuid.UUID(int=6),
        tanggal_mulai=date(2024, 1, 1),
        tanggal_selesai=date(2024, 12, 31),
        bulan_periode=12,
        predikat=predikat,
        at=AT,
        penilai_id=PENILAI.pegawai_id,
        pangkat="Penata Muda",
    )
    assert isinstance(event, PakDibuat) and event.pak is pak
    kp, kj = kumulatif([pak.ringkas()], 0)
    pak.tetapkan_kumulatif(kp, kj)
    return pak


def ajukan(pak: Pak, mode: ModePenomoran = ModePenomoran.MANUAL, nomor: str | None = "800/1/PAK/2025") -> Any:
    return pak.ajukan(
        mode=mode, nomor_sk=nomor, tempat="Jakarta", tanggal_sk=date(2025, 1, 10), oleh=ADMIN, at=AT
    )


def at_status(status: StatusPak) -> Pak:
    pak = new_pak()
    if status >= A:
        ajukan(pak)
    if status >= S:
        pak.setujui(oleh=PENILAI, at=AT)
    if status >= T:
        pak.tandatangani_tte(sha256=SHA, oleh=PENILAI, at=AT)
    assert pak.status == status
    return pak


def code(error: DomainError) -> str:
    return error.violations[0].code if error.reason == "INVALID_ARGUMENT" else error.reason


# --- making -----------------------------------------------------------------------------------------


def test_konversi_is_a_draft_with_the_form_figures() -> None:
    pak = new_pak()
    assert (pak.status, pak.sumber, pak.jenjang, pak.version) == (D, SumberPak.KONVERSI, "Ahli Pertama", 1)
    assert pak.angka_kredit == Fraction(175, 16)
    assert pak.perhitungan is not None
    assert pak.perhitungan.rumus == "7 / 12 × 150 % × 12.5 = 10.938"
    assert (
        pak.perhitungan.uraian_bulan == "Juni–Desember 2024 (7 bulan), dihitung sejak TMT jabatan 1 Juni 2024"
    )
    assert pak.kenaikan_pangkat is not None and pak.kenaikan_jenjang is not None
    assert (pak.kenaikan_pangkat.baru, pak.kenaikan_pangkat.kebutuhan) == (Fraction(175, 16), 50)
    assert pak.kenaikan_jenjang.kebutuhan == 100
    assert [(s.aksi, s.status_sebelum, s.status_sesudah, s.oleh) for s in pak.riwayat] == [
        (Aksi.DIBUAT, None, D, None)
    ]
    assert pak.predikat is Predikat.SANGAT_BAIK


def test_konversi_tmt_after_the_periode_is_zero() -> None:
    pak = new_pak(tmt=date(2025, 2, 1))
    assert pak.angka_kredit == 0
    assert pak.perhitungan is not None and pak.perhitungan.jumlah_bulan == 0


def test_konversi_unknown_jenjang() -> None:
    with pytest.raises(JenjangTidakDikenal):
        Pak.konversi(
            id=uuid.uuid4(), instansi_id=uuid.uuid4(), tahun=2024, pegawai_id=uuid.uuid4(), nip="1", nama="x",
            jabatan="x", jenjang="Ahli Menengah", golongan="III/a", tmt_jabatan=None, skp_id=uuid.uuid4(),
            periode_id=uuid.uuid4(), penilaian_id=uuid.uuid4(), tanggal_mulai=date(2024, 1, 1),
            tanggal_selesai=date(2024, 12, 31), bulan_periode=12, predikat=Predikat.BAIK, at=AT,
        )  # fmt: skip


def test_integrasi() -> None:
    pak, event = Pak.integrasi(
        id=uuid.uuid4(), instansi_id=uuid.uuid4(), tahun=2022, pegawai_id=uuid.uuid4(), nip="1", nama="x",
        jabatan="x", jenjang="MAHIR", golongan="II/c", angka_kredit=Fraction(361, 8),
        dokumen_sumber="PAK 800/12/2022", keterangan="", oleh=ADMIN, at=AT,
    )  # fmt: skip
    assert isinstance(event, PakDibuat)
    assert (pak.sumber, pak.status, pak.jenjang, pak.angka_kredit) == (
        SumberPak.INTEGRASI,
        D,
        "Mahir",
        Fraction(361, 8),
    )
    assert (pak.tanggal_mulai, pak.tanggal_selesai, pak.perhitungan) == (
        date(2022, 1, 1),
        date(2022, 12, 31),
        None,
    )
    assert pak.riwayat[0].oleh == ADMIN
    with pytest.raises(ValueError):
        Pak.integrasi(
            id=uuid.uuid4(), instansi_id=uuid.uuid4(), tahun=2022, pegawai_id=uuid.uuid4(), nip="1", nama="x",
            jabatan="x", jenjang="Mahir", golongan="II/c", angka_kredit=Fraction(0),
            dokumen_sumber="d", keterangan="", oleh=ADMIN, at=AT,
        )  # fmt: skip


# --- allowed transitions ----------------------------------------------------------------------------


def test_the_whole_way_manual_and_tte() -> None:
    pak = new_pak()
    assert isinstance(ajukan(pak, nomor="  800 / 1 /PAK/2025 "), PakDiajukan)
    assert (pak.status, pak.nomor_sk, pak.tempat, pak.tanggal_sk) == (
        A,
        "800 / 1 /PAK/2025",
        "Jakarta",
        date(2025, 1, 10),
    )
    assert pak.tahun_sk == 2025
    assert isinstance(pak.setujui(oleh=PENILAI, at=AT), PakDisetujui)
    assert pak.status == S
    signed = pak.tandatangani_tte(sha256=SHA, oleh=PENILAI, at=AT)
    assert isinstance(signed, PakSigned)
    assert pak.tanda_tangan is not None
    assert (pak.status, pak.tanda_tangan.cara, pak.tanda_tangan.sha256) == (T, CaraTandaTangan.TTE, SHA)
    assert [(s.aksi, s.status_sebelum, s.status_sesudah) for s in pak.riwayat] == [
        (Aksi.DIBUAT, None, D),
        (Aksi.DIAJUKAN, D, A),
        (Aksi.DISETUJUI, A, S),
        (Aksi.DITANDATANGANI, S, T),
    ]


def test_submission_takes_the_penilai_of_the_day() -> None:
    pak = new_pak()
    today = uuid.UUID(int=99)
    pak.ajukan(
        mode=ModePenomoran.OTOMATIS, nomor_sk="", tempat="Jakarta", tanggal_sk=date(2025, 1, 10),
        oleh=ADMIN, at=AT, penilai_id=today,
    )  # fmt: skip
    assert pak.penilai_id == today
    other = new_pak()
    ajukan(other)  # not known that day: the snapshot stays
    assert other.penilai_id == PENILAI.pegawai_id


def test_automatic_numbering_is_given_at_approval() -> None:
    pak = new_pak()
    assert not pak.perlu_nomor_otomatis  # a draft is not approved: nothing to draw
    ajukan(pak, ModePenomoran.OTOMATIS, nomor=None)
    assert pak.nomor_sk is None and pak.perlu_nomor_otomatis
    with pytest.raises(ValueError):
        pak.setujui(oleh=PENILAI, at=AT)  # the service draws a number first
    pak.setujui(oleh=PENILAI, at=AT, nomor_otomatis="1/PAK/2025")
    assert pak.nomor_sk == "1/PAK/2025"


def test_uploaded_wet_signed_sk() -> None:
    pak = at_status(S)
    pak.unggah_sk(sha256=SHA, nama="sk pak.pdf", ukuran=1_048_576, oleh=ADMIN, at=AT)
    assert pak.tanda_tangan is not None
    assert (pak.status, pak.tanda_tangan.cara, pak.tanda_tangan.nama_berkas) == (
        T,
        CaraTandaTangan.BASAH,
        "sk pak.pdf",
    )
    assert pak.tanda_tangan.ukuran == 1_048_576


@pytest.mark.parametrize("status", [S, T])
def test_return_to_draft_keeps_the_number_and_voids_the_signature(status: StatusPak) -> None:
    pak = new_pak()
    ajukan(pak, ModePenomoran.OTOMATIS, nomor=None)
    pak.setujui(oleh=PENILAI, at=AT, nomor_otomatis="7/PAK/2025")
    if status == T:
        pak.tandatangani_tte(sha256=SHA, oleh=PENILAI, at=AT)
    event = pak.kembalikan_ke_draft(alasan=" Salah tanggal ", oleh=ADMIN, at=AT)
    assert isinstance(event, PakDikembalikan) and event.alasan == "Salah tanggal"
    assert (pak.status, pak.nomor_sk, pak.tanda_tangan) == (D, "7/PAK/2025", None)
    if status == T:
        assert len(pak.tanda_tangan_batal) == 1
        assert pak.tanda_tangan_batal[0].dibatalkan_alasan == "Salah tanggal"
        assert pak.tanda_tangan_batal[0].dibatalkan_at == AT
    last = pak.riwayat[-1]
    assert (last.aksi, last.status_sebelum, last.status_sesudah, last.alasan) == (
        Aksi.DIKEMBALIKAN,
        status,
        D,
        "Salah tanggal",
    )
    # re-submitted in automatic numbering: the kept number is reused, none drawn
    ajukan(pak, ModePenomoran.OTOMATIS, nomor=None)
    assert not pak.perlu_nomor_otomatis
    pak.setujui(oleh=PENILAI, at=AT)
    assert pak.nomor_sk == "7/PAK/2025"
    with pytest.raises(ValueError):
        Pak.setujui(at_status(A), oleh=PENILAI, at=AT, nomor_otomatis="8/PAK/2025")  # already numbered


# --- refused transitions ----------------------------------------------------------------------------

ACTIONS = {
    "ajukan": ((D,), lambda p: ajukan(p)),
    "setujui": ((A,), lambda p: p.setujui(oleh=PENILAI, at=AT)),
    "tandatangani_tte": ((S,), lambda p: p.tandatangani_tte(sha256=SHA, oleh=PENILAI, at=AT)),
    "unggah_sk": ((S,), lambda p: p.unggah_sk(sha256=SHA, nama="a.pdf", ukuran=10, oleh=ADMIN, at=AT)),
    "kembalikan_ke_draft": ((S, T), lambda p: p.kembalikan_ke_draft(alasan="x", oleh=ADMIN, at=AT)),
    "tandai_perlu_pak_baru": ((S, T), lambda p: p.tandai_perlu_pak_baru("x", oleh=None, at=AT)),
}
LABEL = {D: "Draft", A: "Diajukan", S: "Disetujui", T: "Ditandatangani"}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("status", [D, A, S, T])
def test_every_action_in_every_status(action: str, status: StatusPak) -> None:
    allowed, run = ACTIONS[action]
    pak = at_status(status)
    if status in allowed:
        run(pak)
        return
    before = (pak.status, len(pak.riwayat), pak.nomor_sk, pak.tanda_tangan)
    with pytest.raises(DomainError) as refused:
        run(pak)
    assert refused.value.reason == "STATUS_TIDAK_SESUAI"
    assert refused.value.grpc_code.name == "FAILED_PRECONDITION"
    expected = " atau ".join(LABEL[s] for s in allowed)
    assert refused.value.message == f"PAK berstatus {LABEL[status]}: tindakan ini hanya untuk PAK {expected}."
    assert (pak.status, len(pak.riwayat), pak.nomor_sk, pak.tanda_tangan) == before


def test_submission_inputs() -> None:
    def refused(**kw: Any) -> list[str]:
        pak = new_pak()
        args: dict[str, Any] = {
            "mode": ModePenomoran.MANUAL, "nomor_sk": "1/PAK", "tempat": "Jakarta",
            "tanggal_sk": date(2025, 1, 10), "oleh": ADMIN, "at": AT,
        } | kw  # fmt: skip
        with pytest.raises(DomainError) as error:
            pak.ajukan(**args)
        assert pak.status == D and len(pak.riwayat) == 1
        return [v.code for v in error.value.violations] or [error.value.reason]

    assert refused(nomor_sk="") == ["NOMOR_SK_WAJIB"]
    assert refused(nomor_sk="   ") == ["NOMOR_SK_WAJIB"]
    assert refused(nomor_sk=None) == ["NOMOR_SK_WAJIB"]
    assert refused(nomor_sk="x" * 51) == ["NOMOR_SK_TERLALU_PANJANG"]
    assert refused(nomor_sk="1/\x00PAK") == ["INVALID_CHARACTER"]
    assert refused(mode=ModePenomoran.OTOMATIS, nomor_sk="1/PAK") == ["NOMOR_SK_TIDAK_DIISI_OTOMATIS"]
    assert refused(tempat="") == ["TEMPAT_WAJIB"]
    assert refused(tempat="x" * 101) == ["TEMPAT_TERLALU_PANJANG"]
    assert refused(tanggal_sk=None) == ["TANGGAL_SK_WAJIB"]
    assert refused(nomor_sk="", tempat="", tanggal_sk=None) == [
        "NOMOR_SK_WAJIB",
        "TEMPAT_WAJIB",
        "TANGGAL_SK_WAJIB",
    ]
    pak = new_pak()
    with pytest.raises(DomainError) as one:
        pak.ajukan(
            mode=ModePenomoran.MANUAL, nomor_sk="", tempat="J", tanggal_sk=date(2025, 1, 1), oleh=None, at=AT
        )
    assert (one.value.reason, one.value.violations[0].field) == ("INVALID_ARGUMENT", "nomor_sk")
    assert one.value.message == "Nomor SK PAK wajib diisi (penomoran manual)."


def test_submission_edge_values() -> None:
    pak = new_pak()
    pak.ajukan(mode=ModePenomoran.MANUAL, nomor_sk="x" * 50, tempat="", tempat_baku="Bandung",
               tanggal_sk=date(2025, 1, 1), oleh=None, at=AT)  # fmt: skip
    assert (pak.nomor_sk, pak.tempat) == ("x" * 50, "Bandung")
    pak = new_pak()
    pak.ajukan(
        mode=ModePenomoran.OTOMATIS,
        nomor_sk="  ",
        tempat="y" * 100,
        tanggal_sk=date(2025, 1, 1),
        oleh=None,
        at=AT,
    )
    assert (pak.nomor_sk, pak.tempat) == (None, "y" * 100)


def test_return_to_draft_needs_a_reason() -> None:
    for alasan, expected in (
        ("", "ALASAN_WAJIB"),
        ("  ", "ALASAN_WAJIB"),
        (None, "ALASAN_WAJIB"),
        ("x" * 501, "ALASAN_TERLALU_PANJANG"),
    ):
        pak = at_status(T)
        with pytest.raises(DomainError) as error:
            pak.kembalikan_ke_draft(alasan=alasan, oleh=ADMIN, at=AT)
        assert code(error.value) == expected
        assert pak.status == T and pak.tanda_tangan is not None
    pak = at_status(S)
    pak.kembalikan_ke_draft(alasan="x" * 500, oleh=ADMIN, at=AT)
    assert pak.status == D


def test_signature_inputs() -> None:
    pak = at_status(S)
    with pytest.raises(DomainError) as big:
        pak.unggah_sk(sha256=SHA, nama="a.pdf", ukuran=1_048_577, oleh=ADMIN, at=AT)
    assert code(big.value) == "BERKAS_TERLALU_BESAR"
    assert big.value.message == "Ukuran berkas paling besar 1 MB."
    with pytest.raises(ValueError):
        pak.tandatangani_tte(sha256="abc", oleh=PENILAI, at=AT)
    assert pak.status == S


def test_pdf_check() -> None:
    periksa_berkas_sk(b"%PDF-1.7\n...\n%%EOF\n")
    for bad in (b"", b"hello", b"%PDF-1.7 no trailer", b"x%PDF-1.7\n%%EOF"):
        with pytest.raises(DomainError) as error:
            periksa_berkas_sk(bad)
        assert code(error.value) == "BERKAS_BUKAN_PDF"
        assert error.value.message == "Berkas SK harus PDF."
    with pytest.raises(DomainError) as big:
        periksa_berkas_sk(b"%PDF-" + b"0" * 1_048_576 + b"%%EOF")
    assert code(big.value) == "BERKAS_TERLALU_BESAR"
    periksa_berkas_sk(b"%PDF-" + b"0" * (1_048_576 - 11) + b"%%EOF\n")  # exactly 1 MB


def test_version_check() -> None:
    pak = new_pak()
    pak.periksa_versi(0)
    pak.periksa_versi(1)
    with pytest.raises(DomainError) as stale:
        pak.periksa_versi(2)
    assert (stale.value.reason, stale.value.grpc_code.name) == ("VERSION_CONFLICT", "ABORTED")
    pak.sentuh(AT)
    assert (pak.version, pak.updated_at) == (2, AT)


# --- recomputes -------------------------------------------------------------------------------------


def baik(pak: Pak) -> Any:
    return hitung(7, Predikat.BAIK, "Ahli Pertama", RULE, "Juni–Desember 2024 (7 bulan)")


@pytest.mark.parametrize("status", [D, A])
def test_recompute_applied_before_approval(status: StatusPak) -> None:
    pak = at_status(status)
    keberatan = uuid.UUID(int=77)
    alasan = alasan_predikat_diubah(keberatan)
    assert alasan == f"Predikat diubah melalui keberatan {keberatan} yang disetujui"
    event = pak.hitung_ulang(baik(pak), alasan=alasan, keberatan_id=keberatan, at=AT)
    assert isinstance(event, PakDihitungUlang) and event.perubahan is not None
    assert pak.status == status
    assert pak.angka_kredit == Fraction(175, 24)  # 7/12 × 100 % × 12.5
    assert pak.kenaikan_pangkat is not None and pak.kenaikan_pangkat.baru == Fraction(175, 24)
    p = pak.perubahan[-1]
    assert (p.diterapkan, p.predikat_sebelum, p.predikat_sesudah) == (
        True,
        Predikat.SANGAT_BAIK,
        Predikat.BAIK,
    )
    assert (p.ak_sebelum, p.ak_sesudah, p.keberatan_id) == (Fraction(175, 16), Fraction(175, 24), keberatan)
    assert (pak.riwayat[-1].aksi, pak.riwayat[-1].alasan) == (Aksi.DIHITUNG_ULANG, alasan)
    assert not pak.perlu_pak_baru
    # the same figures again: nothing
    assert pak.hitung_ulang(baik(pak), alasan=alasan, keberatan_id=keberatan, at=AT) is None


@pytest.mark.parametrize("status", [S, T])
def test_recompute_after_approval_waits_for_a_new_pak(status: StatusPak) -> None:
    pak = at_status(status)
    alasan = alasan_predikat_diubah(None)
    assert alasan == "Predikat diubah oleh pejabat penilai" == alasan_predikat_diubah("")
    assert alasan_predikat_diubah("kb-1") == "Predikat diubah melalui keberatan kb-1 yang disetujui"
    event = pak.hitung_ulang(baik(pak), alasan=alasan, keberatan_id=None, at=AT)
    assert isinstance(event, PakPerluDiperbarui) and event.alasan == alasan
    assert (pak.status, pak.angka_kredit, pak.perlu_pak_baru, pak.perlu_pak_baru_alasan) == (
        status, Fraction(175, 16), True, alasan,
    )  # fmt: skip
    assert pak.ak_efektif == Fraction(175, 24)
    assert pak.ringkas().angka_kredit == Fraction(175, 24)
    assert pak.perubahan[-1].diterapkan is False
    assert pak.riwayat[-1].aksi == Aksi.PERLU_PAK_BARU
    assert pak.hitung_ulang(baik(pak), alasan=alasan, keberatan_id=None, at=AT) is None
    # returned to draft: the pending figures are applied, the flag cleared
    pak.kembalikan_ke_draft(alasan="PAK baru", oleh=ADMIN, at=AT)
    assert (pak.status, pak.angka_kredit, pak.perlu_pak_baru, pak.tertunda) == (
        D,
        Fraction(175, 24),
        False,
        None,
    )
    assert pak.predikat is Predikat.BAIK
    assert pak.kenaikan_pangkat is not None and pak.kenaikan_pangkat.baru == Fraction(175, 24)
    # the change that waited is now applied: the same record (its reason and keberatan), no second one
    [applied] = pak.perubahan
    assert (applied.diterapkan, applied.ak_sebelum, applied.ak_sesudah, applied.alasan) == (
        True,
        Fraction(175, 16),
        Fraction(175, 24),
        alasan,
    )
    assert [s.aksi for s in pak.riwayat[-2:]] == [Aksi.DIKEMBALIKAN, Aksi.DIHITUNG_ULANG]


def test_every_change_that_waited_is_applied_at_return_to_draft() -> None:
    pak = at_status(S)
    keberatan = uuid.UUID(int=78)
    pak.hitung_ulang(baik(pak), alasan="pertama", keberatan_id=None, at=AT)
    kurang = hitung(7, Predikat.KURANG, "Ahli Pertama", RULE, "Juni–Desember 2024 (7 bulan)")
    pak.hitung_ulang(kurang, alasan="kedua", keberatan_id=keberatan, at=AT)
    assert [p.diterapkan for p in pak.perubahan] == [False, False]
    assert pak.ak_efektif == kurang.angka_kredit and pak.angka_kredit == Fraction(175, 16)
    pak.kembalikan_ke_draft(alasan="PAK baru", oleh=ADMIN, at=AT)
    assert [(p.alasan, p.keberatan_id, p.diterapkan) for p in pak.perubahan] == [
        ("pertama", None, True),
        ("kedua", keberatan, True),
    ]
    assert (pak.angka_kredit, pak.predikat, pak.perlu_pak_baru) == (
        kurang.angka_kredit,
        Predikat.KURANG,
        False,
    )


def test_return_to_draft_without_pending_figures_changes_none() -> None:
    pak = at_status(T)
    before = (pak.angka_kredit, pak.kenaikan_pangkat, list(pak.perubahan))
    pak.kembalikan_ke_draft(alasan="Salah tempat", oleh=ADMIN, at=AT)
    assert (pak.angka_kredit, pak.kenaikan_pangkat, pak.perubahan) == before
    assert pak.riwayat[-1].aksi == Aksi.DIKEMBALIKAN


def test_recompute_only_for_konversi_and_needs_a_reason() -> None:
    pak = new_pak()
    with pytest.raises(DomainError) as error:
        pak.hitung_ulang(baik(pak), alasan="", keberatan_id=None, at=AT)
    assert code(error.value) == "ALASAN_WAJIB"
    pak.sumber = SumberPak.INTEGRASI
    with pytest.raises(ValueError):
        pak.hitung_ulang(baik(pak), alasan="x", keberatan_id=None, at=AT)


@pytest.mark.parametrize("status", [D, A, S, T])
def test_earlier_pak_changed(status: StatusPak) -> None:
    pak = at_status(status)
    earlier = PakRingkas(uuid.UUID(int=50), "Ahli Pertama", "III/a", date(2023, 12, 31), AT, Fraction(30))
    rows = [earlier, pak.ringkas()]
    kp, kj = kumulatif(rows, 1)
    event = pak.perbarui_kumulatif(kp, kj, at=AT)
    if status in (D, A):
        assert isinstance(event, PakDihitungUlang) and event.perubahan is None
        assert pak.kenaikan_pangkat == kp and not pak.perlu_pak_baru
        assert (pak.riwayat[-1].aksi, pak.riwayat[-1].alasan) == (
            Aksi.DIHITUNG_ULANG,
            "AK PAK sebelumnya berubah",
        )
    else:
        assert isinstance(event, PakPerluDiperbarui)
        assert pak.kenaikan_pangkat != kp and pak.perlu_pak_baru
        assert pak.angka_efektif.kenaikan_pangkat == kp
    assert pak.status == status
    assert pak.perbarui_kumulatif(kp, kj, at=AT) is None  # unchanged
    with pytest.raises(ValueError):
        pak.perbarui_kumulatif(kp.dengan_diperoleh(Fraction(1)), kj, at=AT)


def pak_of(year: int, predikat: Predikat, n: int) -> Pak:
    pak, _ = Pak.konversi(
        id=uuid.UUID(int=100 + n), instansi_id=uuid.UUID(int=2), tahun=year, pegawai_id=uuid.UUID(int=3),
        nip="199501012020011001", nama="Siti", jabatan="Analis SDM", jenjang="Ahli Pertama",
        golongan="III/a", tmt_jabatan=None, skp_id=uuid.uuid4(), periode_id=uuid.uuid4(),
        penilaian_id=uuid.uuid4(), tanggal_mulai=date(year, 1, 1), tanggal_selesai=date(year, 12, 31),
        bulan_periode=12, predikat=predikat, at=AT.replace(year=year + 1),
    )  # fmt: skip
    return pak


def test_konversi_figures_are_one_rule() -> None:
    found = hitung_konversi(
        tanggal_mulai=date(2024, 1, 1), tanggal_selesai=date(2024, 12, 31), bulan_periode=12,
        tmt_jabatan=date(2024, 6, 15), predikat=Predikat.SANGAT_BAIK, jenjang="ahli  pertama",
    )  # fmt: skip
    assert (found.jumlah_bulan, found.jenjang, found.angka_kredit) == (6, "Ahli Pertama", Fraction(75, 8))
    assert new_pak().perhitungan == hitung_konversi(
        tanggal_mulai=date(2024, 1, 1), tanggal_selesai=date(2024, 12, 31), bulan_periode=12,
        tmt_jabatan=date(2024, 6, 1), predikat=Predikat.SANGAT_BAIK, jenjang="Ahli Pertama",
    )  # fmt: skip
    with pytest.raises(JenjangTidakDikenal):
        hitung_konversi(
            tanggal_mulai=date(2024, 1, 1), tanggal_selesai=date(2024, 12, 31), bulan_periode=12,
            tmt_jabatan=None, predikat=Predikat.BAIK, jenjang="Ahli Menengah",
        )  # fmt: skip


def test_the_cascade_to_later_paks() -> None:
    y2022, y2023, y2024 = (pak_of(year, Predikat.BAIK, year) for year in (2022, 2023, 2024))
    assert kumulatif_berikutnya([y2022], y2022, at=AT) == []
    assert kumulatif_berikutnya([y2024, y2022], y2024, at=AT) == []  # made: its own, no step
    assert [s.aksi for s in y2024.riwayat] == [Aksi.DIBUAT]
    assert y2024.kenaikan_pangkat is not None and y2024.kenaikan_pangkat.lama == Fraction(25, 2)
    # 2024 approved; 2023 made after it but counted before it: 2024 waits for a new PAK
    ajukan(y2024)
    y2024.setujui(oleh=PENILAI, at=AT)
    paks = [y2022, y2024, y2023]
    events = kumulatif_berikutnya(paks, y2023, at=AT, oleh=ADMIN)
    assert y2023.kenaikan_pangkat is not None and y2023.kenaikan_pangkat.lama == Fraction(25, 2)
    assert [type(e) for e in events] == [PakPerluDiperbarui] and events[0].pak is y2024
    assert y2024.perlu_pak_baru and y2024.riwayat[-1].oleh == ADMIN
    assert y2024.angka_efektif.kenaikan_pangkat is not None
    assert y2024.angka_efektif.kenaikan_pangkat.lama == Fraction(25)
    # 2022's predikat changes (a draft: applied); the later ones follow, the earlier stay
    sangat_baik = hitung(12, Predikat.SANGAT_BAIK, "Ahli Pertama", RULE)
    y2022.hitung_ulang(sangat_baik, alasan="x", keberatan_id=None, at=AT)
    events = kumulatif_berikutnya(paks, y2022, at=AT)
    assert [(type(e), e.pak.id) for e in events] == [
        (PakDihitungUlang, y2023.id),
        (PakPerluDiperbarui, y2024.id),
    ]
    assert y2023.kenaikan_pangkat.lama == Fraction(75, 4)
    assert y2023.riwayat[-1].alasan == "AK PAK sebelumnya berubah"
    assert kumulatif_berikutnya(paks, y2022, at=AT) == []
    with pytest.raises(ValueError):
        kumulatif_berikutnya([y2022], y2023, at=AT)


# --- the stored document ----------------------------------------------------------------------------


def test_document_round_trip() -> None:
    pak = at_status(T)
    pak.hitung_ulang(baik(pak), alasan="x", keberatan_id=uuid.UUID(int=5), at=AT)
    pak.unor_id = uuid.UUID(int=12)
    data = json.loads(json.dumps(dokumen(pak)))
    assert data["perhitungan"]["angka_kredit"] == "175/16"
    columns = {k: v for k, v in vars(pak).items() if k not in data}
    again = Pak(**columns, **isi_dokumen(data))
    assert again == pak
    pak.kembalikan_ke_draft(alasan="y", oleh=ADMIN, at=AT)
    data = json.loads(json.dumps(dokumen(pak)))
    columns = {k: v for k, v in vars(pak).items() if k not in data}
    assert Pak(**columns, **isi_dokumen(data)) == pak
