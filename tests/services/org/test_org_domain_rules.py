"""Input rules of unor, pegawai, PLT and instansi, and the tree (no database)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from kinerja_kit.errors import InvalidArgument
from org.domain.instansi import InstansiInput, validate_instansi
from org.domain.pegawai import PegawaiInput, validate_pegawai
from org.domain.plt import Plt, PltInput, validate_plt
from org.domain.unor import UnorInput, UnorTree, validate_unor
from org.domain.values import (
    JenisJabatan,
    JenisPlt,
    JenisUnor,
    canonical_golongan,
    canonical_jenjang,
    pangkat_for,
)

TODAY = date(2026, 11, 20)
ROOT, A, B, A1, A2 = (uuid.UUID(int=i) for i in range(1, 6))
TREE = UnorTree({ROOT: None, A: ROOT, B: ROOT, A1: A, A2: A})


def violations(error: pytest.ExceptionInfo[InvalidArgument]) -> dict[str, str]:
    return {v.field: v.code for v in error.value.violations}


def unor_input(**changes: object) -> UnorInput:
    base = UnorInput(
        nama="Bidang Mutasi", jenis=int(JenisUnor.ADMINISTRATOR), eselon="31",
        parent_id=str(ROOT), induk_id="", mandiri=False, kota="Semarang",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_tree_order_parents_first_siblings_by_name() -> None:
    names = {ROOT: "Badan", A: "Bidang Z", B: "Bidang A", A1: "Sub 2", A2: "Sub 1"}
    assert TREE.ordered(names) == [ROOT, B, A, A2, A1]
    assert TREE.descendants(A) == {A1, A2}
    assert TREE.descendants(ROOT) == {A, B, A1, A2}
    assert TREE.ancestors(A1) == [A, ROOT]
    assert TREE.roots() == [ROOT]


def test_valid_unor() -> None:
    fields = validate_unor(unor_input(induk_id=str(ROOT), nama="  Bidang   Mutasi "), TREE)
    assert fields.nama == "Bidang Mutasi"
    assert fields.parent_id == ROOT and fields.induk_id == ROOT
    assert fields.jenis == JenisUnor.ADMINISTRATOR


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"nama": "   "}, "unor.nama", "REQUIRED"),
        ({"nama": "x" * 256}, "unor.nama", "TOO_LONG"),
        ({"jenis": 0}, "unor.jenis", "REQUIRED"),
        ({"jenis": 99}, "unor.jenis", "REQUIRED"),
        ({"eselon": "II.a"}, "unor.eselon", "ESELON_FORMAT"),
        ({"kota": "k" * 101}, "unor.kota", "TOO_LONG"),
        ({"parent_id": "bukan-uuid"}, "unor.parent_id", "INVALID_ID"),
        ({"parent_id": str(uuid.uuid4())}, "unor.parent_id", "PARENT_NOT_FOUND"),
        ({"parent_id": ""}, "unor.parent_id", "PARENT_REQUIRED"),  # an orphan beside the root
        ({"induk_id": str(uuid.uuid4())}, "unor.induk_id", "INDUK_NOT_FOUND"),
    ],
)
def test_refused_unor(changes: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(InvalidArgument) as error:
        validate_unor(unor_input(**changes), TREE)
    assert violations(error)[field] == code


def test_all_unor_violations_at_once() -> None:
    with pytest.raises(InvalidArgument) as error:
        validate_unor(unor_input(nama="", jenis=0, parent_id=str(uuid.uuid4())), TREE)
    assert set(violations(error)) == {"unor.nama", "unor.jenis", "unor.parent_id"}


@pytest.mark.parametrize("parent", [A, A1, A2])
def test_cycle_refused_on_update(parent: uuid.UUID) -> None:
    with pytest.raises(InvalidArgument) as error:
        validate_unor(unor_input(parent_id=str(parent)), TREE, self_id=A)
    assert violations(error)["unor.parent_id"] == "CYCLE"


def test_moving_a_unit_elsewhere_and_the_root_staying_root() -> None:
    assert validate_unor(unor_input(parent_id=str(B)), TREE, self_id=A).parent_id == B
    assert validate_unor(unor_input(parent_id=""), TREE, self_id=ROOT).parent_id is None
    with pytest.raises(InvalidArgument) as error:
        validate_unor(unor_input(induk_id=str(A1)), TREE, self_id=A)
    assert violations(error)["unor.induk_id"] == "INDUK_BELOW"


def test_first_unor_of_an_instansi_is_the_root() -> None:
    assert validate_unor(unor_input(parent_id=""), UnorTree({})).parent_id is None


def pegawai_input(**changes: object) -> PegawaiInput:
    base = PegawaiInput(
        nip="199106192020122005", nama="Atim Mufarrihah", unor_id=str(A), pimpinan=False,
        jabatan_nama="Pranata Komputer Ahli Pertama", jabatan_jenis=int(JenisJabatan.FUNGSIONAL),
        jabatan_jenjang="ahli pertama", golongan="iii/a", pangkat="", tmt_jabatan="2021-12-01",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_valid_pegawai_normalised() -> None:
    fields = validate_pegawai(pegawai_input(), today=TODAY, unor_exists=TREE.__contains__)
    assert fields.jabatan.jenjang == "Ahli Pertama"
    assert fields.golongan == "III/a" and fields.pangkat == "Penata Muda"
    assert fields.tmt_jabatan == date(2021, 12, 1)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"nip": "12345"}, "pegawai.nip", "NIP_FORMAT"),
        ({"nip": "199102302020122005"}, "pegawai.nip", "NIP_BIRTH_DATE"),
        ({"nama": ""}, "pegawai.nama", "REQUIRED"),
        ({"nama": "n" * 201}, "pegawai.nama", "TOO_LONG"),
        ({"unor_id": ""}, "pegawai.unor_id", "REQUIRED"),
        ({"unor_id": str(uuid.uuid4())}, "pegawai.unor_id", "UNOR_NOT_FOUND"),
        ({"jabatan_nama": ""}, "pegawai.jabatan.nama", "REQUIRED"),
        ({"jabatan_nama": "j" * 256}, "pegawai.jabatan.nama", "TOO_LONG"),
        ({"jabatan_jenis": 0}, "pegawai.jabatan.jenis", "REQUIRED"),
        ({"jabatan_jenjang": ""}, "pegawai.jabatan.jenjang", "REQUIRED"),
        ({"jabatan_jenjang": "Ahli Super"}, "pegawai.jabatan.jenjang", "JENJANG_INVALID"),
        (
            {"jabatan_jenis": int(JenisJabatan.PELAKSANA), "jabatan_jenjang": "Ahli Muda"},
            "pegawai.jabatan.jenjang",
            "JENJANG_NOT_ALLOWED",
        ),
        ({"golongan": "III/f"}, "pegawai.golongan", "GOLONGAN_INVALID"),
        ({"golongan": "V/a"}, "pegawai.golongan", "GOLONGAN_INVALID"),
        ({"tmt_jabatan": "2021-02-30"}, "pegawai.tmt_jabatan", "INVALID_DATE"),
        ({"tmt_jabatan": "01/12/2021"}, "pegawai.tmt_jabatan", "INVALID_DATE"),
    ],
)
def test_refused_pegawai(changes: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(InvalidArgument) as error:
        validate_pegawai(pegawai_input(**changes), today=TODAY, unor_exists=TREE.__contains__)
    assert violations(error)[field] == code


def test_non_asn_pegawai_has_no_nip_or_golongan() -> None:
    fields = validate_pegawai(
        pegawai_input(nip="", golongan="", jabatan_jenis=int(JenisJabatan.JPT), jabatan_jenjang=""),
        today=TODAY,
        unor_exists=TREE.__contains__,
        non_asn=True,
    )
    assert fields.nip == ""
    with pytest.raises(InvalidArgument) as error:
        validate_pegawai(pegawai_input(), today=TODAY, unor_exists=TREE.__contains__, non_asn=True)
    assert violations(error)["pegawai.nip"] == "NIP_NOT_ALLOWED"


def test_golongan_and_jenjang_data() -> None:
    assert canonical_golongan("IV/e") == "IV/e" and pangkat_for("IV/e") == "Pembina Utama"
    assert pangkat_for("II/a") == "Pengatur Muda" and pangkat_for("I/d") == "Juru Tingkat I"
    assert canonical_golongan("I/e") is None
    assert canonical_golongan("ix") == "IX" and pangkat_for("IX") == ""  # PPPK
    assert canonical_golongan("XVIII") is None
    assert canonical_jenjang("AHLI  MADYA") == "Ahli Madya"
    assert canonical_jenjang("Madya") is None


def plt_input(**changes: object) -> PltInput:
    base = PltInput(
        pegawai_id=str(uuid.UUID(int=50)), unor_id=str(A), jabatan="Plt. Kepala Bidang", jenis=int(JenisPlt.PLT),
        tanggal_mulai="2026-10-01", tanggal_selesai="2026-12-31", aktif=True,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_plt_rules() -> None:
    known = {uuid.UUID(int=50)}
    fields = validate_plt(
        plt_input(), today=TODAY, pegawai_exists=known.__contains__, unor_exists=TREE.__contains__
    )
    plt = Plt(uuid.uuid4(), uuid.uuid4(), fields.pegawai_id, fields.unor_id, fields.jabatan, fields.jenis,
              fields.tanggal_mulai, fields.tanggal_selesai, True, 1)  # fmt: skip
    assert plt.active_on(date(2026, 10, 1)) and plt.active_on(date(2026, 12, 31))
    assert not plt.active_on(date(2027, 1, 1)) and not replace(plt, aktif=False).active_on(TODAY)
    with pytest.raises(InvalidArgument) as error:
        validate_plt(
            plt_input(
                tanggal_mulai="2027-01-01", jenis=0, jabatan="", pegawai_id=str(uuid.uuid4()), unor_id=""
            ),
            today=TODAY,
            pegawai_exists=known.__contains__,
            unor_exists=TREE.__contains__,
        )
    assert violations(error) == {
        "plt.tanggal_selesai": "PERIOD_REVERSED",
        "plt.jenis": "REQUIRED",
        "plt.jabatan": "REQUIRED",
        "plt.pegawai_id": "PEGAWAI_NOT_FOUND",
        "plt.unor_id": "REQUIRED",
    }


def test_instansi_rules() -> None:
    ok = validate_instansi(
        InstansiInput(kode=" pemkab-blora ", nama="Pemerintah Kabupaten Blora", jenis="daerah")
    )
    assert (ok.kode, ok.jenis) == ("PEMKAB-BLORA", "DAERAH")
    with pytest.raises(InvalidArgument) as error:
        validate_instansi(InstansiInput(kode="BKN_PUSAT", nama="", jenis="LAIN"))
    assert violations(error) == {"kode": "KODE_FORMAT", "nama": "REQUIRED", "jenis": "JENIS_INVALID"}
