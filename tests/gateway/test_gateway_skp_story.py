"""The manual's planning story through GraphQL only, over the real identity, org and skp services.

Admin BKN builds an instansi (a mandiri JPT unit with two bidang under it), its admin sets the quarterly
periode; the JPT enters seed 001's perjanjian kinerja, copies it into their SKP, completes it (perspektif,
manual indikator, ekspektasi), splits an RHK in a matriks peran hasil for the two kepala bidang and
submits (approved at once: mandiri); the bawahan copy their peran into RHK intervening it, plan and
submit; the JPT returns one with a reason and approves the other; the fix is approved. Then the
refusals a portal shows, each as `errors { field code message }` with a stable code and an Indonesian
message.
"""

from __future__ import annotations

import datetime
import random
import string
from dataclasses import dataclass, field
from typing import Any

import pytest

from kinerja_testing.gateway import Gql, error_codes
from kinerja_testing.gateway_e2e import accounts_by_nip, create_pegawai, give_login, ok
from kinerja_testing.platform import PERJANJIAN_SEED_001

pytestmark = pytest.mark.integration

YEAR = datetime.date.today().year + 1  # planning happens ahead: no batas pengisian has passed
NOW = YEAR - 1  # the refusals' SKPs, apart from the story's

NILAI = ["BERORIENTASI_PELAYANAN", "AKUNTABEL", "KOMPETEN", "HARMONIS", "LOYAL", "ADAPTIF", "KOLABORATIF"]
MANUAL = {
    "deskripsiRencanaKerja": "Reformasi birokrasi area manajemen perubahan",
    "definisi": "Nilai hasil evaluasi area manajemen perubahan",
    "formula": "Nilai evaluasi PMPRB",
    "tujuan": "Mengukur perubahan pola pikir",
    "satuanPengukuran": "Nilai",
    "jenisIku": "OUTCOME",
    "penanggungJawab": "Kepala Badan",
    "penyediaData": "Sekretariat",
    "sumberData": "Laporan PMPRB",
    "periodePelaporan": "TAHUNAN",
}

ERRORS = "errors { field code message }"
SKP = f"""skp {{
  id status model mandiri version alasanDikembalikan disetujuiAt
  pegawai {{ pegawaiId nama }} penilai {{ pegawaiId nama }}
  rhk {{
    id jenis teks atasanRhkId atasanRhkTeks atasanSkpId sumberSasaranId sumberMphId
    indikator {{
      id teks aspek perspektif target {{ min max satuan }}
      manual {{ deskripsiRencanaKerja definisi formula tujuan satuanPengukuran jenisIku penanggungJawab
               penyediaData sumberData periodePelaporan }}
    }}
    rencanaAksi {{ id periodeId teks target satuan }}
  }}
  perilaku {{ nilai ekspektasi penilaiJenis penilaiPegawaiId penilaiNama }}
}} {ERRORS}"""
MPH = f"""matriksPeranHasil {{
  id rhkId rhkTeks unorId tahun pemilik {{ pegawaiId }}
  kolom {{ id nama }} anggota {{ id peranTim pegawai {{ pegawaiId nama }} peran {{ kolomId peran }} }}
}} {ERRORS}"""


@dataclass
class Office:
    """The story's instansi: unor ids, pegawai records and tokens by key, the periode by name."""

    instansi_id: str
    unor: dict[str, str] = field(default_factory=dict)
    people: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    periode: dict[str, str] = field(default_factory=dict)

    def id(self, key: str) -> str:
        return self.people[key]["id"]


def call(
    gql: Gql, token: str, mutation: str, variables: dict[str, Any], selection: str = SKP
) -> dict[str, Any]:
    """Runs a one-field mutation, given as "name(arguments) | variable declarations"; returns its payload."""
    name_args, declared = mutation.split(" | ")
    body = gql(f"mutation({declared}) {{ {name_args} {{ {selection} }} }}", variables, token=token)
    assert not body.get("errors"), body
    (payload,) = body["data"].values()
    result: dict[str, Any] = payload
    return result


def done(gql: Gql, token: str, mutation: str, variables: dict[str, Any], selection: str = SKP) -> Any:
    """What a mutation that must succeed answers with (its payload's field besides `errors`)."""
    payload = call(gql, token, mutation, variables, selection)
    assert payload["errors"] == [], payload
    (value,) = [v for k, v in payload.items() if k != "errors"]
    return value


def refused(payload: dict[str, Any], expected: list[tuple[str | None, str]]) -> list[str]:
    """Asserts the payload holds nothing and exactly these (field, code) errors; returns their messages."""
    assert [(e["field"], e["code"]) for e in payload["errors"]] == expected, payload
    assert all(v is None for k, v in payload.items() if k != "errors"), payload
    messages = [e["message"] for e in payload["errors"]]
    assert all(messages), payload
    return messages


# the mutations the story uses: "name(arguments) | variable declarations"
CREATE_SKP = (
    "createSkp(tanggalMulai: $a, tanggalSelesai: $b, pendekatan: $p) | $a: Date!, $b: Date!, $p: Pendekatan!"
)
ADD_RHK = "addRhk(skpId: $s, input: $r) | $s: ID!, $r: RhkInput!"
ADD_INDIKATOR = "addIndikator(skpId: $s, rhkId: $r, input: $i) | $s: ID!, $r: ID!, $i: IndikatorInput!"
UPDATE_INDIKATOR = (
    "updateIndikator(skpId: $s, indikatorId: $x, input: $i) | $s: ID!, $x: ID!, $i: IndikatorInput!"
)
PENILAI = (
    "setPenilaiPerilaku(skpId: $s, nilai: $n, penilaiJenis: $j, penilaiPegawaiId: $p)"
    " | $s: ID!, $n: NilaiPerilaku!, $j: JenisPenilai!, $p: ID"
)
ADD_RENCANA = "addRencanaAksi(skpId: $s, input: $r) | $s: ID!, $r: RencanaAksiInput!"
SUBMIT = "submitSkp(id: $s) | $s: ID!"
APPROVE = "approveSkp(id: $s) | $s: ID!"
RETURN = "returnSkp(id: $s, alasan: $a) | $s: ID!, $a: String!"


def new_skp(gql: Gql, token: str, year: int, mulai: str = "01-01", selesai: str = "12-31") -> dict[str, Any]:
    return done(
        gql, token, CREATE_SKP, {"a": f"{year}-{mulai}", "b": f"{year}-{selesai}", "p": "KUANTITATIF"}
    )


def penilai_semua(
    gql: Gql, token: str, skp_id: str, jenis: str = "ATASAN", pegawai: str | None = None
) -> dict[str, Any]:
    skp: dict[str, Any] = {}
    for nilai in NILAI:
        skp = done(gql, token, PENILAI, {"s": skp_id, "n": nilai, "j": jenis, "p": pegawai})
    return skp


@pytest.fixture(scope="module")
def office(e2e_gql: Gql, bkn_token: str) -> Office:
    """A fresh instansi built by admin BKN through GraphQL, with logins, and its quarterly periode set
    by its admin instansi (the staff member, a kepegawaian officer)."""
    gql, bkn = e2e_gql, bkn_token
    tag = "".join(random.choices(string.ascii_lowercase, k=8))
    instansi = ok(
        gql(
            "mutation($i: CreateInstansiInput!) { createInstansi(input: $i) { instansi { id } errors { code } } }",
            {
                "i": {
                    "kode": f"SKP-{tag.upper()}",
                    "nama": f"Badan Kepegawaian Daerah {tag}",
                    "jenis": "DAERAH",
                }
            },
            token=bkn,
        ),
        "createInstansi",
    )["instansi"]
    office = Office(instansi_id=instansi["id"])
    units = [
        ("bkd", f"Badan Kepegawaian Daerah {tag}", "JPT_PRATAMA", None, True),
        ("informasi", "Bidang Informasi dan Penilaian Kinerja", "ADMINISTRATOR", "bkd", False),
        ("bangkom", "Bidang Pengembangan Kompetensi Aparatur", "ADMINISTRATOR", "bkd", False),
    ]
    for key, nama, jenis, parent, mandiri in units:
        parent_id = office.unor[parent] if parent else None
        unor = {"nama": nama, "jenis": jenis, "parentId": parent_id, "indukId": parent_id, "mandiri": mandiri}
        office.unor[key] = ok(
            gql(
                """mutation($u: UnorInput!, $i: ID!) {
                     createUnor(input: $u, instansiId: $i) { unor { id mandiri } errors { field code message } }
                   }""",
                {"u": {**unor, "kota": "Semarang"}, "i": office.instansi_id},
                token=bkn,
            ),
            "createUnor",
        )["unor"]["id"]
    people = [
        ("kepala", "Dr. Ahmad Rofiq Hidayat, S.H., M.Si.", "bkd", True,
         {"nama": "Kepala Badan Kepegawaian Daerah", "jenis": "JPT"}, "IV/c"),
        ("kabid_informasi", "Haryono Dwi Putranto, S.Kom., M.Cs.", "informasi", True,
         {"nama": "Kepala Bidang Informasi dan Penilaian Kinerja", "jenis": "ADMINISTRATOR"}, "IV/a"),
        ("kabid_bangkom", "Ir. Bambang Sutrisno, M.T.", "bangkom", True,
         {"nama": "Kepala Bidang Pengembangan Kompetensi Aparatur", "jenis": "ADMINISTRATOR"}, "IV/a"),
        ("staf", "Yoga Aditya Nugraha, S.Kom.", "bkd", False,
         {"nama": "Analis SDM Aparatur", "jenis": "FUNGSIONAL", "jenjang": "Ahli Pertama"}, "III/a"),
    ]  # fmt: skip
    for key, nama, unit, pimpinan, jabatan, golongan in people:
        office.people[key] = create_pegawai(
            gql,
            bkn,
            office.instansi_id,
            {
                "nama": nama,
                "unorId": office.unor[unit],
                "pimpinan": pimpinan,
                "jabatan": jabatan,
                "golongan": golongan,
            },
        )
    accounts = accounts_by_nip(gql, bkn, office.instansi_id, {p["nip"] for p in office.people.values()})
    for key, person in office.people.items():
        roles = ["PEGAWAI", "ADMIN_INSTANSI"] if key == "staf" else None
        office.tokens[key] = give_login(
            gql, bkn, office.instansi_id, accounts[person["nip"]], person["nip"], roles
        )
    office.tokens["admin"] = office.tokens["staf"]

    # the admin sets the quarterly periode (4 + final); a second set overlaps; the JPT may not
    periode_set = "createPeriodeSet(pola: $p) | $p: PolaPeriode!"
    selection = f"periode {{ id nama mulai selesai batasPengisian jenis }} {ERRORS}"
    periode = done(gql, office.tokens["admin"], periode_set, {"p": "TRIWULAN"}, selection)
    assert [(p["nama"], p["mulai"], p["selesai"], p["batasPengisian"], p["jenis"]) for p in periode] == [
        ("Triwulan 1", "01-01", "03-31", "04-10", "BIASA"),
        ("Triwulan 2", "04-01", "06-30", "07-10", "BIASA"),
        ("Triwulan 3", "07-01", "09-30", "10-10", "BIASA"),
        ("Triwulan 4", "10-01", "12-31", "01-10", "BIASA"),
        ("Periode Akhir Tahun", "01-01", "12-31", "01-10", "FINAL"),
    ]
    again = call(gql, office.tokens["admin"], periode_set, {"p": "BULANAN"}, selection)
    (message,) = refused(again, [(None, "PERIODE_OVERLAP")])
    assert message.startswith('Periode "Bulan Januari" bertumpang tindih dengan periode "Triwulan 1"')
    body = gql(
        "mutation { createPeriodeSet(pola: TRIWULAN) { errors { code } } }", token=office.tokens["kepala"]
    )
    assert (
        error_codes(body) == ["ADMIN_ONLY"]
        and body["errors"][0]["message"] == "Hanya admin yang dapat melakukan ini."
    )
    office.periode = {p["nama"]: p["id"] for p in periode}
    listed = gql("{ periodeList { id } }", token=office.tokens["kabid_bangkom"])["data"]["periodeList"]
    assert {p["id"] for p in listed} == set(office.periode.values())
    return office


PK = f"perjanjianKinerja {{ id tahun pegawaiId sasaran {{ id teks indikator {{ id teks target satuan }} }} }} {ERRORS}"
CREATE_PK = "createPerjanjianKinerja(tahun: $t) | $t: Int!"
ADD_SASARAN = "addSasaranStrategis(perjanjianKinerjaId: $p, input: $s) | $p: ID!, $s: SasaranInput!"
COPY_SASARAN = "copySasaranToSkp(skpId: $s, sasaranId: $x) | $s: ID!, $x: ID!"
COPY_PERAN = "copyPeranToSkp(skpId: $s, mphId: $m, kolomId: $k) | $s: ID!, $m: ID!, $k: ID!"
SET_MANUAL = (
    "setManualIndikator(skpId: $s, indikatorId: $x, input: $m) | $s: ID!, $x: ID!, $m: ManualIndikatorInput!"
)
SET_EKSPEKTASI = (
    "setEkspektasi(skpId: $s, nilai: $n, ekspektasi: $e) | $s: ID!, $n: NilaiPerilaku!, $e: String!"
)
SET_KOLOM = "setMphKolom(skpId: $s, rhkId: $r, kolom: $k) | $s: ID!, $r: ID!, $k: [MphKolomInput!]!"
ADD_ANGGOTA = "addMphAnggota(skpId: $s, rhkId: $r, input: $a) | $s: ID!, $r: ID!, $a: MphAnggotaInput!"
UPDATE_ANGGOTA = "updateMphAnggota(skpId: $s, rhkId: $r, anggotaId: $x, input: $a) | $s: ID!, $r: ID!, $x: ID!, $a: MphAnggotaInput!"
REMOVE_ANGGOTA = "removeMphAnggota(skpId: $s, rhkId: $r, anggotaId: $x) | $s: ID!, $r: ID!, $x: ID!"
RESET = "resetSkp(id: $s, alasan: $a) | $s: ID!, $a: String!"
PERAN_DITUGASKAN = """query($t: Int) { peranDitugaskan(tahun: $t) {
  mphId kolomId kolomNama peran peranTim atasanSkpId atasanRhkId atasanRhkTeks atasan { pegawaiId nama } tahun
} }"""


def anggota_of(mph: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (a["pegawai"]["nama"], a["peranTim"], [(p["kolomId"], p["peran"]) for p in a["peran"]])
        for a in mph["anggota"]
    ]


def test_the_manuals_planning_story(e2e_gql: Gql, office: Office) -> None:
    gql = e2e_gql
    kepala, informasi_t = office.tokens["kepala"], office.tokens["kabid_informasi"]
    tw1 = office.periode["Triwulan 1"]

    # 1. the JPT's perjanjian kinerja: the first table of seed 001; a kepala bidang has none to make
    pk = done(gql, kepala, CREATE_PK, {"t": YEAR}, PK)
    assert (pk["tahun"], pk["pegawaiId"], pk["sasaran"]) == (YEAR, office.id("kepala"), [])
    for teks, indikator in PERJANJIAN_SEED_001:
        sasaran = {
            "teks": teks,
            "indikator": [{"teks": i, "target": g, "satuan": u} for i, g, u in indikator],
        }
        pk = done(gql, kepala, ADD_SASARAN, {"p": pk["id"], "s": sasaran}, PK)
    assert [
        (s["teks"], [(i["teks"], i["target"], i["satuan"]) for i in s["indikator"]]) for s in pk["sasaran"]
    ] == [(teks, list(indikator)) for teks, indikator in PERJANJIAN_SEED_001]
    listed = gql(
        "query($t: Int) { perjanjianKinerjaList(tahun: $t) { id pegawai { nama } } }",
        {"t": YEAR},
        token=kepala,
    )["data"]["perjanjianKinerjaList"]
    assert listed == [{"id": pk["id"], "pegawai": {"nama": office.people["kepala"]["nama"]}}]
    (message,) = refused(call(gql, informasi_t, CREATE_PK, {"t": YEAR}, PK), [(None, "PK_HANYA_JPT")])
    assert "pejabat pimpinan tinggi" in message

    # 2. the JPT's SKP (head of a mandiri unit: JPT model, no pejabat penilai), the sasaran copied in
    head = new_skp(gql, kepala, YEAR)
    assert (head["model"], head["mandiri"], head["status"], head["penilai"]) == ("JPT", True, "DRAFT", None)
    for sasaran in pk["sasaran"]:
        head = done(gql, kepala, COPY_SASARAN, {"s": head["id"], "x": sasaran["id"]})
    assert [(r["jenis"], r["teks"], r["sumberSasaranId"]) for r in head["rhk"]] == [
        ("UTAMA", s["teks"], s["id"]) for s in pk["sasaran"]
    ]
    assert [(i["teks"], i["target"], i["perspektif"]) for i in head["rhk"][0]["indikator"]] == [
        (teks, {"min": target, "max": target, "satuan": satuan}, None)
        for teks, target, satuan in PERJANJIAN_SEED_001[0][1]
    ]
    # not complete yet: the copied indikator have no perspektif, nobody rates the perilaku
    gaps = [e["code"] for e in call(gql, kepala, SUBMIT, {"s": head["id"]})["errors"]]
    assert sorted(gaps) == ["INDIKATOR_TANPA_PERSPEKTIF"] * 7 + ["PERILAKU_TANPA_PENILAI"] * 7

    # 3. a perspektif on every indikator, the manual indikator of the first, an ekspektasi
    perspektif = ["PROSES_BISNIS", "PENGUATAN_INTERNAL", "PENERIMA_LAYANAN", "ANGGARAN"]
    for n, rhk in enumerate(head["rhk"]):
        for item in rhk["indikator"]:
            change = {"teks": item["teks"], "perspektif": perspektif[n], "target": item["target"]}
            head = done(gql, kepala, UPDATE_INDIKATOR, {"s": head["id"], "x": item["id"], "i": change})
    assert [[i["perspektif"] for i in r["indikator"]] for r in head["rhk"]] == [
        ["PROSES_BISNIS"] * 4, ["PENGUATAN_INTERNAL"], ["PENERIMA_LAYANAN"], ["ANGGARAN"],
    ]  # fmt: skip
    first = head["rhk"][0]["indikator"][0]
    head = done(gql, kepala, SET_MANUAL, {"s": head["id"], "x": first["id"], "m": MANUAL})
    assert (
        head["rhk"][0]["indikator"][0]["manual"] == MANUAL
        and head["rhk"][0]["indikator"][1]["manual"] is None
    )
    head = done(
        gql, kepala, SET_EKSPEKTASI,
        {"s": head["id"], "n": "AKUNTABEL", "e": "Laporan kinerja disampaikan tepat waktu"},
    )  # fmt: skip
    assert [p["ekspektasi"] for p in head["perilaku"]][:2] == [
        None,
        "Laporan kinerja disampaikan tepat waktu",
    ]

    # 4. the matriks peran hasil of the first RHK: two kepala bidang (ketua, anggota) and a third entry
    rhk_jpt = head["rhk"][0]
    where = {"s": head["id"], "r": rhk_jpt["id"]}
    mph = done(
        gql,
        kepala,
        SET_KOLOM,
        {**where, "k": [{"nama": "Peta proses bisnis"}, {"nama": "Laporan evaluasi"}]},
        MPH,
    )
    k1, k2 = (k["id"] for k in mph["kolom"])
    members = [
        ("kabid_informasi", "KETUA", [(k1, "Tersusunnya peta proses bisnis digital"),
                                      (k2, "Tersusunnya laporan evaluasi sistem informasi")]),
        ("kabid_bangkom", "ANGGOTA", [(k1, "Terkumpulnya data kompetensi aparatur")]),
        ("staf", "ANGGOTA", [(k2, "Terdokumentasinya hasil evaluasi")]),
    ]  # fmt: skip
    for key, peran_tim, peran in members:
        anggota = {
            "nip": office.people[key]["nip"],
            "peranTim": peran_tim,
            "peran": [{"kolomId": k, "peran": p} for k, p in peran],
        }
        mph = done(gql, kepala, ADD_ANGGOTA, {**where, "a": anggota}, MPH)
    names = {key: office.people[key]["nama"] for key in office.people}
    assert anggota_of(mph) == [(names[key], tim, peran) for key, tim, peran in members]
    by_key = dict(
        zip(("kabid_informasi", "kabid_bangkom", "staf"), (a["id"] for a in mph["anggota"]), strict=True)
    )
    # one ketua per team; then the kepala bidang's peran moves to the evaluation, the third entry goes
    bangkom_peran = {"nip": office.people["kabid_bangkom"]["nip"], "peranTim": "KETUA",
                     "peran": [{"kolomId": k2, "peran": "Terlaksananya evaluasi kompetensi aparatur"}]}  # fmt: skip
    payload = call(
        gql, kepala, UPDATE_ANGGOTA, {**where, "x": by_key["kabid_bangkom"], "a": bangkom_peran}, MPH
    )
    (message,) = refused(payload, [(None, "KETUA_SUDAH_ADA")])
    assert names["kabid_informasi"] in message
    mph = done(
        gql, kepala, UPDATE_ANGGOTA,
        {**where, "x": by_key["kabid_bangkom"], "a": {**bangkom_peran, "peranTim": "ANGGOTA"}}, MPH,
    )  # fmt: skip
    mph = done(gql, kepala, REMOVE_ANGGOTA, {**where, "x": by_key["staf"]}, MPH)
    assert anggota_of(mph) == [
        (names["kabid_informasi"], "KETUA", members[0][2]),
        (names["kabid_bangkom"], "ANGGOTA", [(k2, "Terlaksananya evaluasi kompetensi aparatur")]),
    ]
    assert (mph["rhkTeks"], mph["unorId"], mph["tahun"]) == (
        PERJANJIAN_SEED_001[0][0],
        office.unor["bkd"],
        YEAR,
    )

    # 5. penilai perilaku: the head of a mandiri unit has no atasan, a bawahan rates each value; submitted,
    # the SKP is approved at once
    head = penilai_semua(gql, kepala, head["id"], "BAWAHAN", office.id("kabid_informasi"))
    assert {(p["penilaiJenis"], p["penilaiPegawaiId"], p["penilaiNama"]) for p in head["perilaku"]} == {
        ("BAWAHAN", office.id("kabid_informasi"), names["kabid_informasi"])
    }
    head = done(gql, kepala, SUBMIT, {"s": head["id"]})
    assert head["status"] == "DISETUJUI" and head["disetujuiAt"]

    # 6. each kepala bidang: the peran given to them, copied into RHK intervening the JPT's RHK, with
    # indikator and a rencana aksi for Triwulan 1; penilai perilaku: the atasan; submitted
    assigned = {
        "kabid_informasi": members[0][2],
        "kabid_bangkom": [(k2, "Terlaksananya evaluasi kompetensi aparatur")],
    }
    indikator_of = {  # (input, the target as answered)
        "kabid_informasi": (
            {"aspek": "KUANTITAS", "target": {"min": "1", "satuan": "Dokumen"}},
            {"min": "1", "max": "1", "satuan": "Dokumen"},
        ),
        "kabid_bangkom": (
            {"aspek": "KUALITAS", "target": {"min": "80", "max": "90", "satuan": "Persen"}},
            {"min": "80", "max": "90", "satuan": "Persen"},
        ),
    }
    skp_of: dict[str, dict[str, Any]] = {}
    for key in ("kabid_informasi", "kabid_bangkom"):
        token = office.tokens[key]
        offered = gql(PERAN_DITUGASKAN, {"t": YEAR}, token=token)["data"]["peranDitugaskan"]
        assert [(p["kolomId"], p["peran"], p["peranTim"]) for p in offered] == [
            (k, peran, "KETUA" if key == "kabid_informasi" else "ANGGOTA") for k, peran in assigned[key]
        ]
        assert {
            (
                p["mphId"],
                p["atasanSkpId"],
                p["atasanRhkId"],
                p["atasanRhkTeks"],
                p["atasan"]["pegawaiId"],
                p["tahun"],
            )
            for p in offered
        } == {(mph["id"], head["id"], rhk_jpt["id"], PERJANJIAN_SEED_001[0][0], office.id("kepala"), YEAR)}
        skp = new_skp(gql, token, YEAR)
        assert (skp["model"], skp["mandiri"], skp["penilai"]["pegawaiId"]) == (
            "JA_JF",
            False,
            office.id("kepala"),
        )
        for peran in offered:
            skp = done(gql, token, COPY_PERAN, {"s": skp["id"], "m": peran["mphId"], "k": peran["kolomId"]})
        assert [
            (r["jenis"], r["teks"], r["atasanRhkId"], r["atasanRhkTeks"], r["sumberMphId"])
            for r in skp["rhk"]
        ] == [
            ("UTAMA", peran, rhk_jpt["id"], PERJANJIAN_SEED_001[0][0], mph["id"])
            for _, peran in assigned[key]
        ]
        wanted, target = indikator_of[key]
        for rhk in skp["rhk"]:
            item = {"teks": f"Jumlah dokumen: {rhk['teks']}", **wanted}
            skp = done(gql, token, ADD_INDIKATOR, {"s": skp["id"], "r": rhk["id"], "i": item})
            rencana = {"rhkId": rhk["id"], "periodeId": tw1, "teks": "Mengumpulkan data dukung", "target": "1",
                       "satuan": "Laporan"}  # fmt: skip
            skp = done(gql, token, ADD_RENCANA, {"s": skp["id"], "r": rencana})
        assert [[(i["aspek"], i["target"]) for i in r["indikator"]] for r in skp["rhk"]] == [
            [(wanted["aspek"], target)]
        ] * len(skp["rhk"])
        assert [
            [(a["periodeId"], a["teks"], a["target"], a["satuan"]) for a in r["rencanaAksi"]]
            for r in skp["rhk"]
        ] == [[(tw1, "Mengumpulkan data dukung", "1", "Laporan")]] * len(skp["rhk"])
        penilai_semua(gql, token, skp["id"])
        skp = done(gql, token, SUBMIT, {"s": skp["id"]})
        assert skp["status"] == "DIAJUKAN"
        skp_of[key] = skp
    informasi, bangkom = skp_of["kabid_informasi"], skp_of["kabid_bangkom"]

    # 7. the atasan's inbox: both; one returned with a reason, the other approved
    inbox = """query($f: SkpFilter) { skpList(scope: BAWAHAN, filter: $f) {
        totalCount edges { node { id status alasanDikembalikan pegawai { nama } } } } }"""
    page = gql(inbox, {"f": {"tahun": YEAR, "status": "DIAJUKAN"}}, token=kepala)["data"]["skpList"]
    assert page["totalCount"] == 2 and {e["node"]["id"] for e in page["edges"]} == {
        informasi["id"],
        bangkom["id"],
    }
    assert {e["node"]["pegawai"]["nama"] for e in page["edges"]} == {
        names["kabid_informasi"],
        names["kabid_bangkom"],
    }
    reason = "Target indikator belum terukur"
    informasi = done(gql, kepala, RETURN, {"s": informasi["id"], "a": reason})
    assert (informasi["status"], informasi["alasanDikembalikan"]) == ("DRAFT", reason)
    bangkom = done(gql, kepala, APPROVE, {"s": bangkom["id"]})
    assert bangkom["status"] == "DISETUJUI"
    # the kepala bidang sees the reason on their SKP
    mine = gql("{ skpList { edges { node { id status alasanDikembalikan } } } }", token=informasi_t)["data"][
        "skpList"
    ]["edges"]
    assert [e["node"] for e in mine] == [
        {"id": informasi["id"], "status": "DRAFT", "alasanDikembalikan": reason}
    ]

    # 8. fixed, submitted again and approved
    item = informasi["rhk"][0]["indikator"][0]
    fix = {
        "teks": "Jumlah peta proses bisnis yang ditetapkan",
        "aspek": "KUANTITAS",
        "target": {"min": "3", "satuan": "Peta"},
    }
    informasi = done(gql, informasi_t, UPDATE_INDIKATOR, {"s": informasi["id"], "x": item["id"], "i": fix})
    assert informasi["rhk"][0]["indikator"][0]["target"] == {"min": "3", "max": "3", "satuan": "Peta"}
    assert done(gql, informasi_t, SUBMIT, {"s": informasi["id"]})["status"] == "DIAJUKAN"
    informasi = done(gql, kepala, APPROVE, {"s": informasi["id"]})
    assert (informasi["status"], informasi["alasanDikembalikan"]) == ("DISETUJUI", None)

    # 9. where it ends: every SKP approved, the bawahan's RHK print the JPT's, the unit's matriks
    final = gql(
        """query($f: SkpFilter, $h: ID!, $a: ID!, $b: ID!, $u: ID, $t: Int, $tw1: ID!, $tw2: ID!) {
             skpList(scope: BAWAHAN, filter: $f) { totalCount edges { node { id status } } }
             head: skp(id: $h) { status mandiri }
             a: skp(id: $a) { rhk { teks atasanRhkTeks atasanSkpId } }
             b: skp(id: $b) { rhk { teks atasanRhkTeks atasanSkpId } }
             ready: kesiapanPenilaian(skpId: $a, periodeId: $tw1) { siap kekurangan { code } }
             notYet: kesiapanPenilaian(skpId: $a, periodeId: $tw2) { siap kekurangan { field code rhkId } }
             matriksPeranHasilList(unorId: $u, tahun: $t) {
               totalCount totalCountExact
               edges { node {
                 rhkId rhkTeks pemilik { pegawaiId nama } kolom { nama }
                 anggota { peranTim pegawai { nama } peran { peran } }
               } }
             }
           }""",
        {
            "f": {"tahun": YEAR},
            "h": head["id"],
            "a": informasi["id"],
            "b": bangkom["id"],
            "u": office.unor["bkd"],
            "t": YEAR,
            "tw1": tw1,
            "tw2": office.periode["Triwulan 2"],
        },
        token=kepala,
    )
    assert not final.get("errors"), final
    data = final["data"]
    assert {e["node"]["id"]: e["node"]["status"] for e in data["skpList"]["edges"]} == {
        informasi["id"]: "DISETUJUI", bangkom["id"]: "DISETUJUI",
    }  # fmt: skip
    assert data["head"] == {"status": "DISETUJUI", "mandiri": True}
    # ready to be assessed for Triwulan 1 (every RHK planned), not for Triwulan 2
    assert data["ready"] == {"siap": True, "kekurangan": []}
    assert data["notYet"]["siap"] is False
    assert [(k["field"], k["code"]) for k in data["notYet"]["kekurangan"]] == [
        ("rhk[0]", "RHK_TANPA_RENCANA_AKSI"), ("rhk[1]", "RHK_TANPA_RENCANA_AKSI"),
    ]  # fmt: skip
    assert data["a"]["rhk"] == [
        {
            "teks": "Tersusunnya peta proses bisnis digital",
            "atasanRhkTeks": PERJANJIAN_SEED_001[0][0],
            "atasanSkpId": head["id"],
        },
        {
            "teks": "Tersusunnya laporan evaluasi sistem informasi",
            "atasanRhkTeks": PERJANJIAN_SEED_001[0][0],
            "atasanSkpId": head["id"],
        },
    ]
    assert data["b"]["rhk"] == [
        {
            "teks": "Terlaksananya evaluasi kompetensi aparatur",
            "atasanRhkTeks": PERJANJIAN_SEED_001[0][0],
            "atasanSkpId": head["id"],
        }
    ]
    assert (
        data["matriksPeranHasilList"]["totalCount"],
        data["matriksPeranHasilList"]["totalCountExact"],
    ) == (1, True)
    assert [e["node"] for e in data["matriksPeranHasilList"]["edges"]] == [
        {
            "rhkId": rhk_jpt["id"],
            "rhkTeks": PERJANJIAN_SEED_001[0][0],
            "pemilik": {"pegawaiId": office.id("kepala"), "nama": names["kepala"]},
            "kolom": [{"nama": "Peta proses bisnis"}, {"nama": "Laporan evaluasi"}],
            "anggota": [
                {"peranTim": "KETUA", "pegawai": {"nama": names["kabid_informasi"]},
                 "peran": [{"peran": "Tersusunnya peta proses bisnis digital"},
                           {"peran": "Tersusunnya laporan evaluasi sistem informasi"}]},
                {"peranTim": "ANGGOTA", "pegawai": {"nama": names["kabid_bangkom"]},
                 "peran": [{"peran": "Terlaksananya evaluasi kompetensi aparatur"}]},
            ],
        }
    ]  # fmt: skip


def test_refusals_are_user_errors_with_a_stable_code_and_an_indonesian_message(
    e2e_gql: Gql, office: Office
) -> None:
    """Wrong order and wrong people, on SKPs of this year (the story's are next year's)."""
    gql = e2e_gql
    kepala, informasi_t, bangkom_t, admin = (
        office.tokens[k] for k in ("kepala", "kabid_informasi", "kabid_bangkom", "admin")
    )
    jpt_indikator = {"perspektif": "PENERIMA_LAYANAN", "target": {"min": "85", "satuan": "Persen"}}
    ja_indikator = {"aspek": "KUANTITAS", "target": {"min": "12", "satuan": "Laporan"}}

    # the JPT's SKP of this half year: complete, approved on submission (mandiri)
    head = new_skp(gql, kepala, NOW, "01-01", "06-30")
    head = done(
        gql, kepala, ADD_RHK, {"s": head["id"], "r": {"jenis": "UTAMA", "teks": "Meningkatnya kualitas ASN"}}
    )
    rhk_jpt = head["rhk"][0]["id"]
    indikator = {"teks": "Indeks profesionalitas ASN", **jpt_indikator}
    head = done(gql, kepala, ADD_INDIKATOR, {"s": head["id"], "r": rhk_jpt, "i": indikator})
    penilai_semua(gql, kepala, head["id"], "BAWAHAN", office.id("staf"))
    assert done(gql, kepala, SUBMIT, {"s": head["id"]})["status"] == "DISETUJUI"

    # approving a draft
    informasi = new_skp(gql, informasi_t, NOW)
    rhk = {"jenis": "TAMBAHAN", "teks": "Tersusunnya laporan bulanan"}
    informasi = done(gql, informasi_t, ADD_RHK, {"s": informasi["id"], "r": rhk})
    (message,) = refused(call(gql, kepala, APPROVE, {"s": informasi["id"]}), [(None, "SKP_BELUM_DIAJUKAN")])
    assert message == "SKP berstatus konsep tidak dapat disetujui; hanya SKP yang sudah diajukan."

    # a non-owner editing a draft: a fellow kepala bidang
    payload = call(
        gql, bangkom_t, ADD_RHK, {"s": informasi["id"], "r": {"jenis": "TAMBAHAN", "teks": "Sisipan"}}
    )
    (message,) = refused(payload, [(None, "BUKAN_PEMILIK_SKP")])
    assert message == "Hanya pegawai pemilik SKP yang dapat mengubah SKP ini."

    # intervening the RHK of someone who is not one's atasan: that fellow kepala bidang's
    bangkom = new_skp(gql, bangkom_t, NOW)
    rhk = {
        "jenis": "UTAMA",
        "teks": "Terlaksananya evaluasi kompetensi",
        "atasanRhkId": informasi["rhk"][0]["id"],
    }
    payload = call(gql, bangkom_t, ADD_RHK, {"s": bangkom["id"], "r": rhk})
    (message,) = refused(payload, [("input.atasanRhkId", "ATASAN_RHK_BUKAN_ATASAN")])
    assert message == (
        f"RHK yang dipilih bukan milik pejabat penilai Anda ({office.people['kabid_informasi']['nama']}). "
        "Pilih RHK dari SKP atasan langsung Anda."
    )

    # a target range with min > max
    rhk = {"jenis": "UTAMA", "teks": "Terlaksananya evaluasi kompetensi", "atasanRhkId": rhk_jpt}
    bangkom = done(gql, bangkom_t, ADD_RHK, {"s": bangkom["id"], "r": rhk})
    indikator = {"teks": "Persentase ASN dievaluasi", "aspek": "KUALITAS",
                 "target": {"min": "90", "max": "80", "satuan": "Persen"}}  # fmt: skip
    payload = call(
        gql, bangkom_t, ADD_INDIKATOR, {"s": bangkom["id"], "r": bangkom["rhk"][0]["id"], "i": indikator}
    )
    (message,) = refused(payload, [("input.target.max", "RANGE_INVERTED")])
    assert message == "Target minimum (90) tidak boleh lebih besar dari target maksimum (80)."

    # a non-penilai approving a submitted SKP: a fellow kepala bidang, and the admin instansi
    rhk = {"jenis": "UTAMA", "teks": "Tersusunnya peta proses bisnis", "atasanRhkId": rhk_jpt}
    informasi = done(gql, informasi_t, ADD_RHK, {"s": informasi["id"], "r": rhk})
    for item in informasi["rhk"]:
        indikator = {"teks": f"Jumlah: {item['teks']}", **ja_indikator}
        informasi = done(
            gql, informasi_t, ADD_INDIKATOR, {"s": informasi["id"], "r": item["id"], "i": indikator}
        )
    penilai_semua(gql, informasi_t, informasi["id"])
    assert done(gql, informasi_t, SUBMIT, {"s": informasi["id"]})["status"] == "DIAJUKAN"
    for token in (bangkom_t, admin):
        (message,) = refused(
            call(gql, token, APPROVE, {"s": informasi["id"]}), [(None, "BUKAN_PEJABAT_PENILAI")]
        )
        assert (
            message
            == "Hanya pejabat penilai kinerja SKP ini (atau PLT/PLH unit kerjanya) yang dapat melakukan ini."
        )

    # editing an approved SKP
    payload = call(gql, kepala, ADD_RHK, {"s": head["id"], "r": {"jenis": "TAMBAHAN", "teks": "Tambahan"}})
    (message,) = refused(payload, [(None, "SKP_TIDAK_DAPAT_DIUBAH")])
    assert message == (
        "SKP berstatus disetujui tidak dapat diubah. "
        "Hanya SKP berstatus konsep (draft) yang dapat diubah oleh pemiliknya."
    )

    # a non-admin resetting: the gateway refuses before the service, as a GraphQL error; the admin may
    body = gql(
        'mutation($s: ID!) { resetSkp(id: $s, alasan: "Salah isi") { skp { status } errors { code } } }',
        {"s": head["id"]},
        token=kepala,
    )
    assert body["data"] is None and error_codes(body) == ["ADMIN_ONLY"], body
    assert body["errors"][0]["message"] == "Hanya admin yang dapat melakukan ini."
    reset = done(gql, admin, RESET, {"s": head["id"], "a": "Perubahan sasaran strategis"})
    assert (reset["status"], reset["alasanDikembalikan"]) == ("DRAFT", "Perubahan sasaran strategis")

    # a periode outside the SKP's dates: an SKP of January-June and Triwulan 4
    staf = new_skp(gql, admin, YEAR, "01-01", "06-30")
    staf = done(
        gql, admin, ADD_RHK, {"s": staf["id"], "r": {"jenis": "TAMBAHAN", "teks": "Terkelolanya arsip"}}
    )
    rencana = {"rhkId": staf["rhk"][0]["id"], "periodeId": office.periode["Triwulan 4"], "teks": "Menata arsip",
               "target": "1", "satuan": "Laporan"}  # fmt: skip
    (message,) = refused(
        call(gql, admin, ADD_RENCANA, {"s": staf["id"], "r": rencana}),
        [("input.periodeId", "PERIODE_DI_LUAR_SKP")],
    )
    assert message == (
        f"Periode Triwulan 4 (01-10-{YEAR} s.d. 31-12-{YEAR}) berada di luar masa SKP "
        f"(01-01-{YEAR} s.d. 30-06-{YEAR})."
    )

    # a submit lists every gap at once
    staf = done(
        gql, admin, ADD_RHK, {"s": staf["id"], "r": {"jenis": "UTAMA", "teks": "Tersusunnya peta jabatan"}}
    )
    messages = refused(
        call(gql, admin, SUBMIT, {"s": staf["id"]}),
        [
            ("rhk[0].indikator", "RHK_TANPA_INDIKATOR"),
            ("rhk[0].atasanRhkId", "RHK_TANPA_INTERVENSI"),
            ("rhk[1].indikator", "RHK_TANPA_INDIKATOR"),
            *((f"perilaku[{k}].penilai", "PERILAKU_TANPA_PENILAI") for k in range(7)),
        ],
    )
    assert messages[:4] == [
        'RHK "Tersusunnya peta jabatan" belum memiliki indikator.',
        'RHK utama "Tersusunnya peta jabatan" belum memilih RHK atasan yang diintervensi.',
        'RHK "Terkelolanya arsip" belum memiliki indikator.',
        "Penilai perilaku Berorientasi Pelayanan belum ditentukan.",
    ]


def test_a_deleted_rhk_takes_its_matriks_peran_hasil_with_it(e2e_gql: Gql, office: Office) -> None:
    """The JPT splits an RHK of a draft among bawahan, then deletes that RHK (no bawahan intervened it
    yet): its matriks is no longer listed for the unit nor offered to the anggota to copy."""
    gql = e2e_gql
    kepala, staf = office.tokens["kepala"], office.tokens["staf"]
    skp = new_skp(gql, kepala, NOW, "07-01", "12-31")
    skp = done(
        gql,
        kepala,
        ADD_RHK,
        {"s": skp["id"], "r": {"jenis": "UTAMA", "teks": "Terselenggaranya uji kompetensi"}},
    )
    where = {"s": skp["id"], "r": skp["rhk"][0]["id"]}
    mph = done(gql, kepala, SET_KOLOM, {**where, "k": [{"nama": "Jadwal uji"}]}, MPH)
    anggota = {"nip": office.people["staf"]["nip"], "peranTim": "ANGGOTA",
               "peran": [{"kolomId": mph["kolom"][0]["id"], "peran": "Tersusunnya jadwal uji kompetensi"}]}  # fmt: skip
    done(gql, kepala, ADD_ANGGOTA, {**where, "a": anggota}, MPH)
    offered = gql(PERAN_DITUGASKAN, {"t": NOW}, token=staf)["data"]["peranDitugaskan"]
    assert [p["peran"] for p in offered] == ["Tersusunnya jadwal uji kompetensi"]

    skp = done(gql, kepala, "deleteRhk(skpId: $s, rhkId: $r) | $s: ID!, $r: ID!", where)
    assert skp["rhk"] == []
    body = gql(
        """query($t: Int, $u: ID) {
             peranDitugaskan(tahun: $t) { peran }
             matriksPeranHasilList(unorId: $u, tahun: $t) { totalCount edges { node { rhkTeks } } }
           }""",
        {"t": NOW, "u": office.unor["bkd"]},
        token=staf,
    )
    assert body == {"data": {"peranDitugaskan": [], "matriksPeranHasilList": {"totalCount": 0, "edges": []}}}
