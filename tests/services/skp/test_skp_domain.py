"""Unit tests of skp.domain (no infrastructure): periode days, deadlines and the generated sets, decimal
parsing, targets and indikator, the SKP header, completeness gaps and the workflow transitions."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from kinerja_kit import numbers
from kinerja_kit.errors import DomainError, FailedPrecondition, InvalidArgument, PermissionDenied, Violations
from kinerja_kit.numbers import DecimalSpec
from skp.domain import rules, values
from skp.domain.model import Indikator, Pejabat, Perilaku, RencanaAksi, Rhk, Skp, Target, perilaku_awal
from skp.domain.periode import (
    HariTahun,
    Periode,
    PeriodeInput,
    parse_hari,
    periode_set,
    validate_batas_hari,
    validate_periode,
)
from skp.domain.perjanjian import PkIndikatorInput, SasaranInput, validate_sasaran, validate_tahun
from skp.domain.values import (
    Aspek,
    JenisPenilai,
    JenisPeriode,
    JenisRhk,
    ModelSkp,
    Pendekatan,
    Perspektif,
    PolaPeriode,
    StatusSkp,
    parse_iso_date,
)

NOW = datetime(2027, 3, 4, 5, 6, tzinfo=UTC)


def violations(error: DomainError) -> dict[str, str]:
    return {v.field: v.code for v in error.violations}


def periode(
    mulai: str, selesai: str, batas: str, jenis: JenisPeriode = JenisPeriode.BIASA, nama: str = "P"
) -> Periode:
    m, s, b = parse_hari(mulai), parse_hari(selesai), parse_hari(batas)
    assert m and s and b
    return Periode(uuid.uuid4(), uuid.uuid4(), nama, m, s, b, jenis, 1)


def as_periode(fields: object) -> Periode:
    return Periode(
        uuid.uuid4(), uuid.uuid4(), fields.nama, fields.mulai, fields.selesai,  # type: ignore[attr-defined]
        fields.batas_pengisian, fields.jenis, 1,  # type: ignore[attr-defined]
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Periode: days of the year
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01-01", HariTahun(1, 1)),
        ("12-31", HariTahun(12, 31)),
        ("02-29", HariTahun(2, 29)),
        (" 03-15 ", HariTahun(3, 15)),
        ("02-30", None),
        ("04-31", None),
        ("13-01", None),
        ("00-10", None),
        ("01-00", None),
        ("1-01", None),
        ("01-1", None),
        ("01/01", None),
        ("ab-cd", None),
        ("", None),
        ("2027-01-01", None),
        ("\u0660\u0661-\u0660\u0661", None),  # Arabic-Indic digits
        ("01-01\x00", None),
    ],
)
def test_parse_hari(text: str, expected: HariTahun | None) -> None:
    assert parse_hari(text) == expected


def test_a_day_of_the_year_in_leap_and_common_years() -> None:
    leap_day = HariTahun(2, 29)
    assert leap_day.in_year(2028) == date(2028, 2, 29)
    assert leap_day.in_year(2027) == date(2027, 2, 28)  # falls on the last day of February
    assert HariTahun(3, 1).in_year(2027) == date(2027, 3, 1)
    assert str(HariTahun(3, 5)) == "03-05" and HariTahun(3, 5).label() == "5 Maret"
    assert HariTahun(1, 31) < HariTahun(2, 1) < HariTahun(2, 29) < HariTahun(3, 1)


def test_range_overlap_and_deadline_of_a_periode() -> None:
    tw1 = periode("01-01", "03-31", "04-10")
    tw4 = periode("10-01", "12-31", "01-10")
    assert tw1.range_in(2027) == (date(2027, 1, 1), date(2027, 3, 31))
    assert tw1.batas_in(2027) == date(2027, 4, 10)
    assert tw4.batas_in(2027) == date(2028, 1, 10)  # a batas before the start is in the next year
    # an SKP of January-June touches the first quarter, not the fourth
    assert tw1.overlaps(date(2027, 1, 1), date(2027, 6, 30))
    assert not tw4.overlaps(date(2027, 1, 1), date(2027, 6, 30))
    assert tw4.overlaps(date(2027, 12, 31), date(2027, 12, 31))
    assert not tw1.overlaps(date(2027, 4, 1), date(2027, 12, 31))
    feb = periode("02-01", "02-29", "03-10")
    assert feb.range_in(2027) == (date(2027, 2, 1), date(2027, 2, 28))
    assert feb.overlaps(date(2028, 2, 29), date(2028, 3, 31))
    assert not feb.overlaps(date(2027, 3, 1), date(2027, 3, 31))


def test_the_year_end_periode_is_due_early_the_next_year() -> None:
    final = periode("01-01", "12-31", "01-10", JenisPeriode.FINAL)
    assert final.batas_in(2027) == date(2028, 1, 10)
    assert final.batas_in(2027) > final.range_in(2027)[1]


# ---------------------------------------------------------------------------------------------
# Periode: validation
# ---------------------------------------------------------------------------------------------


def test_every_problem_of_a_periode_form_is_reported_at_once() -> None:
    with pytest.raises(InvalidArgument) as info:
        validate_periode(
            PeriodeInput(nama=" ", mulai="", selesai="02-30", batas_pengisian="1-10", jenis=0), []
        )
    assert violations(info.value) == {
        "periode.nama": "REQUIRED",
        "periode.mulai": "REQUIRED",
        "periode.selesai": "INVALID_DAY",
        "periode.batas_pengisian": "INVALID_DAY",
        "periode.jenis": "REQUIRED",
    }


def test_periode_order_and_deadline() -> None:
    with pytest.raises(InvalidArgument) as info:
        validate_periode(PeriodeInput("Terbalik", "06-30", "04-01", "07-10", 1), [])
    assert violations(info.value) == {"periode.selesai": "RANGE_INVERTED"}
    with pytest.raises(InvalidArgument) as info:
        validate_periode(PeriodeInput("Batas di tengah", "01-01", "03-31", "02-15", 1), [])
    assert violations(info.value) == {"periode.batas_pengisian": "BATAS_BEFORE_END"}
    ok = validate_periode(PeriodeInput("  Triwulan   I ", "01-01", "03-31", "03-31", 1), [])
    assert (ok.nama, str(ok.mulai), str(ok.selesai), str(ok.batas_pengisian), ok.jenis) == (
        "Triwulan I", "01-01", "03-31", "03-31", JenisPeriode.BIASA,
    )  # fmt: skip
    # a one-day periode, due the same day
    assert validate_periode(PeriodeInput("Sehari", "05-05", "05-05", "05-05", 1), []).mulai == HariTahun(5, 5)


def test_periode_overlap_is_checked_within_one_jenis() -> None:
    tw1 = periode("01-01", "03-31", "04-10", nama="Triwulan 1")
    with pytest.raises(FailedPrecondition) as info:
        validate_periode(PeriodeInput("Maret", "03-01", "03-31", "04-10", 1), [tw1])
    assert info.value.reason == "PERIODE_OVERLAP" and violations(info.value) == {
        "periode.mulai": "PERIODE_OVERLAP"
    }
    # the next day after the end is free; the final periode may span the periodic ones
    assert validate_periode(PeriodeInput("Triwulan 2", "04-01", "06-30", "07-10", 1), [tw1])
    assert validate_periode(PeriodeInput("Akhir", "01-01", "12-31", "12-31", 2), [tw1])


def test_a_full_year_periode_may_be_due_in_january() -> None:
    found = validate_periode(PeriodeInput("Periode Akhir Tahun", "01-01", "12-31", "01-10", 2), [])
    assert as_periode(found).batas_in(2027) == date(2028, 1, 10)


@pytest.mark.parametrize("value", [0, 1, 10, 60])
def test_batas_hari_accepted(value: int) -> None:
    assert validate_batas_hari(value) == (value or 10)


@pytest.mark.parametrize("value", [-1, 61, 365])
def test_batas_hari_refused(value: int) -> None:
    with pytest.raises(InvalidArgument) as info:
        validate_batas_hari(value)
    assert violations(info.value) == {"batas_hari": "OUT_OF_RANGE"}


# ---------------------------------------------------------------------------------------------
# Periode: the generated sets
# ---------------------------------------------------------------------------------------------


def test_the_monthly_set() -> None:
    items = periode_set(PolaPeriode.BULANAN, 10)
    assert len(items) == 13
    assert [i.nama for i in items[:3]] == ["Bulan Januari", "Bulan Februari", "Bulan Maret"]
    assert [(str(i.mulai), str(i.batas_pengisian)) for i in items[:12]] == [
        (f"{m:02d}-01", f"{m % 12 + 1:02d}-10") for m in range(1, 13)
    ]
    assert all(i.jenis == JenisPeriode.BIASA for i in items[:12])
    assert (items[12].nama, str(items[12].mulai), str(items[12].selesai), str(items[12].batas_pengisian)) == (
        "Periode Akhir Tahun", "01-01", "12-31", "01-10",
    )  # fmt: skip
    assert items[12].jenis == JenisPeriode.FINAL


def test_the_quarterly_set() -> None:
    items = periode_set(PolaPeriode.TRIWULAN, 15)
    assert [(i.nama, str(i.mulai), str(i.selesai), str(i.batas_pengisian), i.jenis) for i in items] == [
        ("Triwulan 1", "01-01", "03-31", "04-15", JenisPeriode.BIASA),
        ("Triwulan 2", "04-01", "06-30", "07-15", JenisPeriode.BIASA),
        ("Triwulan 3", "07-01", "09-30", "10-15", JenisPeriode.BIASA),
        ("Triwulan 4", "10-01", "12-31", "01-15", JenisPeriode.BIASA),
        ("Periode Akhir Tahun", "01-01", "12-31", "01-15", JenisPeriode.FINAL),
    ]


@pytest.mark.parametrize("pola", [PolaPeriode.BULANAN, PolaPeriode.TRIWULAN])
@pytest.mark.parametrize("year", [2027, 2028])  # a common and a leap year
def test_a_set_covers_every_day_once_and_is_due_after_each_end(pola: PolaPeriode, year: int) -> None:
    items = [as_periode(i) for i in periode_set(pola, 10)]
    periodic = [p for p in items if p.jenis == JenisPeriode.BIASA]
    final = [p for p in items if p.jenis == JenisPeriode.FINAL]
    day = date(year, 1, 1)
    while day.year == year:
        holders = [p.nama for p in periodic if p.range_in(year)[0] <= day <= p.range_in(year)[1]]
        assert len(holders) == 1, (day, holders)
        assert final[0].range_in(year)[0] <= day <= final[0].range_in(year)[1]
        day += timedelta(days=1)
    for item in items:
        assert item.batas_in(year) - item.range_in(year)[1] == timedelta(days=10), (year, item.nama)


@pytest.mark.parametrize("pola", [PolaPeriode.BULANAN, PolaPeriode.TRIWULAN])
def test_each_generated_periode_passes_the_admins_form(pola: PolaPeriode) -> None:
    """An admin can save any generated periode unchanged (UpdatePeriode validates it like a new one)."""
    items = [as_periode(i) for i in periode_set(pola, 10)]
    for item in items:
        raw = PeriodeInput(
            item.nama, str(item.mulai), str(item.selesai), str(item.batas_pengisian), int(item.jenis)
        )
        validate_periode(raw, [o for o in items if o is not item])


# ---------------------------------------------------------------------------------------------
# Decimals and dates
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "text", "expected"),
    [
        # every numeric field parses with the kit's one rule (its whole table: tests/kit/test_kit_fields.py)
        (values.TARGET, "4.29", Decimal("4.29")),
        (values.TARGET, "4,29", Decimal("4.29")),
        (values.TARGET, "1.250,5", Decimal("1250.5")),
        (values.TARGET, "1.000.000", Decimal("1000000")),  # dots group thousands
        (values.TARGET, "1.250", "AMBIGUOUS_NUMBER"),  # 1250 or 1,25: refused, not guessed
        (values.TARGET, "1.000.000,25", Decimal("1000000.25")),
        (values.TARGET, " 86 ", Decimal("86")),
        (values.TARGET, "1 250", "INVALID_NUMBER"),
        (values.TARGET, "0,5", Decimal("0.5")),
        (values.TARGET, "-1", "INVALID_NUMBER"),
        (values.TARGET, "-0", Decimal("0")),
        (values.TARGET, "abc", "INVALID_NUMBER"),
        (values.TARGET, "NaN", "INVALID_NUMBER"),
        (values.TARGET, "1e-100000", "INVALID_NUMBER"),
        (values.TARGET, "1000000000000", "TOO_LARGE"),
        (values.TARGET, "999999999999.99", Decimal("999999999999.99")),
        (values.TARGET, "4,2951", "TOO_PRECISE"),
        (values.TARGET_BULANAN, "0,125", "TOO_PRECISE"),
        (values.TARGET_RENCANA_AKSI, "\u0663", "INVALID_DIGIT"),
        (values.TARGET_SASARAN, "4,29", Decimal("4.29")),
        (values.REALISASI, "1.2345", Decimal("1.2345")),
        (values.REALISASI, "1.23456", "TOO_PRECISE"),
        (values.REALISASI, "0.00001", "TOO_PRECISE"),
    ],
)
def test_numeric_fields(spec: DecimalSpec, text: str, expected: Decimal | str) -> None:
    v = Violations()
    found = numbers.parse(v, "x", spec, text)
    assert (v.items[0].code if v else found) == expected


def test_parse_iso_date() -> None:
    assert parse_iso_date(" 2028-02-29 ") == date(2028, 2, 29)
    assert parse_iso_date("2027-02-29") is None
    assert parse_iso_date("29-02-2028") is None


# ---------------------------------------------------------------------------------------------
# Targets, indikator, the SKP header
# ---------------------------------------------------------------------------------------------


def target(raw: rules.TargetInput, *, required: bool = True) -> tuple[Target, dict[str, str]]:
    v = Violations()
    found = rules.validate_target(v, "t", raw, required=required)
    return found, {x.field: x.code for x in v.items}


def test_target_value_or_range() -> None:
    found, errors = target(rules.TargetInput("4,5", "", "Dokumen"))
    assert (found.min, found.max, found.satuan, errors) == (Decimal("4.5"), Decimal("4.5"), "Dokumen", {})
    found, errors = target(rules.TargetInput("80", "90", " Persen "))
    assert (found.min, found.max, found.satuan, errors) == (Decimal(80), Decimal(90), "Persen", {})
    found, errors = target(rules.TargetInput("5", "5", "Laporan"))
    assert errors == {} and found.min == found.max == 5


def test_target_refusals() -> None:
    assert target(rules.TargetInput("90", "80", "Persen"))[1] == {"t.max": "RANGE_INVERTED"}
    assert target(rules.TargetInput("", "", ""))[1] == {"t.min": "REQUIRED"}
    assert target(rules.TargetInput("", "", ""), required=False) == (Target(), {})
    assert target(rules.TargetInput("", "5", "Dokumen"))[1] == {"t.min": "REQUIRED"}
    assert target(rules.TargetInput("-1", "x", "Dokumen"))[1] == {
        "t.min": "INVALID_NUMBER",
        "t.max": "INVALID_NUMBER",
    }
    assert target(rules.TargetInput("3", "", ""))[1] == {"t.satuan": "REQUIRED"}


def pejabat(nama: str = "Pegawai") -> Pejabat:
    return Pejabat(pegawai_id=uuid.uuid4(), nip="199106192020122020", nama=nama)


def make_skp(
    model: ModelSkp = ModelSkp.JA_JF,
    pendekatan: Pendekatan = Pendekatan.KUANTITATIF,
    *,
    status: StatusSkp = StatusSkp.DRAFT,
    mandiri: bool = False,
    penilai: bool = True,
    mulai: date = date(2027, 1, 1),
    selesai: date = date(2027, 12, 31),
) -> Skp:
    owner = pejabat("Pemilik")
    return Skp(
        id=uuid.uuid4(), instansi_id=uuid.uuid4(), pegawai_id=owner.pegawai_id, unor_id=uuid.uuid4(),
        tahun=mulai.year, tanggal_mulai=mulai, tanggal_selesai=selesai, pendekatan=pendekatan, model=model,
        status=status, mandiri=mandiri, pegawai=owner, penilai=pejabat("Penilai") if penilai else None,
    )  # fmt: skip


def complete(skp: Skp) -> Skp:
    """Adds what a submission needs: an RHK utama (intervening, for JA/JF) with a full indikator, and a
    penilai for every perilaku."""
    jpt = skp.model == ModelSkp.JPT
    skp.isi.rhk.append(
        Rhk(
            id=uuid.uuid4(), jenis=JenisRhk.UTAMA, teks="Tersusunnya laporan",
            atasan_rhk_id=None if jpt else uuid.uuid4(),
            indikator=[
                Indikator(
                    id=uuid.uuid4(), teks="Jumlah laporan",
                    aspek=None if jpt else Aspek.KUANTITAS, perspektif=Perspektif.PROSES_BISNIS if jpt else None,
                    target=Target(min=Decimal(1), max=Decimal(1), satuan="Laporan"),
                )
            ],
        )
    )  # fmt: skip
    for item in skp.isi.perilaku:
        item.penilai_jenis = JenisPenilai.ATASAN
    return skp


def test_indikator_follows_the_model() -> None:
    ja = make_skp()
    with pytest.raises(InvalidArgument) as info:
        rules.validate_indikator(
            rules.IndikatorInput("Jumlah", perspektif=int(Perspektif.ANGGARAN), target=rules.TargetInput()),
            ja,
        )
    assert violations(info.value) == {
        "indikator.aspek": "REQUIRED",
        "indikator.perspektif": "PERSPEKTIF_HANYA_JPT",
        "indikator.target.min": "REQUIRED",
    }
    jpt = make_skp(ModelSkp.JPT)
    with pytest.raises(InvalidArgument) as info:
        rules.validate_indikator(
            rules.IndikatorInput("Nilai", target=rules.TargetInput("4,29", "", "Nilai")), jpt
        )
    assert violations(info.value) == {"indikator.perspektif": "REQUIRED"}
    found = rules.validate_indikator(
        rules.IndikatorInput(" Nilai ", perspektif=2, target=rules.TargetInput("4,29", "", "Nilai")), jpt
    )
    assert (found.teks, found.perspektif, found.target.min) == (
        "Nilai",
        Perspektif.PROSES_BISNIS,
        Decimal("4.29"),
    )
    # kualitatif: no aspek nor target needed for JA/JF
    kualitatif = make_skp(pendekatan=Pendekatan.KUALITATIF)
    found = rules.validate_indikator(rules.IndikatorInput("Laporan diterima pimpinan"), kualitatif)
    assert found.aspek is None and not found.target.is_set
    with pytest.raises(InvalidArgument) as info:
        rules.validate_indikator(
            rules.IndikatorInput("x", aspek=9, target=rules.TargetInput("1", "", "x")), ja
        )
    assert violations(info.value) == {"indikator.aspek": "INVALID_CHOICE"}


@pytest.mark.parametrize(
    ("mulai", "selesai", "pendekatan", "expected"),
    [
        ("2027-06-30", "2027-01-01", 1, {"tanggal_selesai": "RANGE_INVERTED"}),
        ("2027-07-01", "2028-06-30", 1, {"tanggal_selesai": "RANGE_CROSSES_YEAR"}),
        ("2019-01-01", "2019-12-31", 1, {"tanggal_mulai": "INVALID_DATE", "tanggal_selesai": "INVALID_DATE"}),
        ("2029-01-01", "2029-12-31", 1, {"tanggal_mulai": "INVALID_DATE", "tanggal_selesai": "INVALID_DATE"}),
        (
            "",
            "2027-02-30",
            0,
            {"tanggal_mulai": "REQUIRED", "tanggal_selesai": "INVALID_DATE", "pendekatan": "REQUIRED"},
        ),
        ("2027-01-01", "2027-12-31", 7, {"pendekatan": "INVALID_CHOICE"}),
    ],
)
def test_skp_header_refusals(mulai: str, selesai: str, pendekatan: int, expected: dict[str, str]) -> None:
    with pytest.raises(InvalidArgument) as info:
        rules.validate_header(rules.SkpHeaderInput(mulai, selesai, pendekatan), date(2027, 5, 1))
    assert violations(info.value) == expected


def test_skp_header_within_one_year_up_to_next_year() -> None:
    found = rules.validate_header(rules.SkpHeaderInput("2028-01-01", "2028-06-30", 2), date(2027, 5, 1))
    assert (found.tahun, found.tanggal_selesai, found.pendekatan, found.plt_id) == (
        2028, date(2028, 6, 30), Pendekatan.KUALITATIF, None,
    )  # fmt: skip
    with pytest.raises(InvalidArgument) as info:
        rules.validate_header(
            rules.SkpHeaderInput("2027-01-01", "2027-12-31", 1, "bukan-id"), date(2027, 5, 1)
        )
    assert violations(info.value) == {"plt_id": "INVALID_ID"}


def test_rhk_input() -> None:
    skp = make_skp()
    with pytest.raises(InvalidArgument) as info:
        rules.validate_rhk(
            rules.RhkInput(int(JenisRhk.TAMBAHAN), "", str(uuid.uuid4()), ["a", " ", "b" * 501]), skp
        )
    assert violations(info.value) == {
        "rhk.teks": "REQUIRED",
        "rhk.atasan_rhk_id": "ATASAN_RHK_TIDAK_BERLAKU",
        "rhk.tahapan[2]": "TOO_LONG",
    }
    found = rules.validate_rhk(rules.RhkInput(1, "Teks", "", [" satu ", "", "dua"]), skp)
    assert (found.jenis, found.tahapan, found.atasan_rhk_id) == (JenisRhk.UTAMA, ["satu", "dua"], None)


def test_the_atasan_rhk_must_be_the_penilai_s_of_the_same_year() -> None:
    skp = make_skp()
    assert skp.penilai is not None
    atasan = make_skp(mulai=date(2027, 1, 1))
    atasan.pegawai_id = skp.penilai.pegawai_id
    atasan.isi.rhk.append(Rhk(id=uuid.uuid4(), jenis=JenisRhk.UTAMA, teks="RHK atasan"))
    wanted = atasan.isi.rhk[0].id
    assert rules.resolve_intervention(skp, wanted, [atasan], atasan) == ("RHK atasan", atasan.id)
    last_year = make_skp(mulai=date(2026, 1, 1), selesai=date(2026, 12, 31))
    last_year.pegawai_id = skp.penilai.pegawai_id
    someone = make_skp()
    for holder, code in (
        (last_year, "ATASAN_RHK_TAHUN_BERBEDA"),
        (someone, "ATASAN_RHK_BUKAN_ATASAN"),
        (None, "ATASAN_RHK_NOT_FOUND"),
    ):
        with pytest.raises(InvalidArgument) as info:
            rules.resolve_intervention(skp, uuid.uuid4(), [atasan], holder)
        assert violations(info.value) == {"rhk.atasan_rhk_id": code}


def test_rencana_aksi_periode_must_touch_the_skp() -> None:
    skp = make_skp(mulai=date(2027, 1, 1), selesai=date(2027, 6, 30))
    skp.isi.rhk.append(Rhk(id=uuid.uuid4(), jenis=JenisRhk.UTAMA, teks="RHK"))
    rhk_id = str(skp.isi.rhk[0].id)
    tw2, tw4 = periode("04-01", "06-30", "07-10", nama="Triwulan 2"), periode("10-01", "12-31", "01-10")
    raw = rules.RencanaAksiInput(rhk_id, str(tw4.id), "Menyusun", "1", "Dokumen")
    with pytest.raises(InvalidArgument) as info:
        rules.validate_rencana_aksi(raw, skp, tw4)
    assert violations(info.value) == {"rencana_aksi.periode_id": "PERIODE_DI_LUAR_SKP"}
    found = rules.validate_rencana_aksi(
        rules.RencanaAksiInput(rhk_id, str(tw2.id), "Menyusun", "1,5", "Dokumen"), skp, tw2
    )
    assert (found.periode_id, found.target) == (tw2.id, Decimal("1.5"))
    with pytest.raises(InvalidArgument) as info:
        rules.validate_rencana_aksi(rules.RencanaAksiInput(str(uuid.uuid4()), "x", " ", "", ""), skp, None)
    assert violations(info.value) == {
        "rencana_aksi.rhk_id": "RHK_NOT_FOUND",
        "rencana_aksi.periode_id": "PERIODE_NOT_FOUND",
        "rencana_aksi.teks": "REQUIRED",
        "rencana_aksi.target": "REQUIRED",
    }


def test_target_bulanan() -> None:
    values = ["", "1", "1,5", *[""] * 9]
    assert rules.validate_target_bulanan(values) == [None, Decimal(1), Decimal("1.5"), *[None] * 9]
    with pytest.raises(InvalidArgument) as info:
        rules.validate_target_bulanan(["1"] * 11)
    assert violations(info.value) == {"target": "TWELVE_MONTHS"}
    with pytest.raises(InvalidArgument) as info:
        rules.validate_target_bulanan(["", "", "", "-2", *[""] * 7, "x"])
    assert violations(info.value) == {"target[3]": "INVALID_NUMBER", "target[11]": "INVALID_NUMBER"}


def test_perjanjian_kinerja_inputs() -> None:
    assert validate_tahun(2027, date(2026, 11, 29)) == 2027
    for tahun in (2019, 2028):
        with pytest.raises(InvalidArgument):
            validate_tahun(tahun, date(2026, 11, 29))
    found = validate_sasaran(
        SasaranInput("Sasaran", [PkIndikatorInput("Nilai", "4,29", "Nilai"), PkIndikatorInput("Teks")])
    )
    assert [(i["teks"], i["target"], i["satuan"]) for i in found["indikator"]] == [
        ("Nilai", "4.29", "Nilai"),
        ("Teks", "", ""),
    ]
    with pytest.raises(InvalidArgument) as info:
        validate_sasaran(SasaranInput("", [PkIndikatorInput("Nilai", "-4"), PkIndikatorInput("Nilai", "4")]))
    assert violations(info.value) == {
        "sasaran.teks": "REQUIRED",
        "sasaran.indikator[0].target": "INVALID_NUMBER",
        "sasaran.indikator[1].satuan": "REQUIRED",
    }


# ---------------------------------------------------------------------------------------------
# Completeness and workflow
# ---------------------------------------------------------------------------------------------


def gap_codes(skp: Skp) -> list[tuple[str, str]]:
    return [(g.field, g.code) for g in rules.submission_gaps(skp)]


def test_complete_skps_have_no_gaps() -> None:
    assert rules.submission_gaps(complete(make_skp())) == []
    assert rules.submission_gaps(complete(make_skp(ModelSkp.JPT, mandiri=True, penilai=False))) == []


def test_every_gap_is_listed_at_once() -> None:
    skp = make_skp()
    skp.isi.rhk += [
        Rhk(id=uuid.uuid4(), jenis=JenisRhk.TAMBAHAN, teks="Tambahan tanpa indikator"),
        Rhk(
            id=uuid.uuid4(), jenis=JenisRhk.UTAMA, teks="Utama tanpa intervensi",
            indikator=[Indikator(id=uuid.uuid4(), teks="Tanpa aspek dan target")],
        ),
    ]  # fmt: skip
    skp.isi.perilaku[0].penilai_jenis = JenisPenilai.ATASAN
    skp.penilai = None
    # utama first (index 0), then tambahan (index 1)
    assert gap_codes(skp) == [
        ("rhk[0].atasan_rhk_id", "RHK_TANPA_INTERVENSI"),
        ("rhk[0].indikator[0].aspek", "INDIKATOR_TANPA_ASPEK"),
        ("rhk[0].indikator[0].target", "INDIKATOR_TANPA_TARGET"),
        ("rhk[1].indikator", "RHK_TANPA_INDIKATOR"),
        *[(f"perilaku[{k}].penilai", "PERILAKU_TANPA_PENILAI") for k in range(1, 7)],
        ("penilai", "PENILAI_TIDAK_ADA"),
    ]


def test_gaps_of_an_empty_skp_and_of_a_jpt() -> None:
    assert gap_codes(make_skp()) == [
        ("rhk", "RHK_UTAMA_KOSONG"),
        *[(f"perilaku[{k}].penilai", "PERILAKU_TANPA_PENILAI") for k in range(7)],
    ]
    jpt = complete(make_skp(ModelSkp.JPT))
    jpt.isi.rhk[0].indikator[0].perspektif = None
    jpt.isi.rhk[0].indikator[0].target = Target(satuan="Nilai")
    assert gap_codes(jpt) == [
        ("rhk[0].indikator[0].perspektif", "INDIKATOR_TANPA_PERSPEKTIF"),
        ("rhk[0].indikator[0].target", "INDIKATOR_TANPA_TARGET"),
    ]
    # kualitatif: neither aspek nor target is needed
    kualitatif = complete(make_skp(pendekatan=Pendekatan.KUALITATIF))
    kualitatif.isi.rhk[0].indikator[0].aspek = None
    kualitatif.isi.rhk[0].indikator[0].target = Target()
    assert gap_codes(kualitatif) == []


def test_submit_approve_return_reset() -> None:
    skp = complete(make_skp())
    assert rules.submit(skp, NOW) is False
    assert (skp.status, skp.diajukan_at) == (StatusSkp.DIAJUKAN, NOW)
    with pytest.raises(FailedPrecondition) as info:
        rules.submit(skp, NOW)
    assert info.value.reason == "SKP_SUDAH_DIAJUKAN"
    later = NOW + timedelta(hours=1)
    rules.return_to_draft(skp, "Perbaiki target", later)
    assert (skp.status, skp.alasan_dikembalikan, skp.dikembalikan_at) == (
        StatusSkp.DRAFT,
        "Perbaiki target",
        later,
    )
    rules.submit(skp, later)
    rules.approve(skp, later)
    assert (skp.status, skp.disetujui_at, skp.alasan_dikembalikan) == (StatusSkp.DISETUJUI, later, "")
    assert rules.reset(skp, "Mutasi", later) == StatusSkp.DISETUJUI
    assert (skp.status, skp.disetujui_at, skp.alasan_dikembalikan) == (StatusSkp.DRAFT, None, "Mutasi")
    with pytest.raises(FailedPrecondition) as info:
        rules.reset(skp, "", later)
    assert info.value.reason == "SKP_SUDAH_DRAFT"


def test_a_mandiri_head_is_approved_on_submission() -> None:
    skp = complete(make_skp(ModelSkp.JPT, mandiri=True, penilai=False))
    assert rules.submit(skp, NOW) is True
    assert (skp.status, skp.diajukan_at, skp.disetujui_at) == (StatusSkp.DISETUJUI, NOW, NOW)


def test_an_incomplete_draft_is_not_submitted() -> None:
    skp = make_skp()
    with pytest.raises(FailedPrecondition) as info:
        rules.submit(skp, NOW)
    assert info.value.reason == "SKP_BELUM_LENGKAP" and len(info.value.violations) == 8
    assert (skp.status, skp.diajukan_at) == (StatusSkp.DRAFT, None)


@pytest.mark.parametrize("status", [StatusSkp.DRAFT, StatusSkp.DISETUJUI])
def test_only_a_submitted_skp_is_approved_or_returned(status: StatusSkp) -> None:
    skp = complete(make_skp(status=status))
    for action in (lambda: rules.approve(skp, NOW), lambda: rules.return_to_draft(skp, "x", NOW)):
        with pytest.raises(FailedPrecondition) as info:
            action()
        assert info.value.reason == "SKP_BELUM_DIAJUKAN"
    assert skp.status == status


def test_guards() -> None:
    skp = make_skp()
    rules.require_owner(skp, skp.pegawai_id)
    for someone in (None, uuid.uuid4()):
        with pytest.raises(PermissionDenied) as info:
            rules.require_owner(skp, someone)
        assert info.value.reason == "BUKAN_PEMILIK_SKP"
    expected = {
        StatusSkp.DRAFT: (None, None, "SKP_BELUM_DISETUJUI"),
        StatusSkp.DIAJUKAN: ("SKP_TIDAK_DAPAT_DIUBAH", "SKP_SEDANG_DIPERIKSA", "SKP_BELUM_DISETUJUI"),
        StatusSkp.DISETUJUI: ("SKP_TIDAK_DAPAT_DIUBAH", None, None),
    }
    for status, reasons in expected.items():
        skp.status = status
        guards = (
            lambda: rules.require_draft(skp),
            lambda: rules.require_draft_or_approved(skp, "Rencana aksi"),
            lambda: rules.require_approved(skp, "Kinerja harian"),
        )
        for guard, reason in zip(guards, reasons, strict=True):
            if reason is None:
                guard()
            else:
                with pytest.raises(FailedPrecondition) as info:
                    guard()
                assert info.value.reason == reason, (status, reason)


def test_alasan() -> None:
    assert rules.alasan("  Target   belum terukur ", required=True) == "Target belum terukur"
    assert rules.alasan("", required=False) == ""
    with pytest.raises(InvalidArgument) as info:
        rules.alasan(" ", required=True)
    assert violations(info.value) == {"alasan": "REQUIRED"}
    with pytest.raises(InvalidArgument) as info:
        rules.alasan("x" * 1001, required=False)
    assert violations(info.value) == {"alasan": "TOO_LONG"}


def test_a_new_skp_has_the_seven_values_unrated() -> None:
    values = perilaku_awal()
    assert [int(p.nilai) for p in values] == list(range(1, 8))
    assert all(isinstance(p, Perilaku) and p.penilai_jenis is None and p.ekspektasi == "" for p in values)


def test_readiness_for_assessment() -> None:
    tw1 = periode("01-01", "03-31", "04-10", nama="Triwulan 1")
    tw3 = periode("07-01", "09-30", "10-10", nama="Triwulan 3")
    final = periode("01-01", "12-31", "01-10", JenisPeriode.FINAL, nama="Akhir Tahun")
    skp = complete(make_skp(selesai=date(2027, 6, 30)))
    assert [g.code for g in rules.assessment_gaps(skp, tw1)] == [
        "SKP_BELUM_DISETUJUI",
        "RHK_TANPA_RENCANA_AKSI",
    ]
    skp.status = StatusSkp.DISETUJUI
    rhk = skp.isi.rhk[0]
    assert [(g.field, g.rhk_id) for g in rules.assessment_gaps(skp, tw1)] == [("rhk[0]", rhk.id)]
    rhk.rencana_aksi.append(RencanaAksi(id=uuid.uuid4(), periode_id=tw1.id, teks="Menyusun draf"))
    assert rules.assessment_gaps(skp, tw1) == []
    assert [g.code for g in rules.assessment_gaps(skp, tw3)] == ["PERIODE_DI_LUAR_SKP"]
    assert rules.assessment_gaps(skp, final) == []  # the year-end assessment rates the yearly targets


def test_the_snapshot_follows_the_pejabat_penilai_of_today_with_the_perilaku_rated_by_the_atasan() -> None:
    skp = complete(make_skp(status=StatusSkp.DIAJUKAN))
    old = skp.penilai
    assert old is not None
    rekan = uuid.uuid4()
    skp.isi.perilaku[0].penilai_jenis = JenisPenilai.REKAN_KERJA
    skp.isi.perilaku[0].penilai_pegawai_id, skp.isi.perilaku[0].penilai_nama = rekan, "Rekan"
    for item in skp.isi.perilaku[1:]:
        item.penilai_pegawai_id, item.penilai_nama = old.pegawai_id, old.nama
    new, atasan, unit = pejabat("Penilai Baru"), pejabat("Atasan Baru"), uuid.uuid4()
    rules.follow_penilai(skp, new, unit, atasan)
    assert (skp.penilai, skp.penilai_unor_id, skp.atasan_penilai) == (new, unit, atasan)
    assert skp.isi.perilaku[0].penilai_pegawai_id == rekan  # a rekan kerja chosen by the owner stays
    assert {(p.penilai_pegawai_id, p.penilai_nama) for p in skp.isi.perilaku[1:]} == {
        (new.pegawai_id, "Penilai Baru")
    }
    rules.follow_penilai(skp, None, None, None)  # org names nobody: the atasan's values wait for one
    assert {p.penilai_pegawai_id for p in skp.isi.perilaku[1:]} == {None}
    assert skp.status == StatusSkp.DIAJUKAN
