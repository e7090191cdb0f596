"""A quarter of assessment through GraphQL only, over the real identity, org, skp and assessment services.

Admin BKN builds an instansi (kinerja_testing.assessment.build_quarter): a JPT Pratama unit kerja
(Sekretariat, headed by the sekda) with Bagian Umum (the atasan, kabag) and Subbagian TU (kasubag, who
has a bawahan); the two bawahan assessed, kasubag and analis, have approved SKPs whose perilaku are
given feedback by the atasan, a rekan kerja (arsiparis) and, for kasubag, their own bawahan. The steps
run in order, each a test, sharing `Story`:

1. the bawahan open their penilaian (once the assessment projection has the approved SKPs) and enter
   realisasi with bukti dukung;
2. the penilai perilaku give feedback from their inbox (the rekan keeps analis's for later);
3. the atasan gives umpan balik from their inbox and is refused rating analis while the rekan's
   feedback is missing (nothing written);
4. the rekan gives it; the atasan rates both, and re-rating analis walks every cell of the 3x3 matrix;
5. the admin sets the capaian of the unit kerja, sees the pola distribusi check (and its head sees it)
   and finalises; ratings of the unit then hold;
6. analis files a keberatan; the atasan explains it; the sekda (atasan pejabat penilai) reads it and
   approves: the predikat changes with its new explanation;
7. realisasi after the batas pengisian is refused until the admin extends it;
8. a keberatan filed after its window is kept as TERLAMBAT and cannot be answered.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from kinerja_kit.db import ServiceDatabase
from kinerja_testing.assessment import (
    DECIDE_KEBERATAN,
    EXPLAIN_KEBERATAN,
    EXTEND_BATAS,
    FILE_KEBERATAN,
    FINALISE_CAPAIAN,
    INBOX,
    KEBERATAN_FIELDS,
    PENILAIAN_FIELDS,
    RATE,
    SET_CAPAIAN,
    SET_FEEDBACK,
    SET_REALISASI,
    SET_UMPAN_BALIK,
    Quarter,
    build_quarter,
    open_penilaian,
    user_error_codes,
)
from kinerja_testing.gateway import Gql
from kinerja_testing.gateway_e2e import mutate

pytestmark = pytest.mark.integration

# domain.md "Assessment": rows rating hasil kerja, columns rating perilaku kerja.
MATRIX = {
    ("DI_ATAS_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"): "SANGAT_BAIK",
    ("DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"): "BAIK",
    ("DI_ATAS_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"): "KURANG",
    ("SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"): "BAIK",
    ("SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI"): "BAIK",
    ("SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"): "KURANG",
    ("DI_BAWAH_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"): "BUTUH_PERBAIKAN",
    ("DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI"): "BUTUH_PERBAIKAN",
    ("DI_BAWAH_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"): "SANGAT_KURANG",
}
BAWAHAN = ("kasubag", "analis")


@dataclass
class Story:
    quarter: Quarter
    penilaian: dict[str, str] = field(default_factory=dict)
    keberatan: str = ""
    capaian: str = ""


@pytest.fixture(scope="module")
def story(e2e_gql: Gql, bkn_token: str) -> Story:
    return Story(build_quarter(e2e_gql, bkn_token))


def read(gql: Gql, token: str, penilaian_id: str) -> dict[str, Any]:
    body = gql(
        "query($id: ID!) { penilaian(id: $id) { " + PENILAIAN_FIELDS + " } }",
        {"id": penilaian_id},
        token=token,
    )
    assert not body.get("errors"), body
    found: dict[str, Any] = body["data"]["penilaian"]
    assert found is not None, penilaian_id
    return found


def inbox(
    gql: Gql, token: str, jenis: str, periode_id: str | None = None
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    body = gql(INBOX, {"j": jenis, "p": periode_id}, token=token)
    assert not body.get("errors"), body
    found = body["data"]["inbox"]
    counts = {j["jenis"]: j["jumlah"] for j in found["jumlah"]}
    return counts, [e["node"] for e in found["edges"]]


def test_1_the_bawahan_open_their_penilaian_and_enter_realisasi_with_bukti_dukung(
    e2e_gql: Gql, story: Story
) -> None:
    q = story.quarter
    for key in BAWAHAN:
        person = q[key]
        opened = open_penilaian(e2e_gql, person.token, q.skp[key], q.periode)
        story.penilaian[key] = opened["id"]
        assert opened["status"] == "DIBUKA" and opened["pegawai"]["pegawaiId"] == person.id
        assert opened["penilai"]["pegawaiId"] == q["kabag"].id
        assert opened["unitKerjaId"] == q.unor["sekretariat"]
        assert [r["indikatorId"] for r in opened["realisasi"]] == q.indikator[key]
        assert not any(r["terisi"] for r in opened["realisasi"])

        counts, tasks = inbox(e2e_gql, person.token, "ISI_REALISASI", q.periode)
        assert counts["ISI_REALISASI"] == 1 and tasks[0]["penilaianId"] == opened["id"]
        # A second open is refused; nothing new is made.
        assert user_error_codes(
            e2e_gql,
            "mutation($s: ID!, $p: ID!) { openPenilaian(skpId: $s, periodeId: $p) { errors { field code message } } }",
            {"s": q.skp[key], "p": q.periode},
            person.token,
        ) == ["PENILAIAN_SUDAH_ADA"]

        for n, indikator in enumerate(q.indikator[key]):
            realisasi = {
                "nilai": "12,5" if n == 0 else "40",  # Indonesian decimals are accepted
                "keterangan": f"Realisasi {key} {n}",
                "buktiDukung": [
                    {"nama": "Laporan bulanan", "url": f"https://arsip.example.go.id/{key}/{n}/laporan.pdf"},
                    {"nama": "Daftar hadir", "url": f"https://arsip.example.go.id/{key}/{n}/hadir.pdf"},
                ],
            }
            changed = mutate(
                e2e_gql, SET_REALISASI, {"p": opened["id"], "i": indikator, "r": realisasi}, person.token
            )["penilaian"]
            entered = next(r for r in changed["realisasi"] if r["indikatorId"] == indikator)
            assert entered["terisi"] and entered["nilai"] == ("12.5" if n == 0 else "40")
            assert entered["satuan"] == "Dokumen"  # the target's when not given
            assert [b["nama"] for b in entered["buktiDukung"]] == ["Laporan bulanan", "Daftar hadir"]
        # A link that is not http(s) is refused at its path, and nothing changes.
        before = read(e2e_gql, person.token, opened["id"])
        body = e2e_gql(
            SET_REALISASI,
            {
                "p": opened["id"],
                "i": q.indikator[key][0],
                "r": {"nilai": "1", "buktiDukung": [{"nama": "x", "url": "javascript:alert(1)"}]},
            },
            token=person.token,
        )
        errors = body["data"]["setRealisasi"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [("input.buktiDukung[0].url", "INVALID_URL")], (
            body
        )
        assert read(e2e_gql, person.token, opened["id"]) == before
        counts, _ = inbox(e2e_gql, person.token, "ISI_REALISASI", q.periode)
        assert counts["ISI_REALISASI"] == 0


def _feedback_from_inbox(gql: Gql, story: Story, key: str, only: set[str] | None = None) -> int:
    """`key` gives feedback on every value their inbox assigns them (on the penilaian `only` names)."""
    q = story.quarter
    counts, tasks = inbox(gql, q[key].token, "FEEDBACK_PERILAKU", q.periode)
    assert counts["FEEDBACK_PERILAKU"] == len(tasks)
    given = 0
    for task in tasks:
        if only is not None and task["penilaianId"] not in only:
            continue
        for nilai in task["nilai"]:
            changed = mutate(
                gql,
                SET_FEEDBACK,
                {
                    "p": task["penilaianId"],
                    "n": nilai,
                    "f": f"{nilai.title()}: konsisten dan dapat diandalkan",
                },
                q[key].token,
            )["penilaian"]
            value = next(p for p in changed["perilaku"] if p["nilai"] == nilai)
            assert value["feedback"] and value["penilaiPegawaiId"] == q[key].id
            given += 1
    return given


def test_2_the_penilai_perilaku_give_feedback_from_their_inbox(e2e_gql: Gql, story: Story) -> None:
    q = story.quarter
    kasubag, analis = story.penilaian["kasubag"], story.penilaian["analis"]
    # The rekan kerja has one value on each penilaian; the bawahan one on their atasan's.
    counts, tasks = inbox(e2e_gql, q["arsiparis"].token, "FEEDBACK_PERILAKU", q.periode)
    assert {(t["penilaianId"], t["sebagai"], tuple(t["nilai"])) for t in tasks} == {
        (kasubag, "REKAN_KERJA", ("KOMPETEN",)),
        (analis, "REKAN_KERJA", ("KOLABORATIF",)),
    }
    _, tasks = inbox(e2e_gql, q["pelaksana"].token, "FEEDBACK_PERILAKU", q.periode)
    assert [(t["penilaianId"], t["sebagai"], t["nilai"]) for t in tasks] == [
        (kasubag, "BAWAHAN", ["HARMONIS"])
    ]
    # Nobody else's values: the bawahan may not write the rekan's.
    assert user_error_codes(
        e2e_gql, SET_FEEDBACK, {"p": kasubag, "n": "KOMPETEN", "f": "bukan bagian saya"}, q["pelaksana"].token
    ) == ["BUKAN_PENILAI_PERILAKU"]

    assert _feedback_from_inbox(e2e_gql, story, "kabag") == 5 + 6  # the atasan's values on both
    assert _feedback_from_inbox(e2e_gql, story, "pelaksana") == 1
    assert _feedback_from_inbox(e2e_gql, story, "arsiparis", only={kasubag}) == 1
    counts, tasks = inbox(e2e_gql, q["arsiparis"].token, "FEEDBACK_PERILAKU", q.periode)
    assert counts["FEEDBACK_PERILAKU"] == 1 and tasks[0]["penilaianId"] == analis
    assert inbox(e2e_gql, q["kabag"].token, "FEEDBACK_PERILAKU", q.periode)[0]["FEEDBACK_PERILAKU"] == 0


def test_3_the_atasan_gives_umpan_balik_and_may_not_rate_before_the_feedback_is_complete(
    e2e_gql: Gql, story: Story
) -> None:
    q = story.quarter
    kabag = q["kabag"].token
    counts, tasks = inbox(e2e_gql, kabag, "NILAI_BAWAHAN", q.periode)
    assert counts["NILAI_BAWAHAN"] == 2
    assert {t["penilaianId"] for t in tasks} == set(story.penilaian.values())
    # Only the pejabat penilai writes umpan balik.
    assert user_error_codes(
        e2e_gql,
        SET_UMPAN_BALIK,
        {"p": story.penilaian["analis"], "n": "AKUNTABEL", "u": "bukan penilai"},
        q["arsiparis"].token,
    ) == ["BUKAN_PEJABAT_PENILAI"]
    for task in tasks:
        penilaian = read(e2e_gql, kabag, task["penilaianId"])
        for item in penilaian["realisasi"]:
            mutate(
                e2e_gql,
                SET_UMPAN_BALIK,
                {"p": penilaian["id"], "i": item["indikatorId"], "u": "Capaian sesuai target, pertahankan."},
                kabag,
            )
        for value in penilaian["perilaku"]:
            mutate(
                e2e_gql,
                SET_UMPAN_BALIK,
                {"p": penilaian["id"], "n": value["nilai"], "u": "Terus tingkatkan."},
                kabag,
            )

    analis = read(e2e_gql, kabag, story.penilaian["analis"])
    assert [k["code"] for k in analis["kekurangan"]] == ["FEEDBACK_PERILAKU_BELUM_ADA"], analis["kekurangan"]
    codes = user_error_codes(
        e2e_gql,
        RATE,
        {"p": analis["id"], "h": "SESUAI_EKSPEKTASI", "k": "SESUAI_EKSPEKTASI"},
        kabag,
    )
    assert codes == ["FEEDBACK_PERILAKU_BELUM_ADA"]
    assert read(e2e_gql, kabag, analis["id"]) == analis  # refused: nothing written
    assert read(e2e_gql, kabag, story.penilaian["kasubag"])["kekurangan"] == []


def test_4_the_atasan_rates_both_and_every_cell_of_the_matrix_holds(e2e_gql: Gql, story: Story) -> None:
    q = story.quarter
    kabag = q["kabag"].token
    assert _feedback_from_inbox(e2e_gql, story, "arsiparis") == 1
    analis = story.penilaian["analis"]
    assert read(e2e_gql, kabag, analis)["kekurangan"] == []
    # The owner may not rate themself; the rating needs both values (perilaku kerja: the schema says so;
    # hasil kerja: the server, as analis does not head a unit kerja).
    assert user_error_codes(
        e2e_gql, RATE, {"p": analis, "h": "DI_ATAS_EKSPEKTASI", "k": "DI_ATAS_EKSPEKTASI"}, q["analis"].token
    ) == ["BUKAN_PEJABAT_PENILAI"]
    assert "RATING_REQUIRED" in user_error_codes(
        e2e_gql, RATE, {"p": analis, "k": "SESUAI_EKSPEKTASI"}, kabag
    )

    for (hasil, perilaku), predikat in MATRIX.items():
        rated = mutate(e2e_gql, RATE, {"p": analis, "h": hasil, "k": perilaku}, kabag)["penilaian"]
        assert (rated["status"], rated["predikat"]) == ("DINILAI", predikat), (hasil, perilaku, rated)
        penjelasan = rated["penjelasan"]
        assert penjelasan["predikat"] == predikat
        assert (penjelasan["ratingHasilKerja"], penjelasan["ratingPerilakuKerja"]) == (hasil, perilaku)
        assert penjelasan["aturanBerlakuSejak"] and penjelasan["aturanSumber"] and penjelasan["aturanVersi"]
        assert penjelasan["dinilaiOleh"]["pegawaiId"] == q["kabag"].id and penjelasan["dinilaiAt"]
        assert penjelasan["uraian"] and penjelasan["hasilDariCapaian"] is False

    final = {
        "kasubag": ("DI_ATAS_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"),
        "analis": ("SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
    }
    for key, (hasil, perilaku) in final.items():
        rated = mutate(e2e_gql, RATE, {"p": story.penilaian[key], "h": hasil, "k": perilaku}, kabag)[
            "penilaian"
        ]
        assert rated["predikat"] == MATRIX[(hasil, perilaku)]
        # The pegawai reads why.
        mine = read(e2e_gql, q[key].token, story.penilaian[key])
        assert mine["penjelasan"] == rated["penjelasan"]
    assert inbox(e2e_gql, kabag, "NILAI_BAWAHAN", q.periode)[0]["NILAI_BAWAHAN"] == 0


POLA = """query($u: ID!, $p: ID!, $t: Int!) { polaDistribusi(unorId: $u, periodeId: $p, tahun: $t) {
  unorId capaian capaianFinal sesuai aturanVersi aturanSumber
  statistik { dinilai total perPredikat { predikat jumlah } }
  batas { jenis predikat persen jumlahMinimal batasJumlah jumlah terpenuhi selisih uraian }
} }"""


def test_5_the_admin_sets_the_capaian_sees_the_distribution_and_finalises(e2e_gql: Gql, story: Story) -> None:
    q = story.quarter
    admin, unit = q["admin"].token, q.unor["sekretariat"]
    capaian_input = {
        "tahun": q.tahun,
        "periodeId": q.periode,
        "unorId": unit,
        "capaian": "BAIK",
        "buktiDukungUrl": "https://arsip.example.go.id/lakip.pdf",
    }
    # Only admins; and only a unit kerja (Bagian Umum belongs to the Sekretariat).
    body = e2e_gql(SET_CAPAIAN, {"c": capaian_input}, token=q["kabag"].token)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["ADMIN_ONLY"]
    assert user_error_codes(
        e2e_gql, SET_CAPAIAN, {"c": {**capaian_input, "unorId": q.unor["umum"]}}, admin
    ) == ["BUKAN_UNIT_KERJA"]
    capaian = mutate(e2e_gql, SET_CAPAIAN, {"c": capaian_input}, admin)["capaian"]
    story.capaian = capaian["id"]
    assert capaian["statistik"]["dinilai"] == 2 and capaian["statistik"]["total"] == 2
    assert {p["predikat"]: p["jumlah"] for p in capaian["statistik"]["perPredikat"] if p["jumlah"]} == {
        "SANGAT_BAIK": 1,
        "BAIK": 1,
    }
    assert user_error_codes(e2e_gql, SET_CAPAIAN, {"c": capaian_input}, admin) == ["CAPAIAN_SUDAH_ADA"]

    variables = {"u": unit, "p": q.periode, "t": q.tahun}
    body = e2e_gql(POLA, variables, token=admin)
    assert not body.get("errors"), body
    pola = body["data"]["polaDistribusi"]
    # Capaian Baik: at most 70% Baik, and at least one Butuh Perbaikan or Kurang: none yet.
    assert pola["capaian"] == "BAIK" and pola["sesuai"] is False and pola["capaianFinal"] is False
    broken = [b for b in pola["batas"] if not b["terpenuhi"]]
    assert [(b["jenis"], b["selisih"]) for b in broken] == [("PALING_SEDIKIT", 1)], pola
    assert set(broken[0]["predikat"]) == {"BUTUH_PERBAIKAN", "KURANG"} and broken[0]["uraian"]
    # The unit's head sees it while rating; the atasan of Bagian Umum does not head the unit kerja.
    assert e2e_gql(POLA, variables, token=q["sekda"].token)["data"]["polaDistribusi"] == pola
    assert read(e2e_gql, q["kabag"].token, story.penilaian["analis"])["unitKerjaId"] == unit
    body = e2e_gql(
        "query($id: ID!) { penilaian(id: $id) { polaDistribusi { sesuai } } }",
        {"id": story.penilaian["analis"]},
        token=q["kabag"].token,
    )
    assert body["data"]["penilaian"]["polaDistribusi"] is None, body
    body = e2e_gql(
        "query($u: ID!, $p: ID!, $t: Int!) { kalibrasi(unorId: $u, periodeId: $p, tahun: $t, first: 10) {"
        " totalCount totalCountExact"
        " edges { node { penilaianId predikat pegawai { pegawaiId } penilaian { id status } } } } }",
        variables,
        token=admin,
    )
    assert (body["data"]["kalibrasi"]["totalCount"], body["data"]["kalibrasi"]["totalCountExact"]) == (
        2,
        True,
    )
    assert {
        (e["node"]["penilaianId"], e["node"]["predikat"]) for e in body["data"]["kalibrasi"]["edges"]
    } == {
        (story.penilaian["kasubag"], "SANGAT_BAIK"),
        (story.penilaian["analis"], "BAIK"),
    }, body

    finalised = mutate(e2e_gql, FINALISE_CAPAIAN, {"id": story.capaian}, admin)["capaian"]
    assert finalised["final"] is True
    assert e2e_gql(POLA, variables, token=admin)["data"]["polaDistribusi"]["capaianFinal"] is True
    # Final: the capaian cannot change, and the unit's ratings hold.
    assert user_error_codes(e2e_gql, SET_CAPAIAN, {"c": capaian_input, "id": story.capaian}, admin) == [
        "CAPAIAN_SUDAH_FINAL"
    ]
    assert user_error_codes(
        e2e_gql,
        RATE,
        {"p": story.penilaian["analis"], "h": "DI_ATAS_EKSPEKTASI", "k": "DI_ATAS_EKSPEKTASI"},
        q["kabag"].token,
    ) == ["CAPAIAN_SUDAH_FINAL"]


def test_6_a_keberatan_is_explained_and_approved_and_changes_the_predikat(e2e_gql: Gql, story: Story) -> None:
    q = story.quarter
    analis, kabag, sekda = q["analis"].token, q["kabag"].token, q["sekda"].token
    penilaian = story.penilaian["analis"]
    assert user_error_codes(
        e2e_gql,
        FILE_KEBERATAN,
        {"p": penilaian, "a": "Sama saja", "h": "SESUAI_EKSPEKTASI", "k": "SESUAI_EKSPEKTASI"},
        analis,
    ) == ["KEBERATAN_TANPA_PERUBAHAN"]
    filed = mutate(
        e2e_gql,
        FILE_KEBERATAN,
        {
            "p": penilaian,
            "a": "Hasil dan perilaku kerja saya di atas ekspektasi, lihat bukti kegiatan lintas bagian.",
            "h": "DI_ATAS_EKSPEKTASI",
            "k": "DI_ATAS_EKSPEKTASI",
        },
        analis,
    )["keberatan"]
    story.keberatan = filed["id"]
    assert filed["status"] == "DIAJUKAN" and filed["diajukanAt"] and filed["dicekAt"] is None
    assert filed["sebelum"] == {
        "ratingHasilKerja": "SESUAI_EKSPEKTASI",
        "ratingPerilakuKerja": "SESUAI_EKSPEKTASI",
        "predikat": "BAIK",
    }
    assert filed["diminta"] == {
        "ratingHasilKerja": "DI_ATAS_EKSPEKTASI",
        "ratingPerilakuKerja": "DI_ATAS_EKSPEKTASI",
        "predikat": "SANGAT_BAIK",
    }
    assert datetime.date.fromisoformat(filed["batasPengajuan"]) >= datetime.date.today()
    assert user_error_codes(
        e2e_gql,
        FILE_KEBERATAN,
        {"p": penilaian, "a": "Lagi", "k": "DI_ATAS_EKSPEKTASI", "h": "DI_ATAS_EKSPEKTASI"},
        analis,
    ) == ["KEBERATAN_SUDAH_ADA"]

    _, tasks = inbox(e2e_gql, kabag, "JAWAB_KEBERATAN")
    assert [t["keberatanId"] for t in tasks] == [filed["id"]]
    # The atasan pejabat penilai decides only after the penilai's explanation.
    assert user_error_codes(
        e2e_gql, DECIDE_KEBERATAN, {"id": filed["id"], "d": True, "k": "Disetujui"}, sekda
    ) == ["PENJELASAN_BELUM_ADA"]
    assert user_error_codes(
        e2e_gql, EXPLAIN_KEBERATAN, {"id": filed["id"], "j": "Bukan saya yang menilai"}, sekda
    ) == ["BUKAN_PEJABAT_PENILAI"]
    explained = mutate(
        e2e_gql,
        EXPLAIN_KEBERATAN,
        {"id": filed["id"], "j": "Kolaborasi lintas bagian belum terlihat pada triwulan ini."},
        kabag,
    )["keberatan"]
    assert explained["penjelasanPenilai"] and explained["dijelaskanOleh"]["pegawaiId"] == q["kabag"].id

    body = e2e_gql(
        "query($id: ID!) { keberatan(id: $id) { " + KEBERATAN_FIELDS + " } }",
        {"id": filed["id"]},
        token=sekda,
    )
    assert not body.get("errors"), body
    assert body["data"]["keberatan"]["dicekAt"], body  # first read by the atasan pejabat penilai
    # The pegawai or their penilai may not decide.
    for token in (analis, kabag):
        assert user_error_codes(
            e2e_gql, DECIDE_KEBERATAN, {"id": filed["id"], "d": True, "k": "Saya setujui"}, token
        ) == ["BUKAN_ATASAN_PEJABAT_PENILAI"]
    decided = mutate(
        e2e_gql,
        DECIDE_KEBERATAN,
        {"id": filed["id"], "d": True, "k": "Bukti kegiatan lintas bagian meyakinkan."},
        sekda,
    )["keberatan"]
    assert decided["status"] == "DISETUJUI" and decided["diputuskanAt"] and decided["dicekAt"]
    assert decided["diputuskanOleh"]["pegawaiId"] == q["sekda"].id
    assert decided["sesudah"] == filed["diminta"]  # approved as asked
    changed = read(e2e_gql, analis, penilaian)
    assert changed["predikat"] == "SANGAT_BAIK" and changed["penjelasan"]["predikat"] == "SANGAT_BAIK"
    assert (changed["ratingHasilKerja"], changed["ratingPerilakuKerja"]) == (
        "DI_ATAS_EKSPEKTASI",
        "DI_ATAS_EKSPEKTASI",
    )
    assert changed["penjelasan"]["keberatanId"] == filed["id"]
    assert changed["penjelasan"]["dinilaiOleh"]["pegawaiId"] == q["sekda"].id
    assert "Di Atas Ekspektasi" in changed["penjelasan"]["uraian"]
    body = e2e_gql(
        "{ keberatanList(scope: SAYA, first: 10) { totalCount totalCountExact edges { node { id status } } } }",
        token=analis,
    )
    assert [e["node"] for e in body["data"]["keberatanList"]["edges"]] == [
        {"id": filed["id"], "status": "DISETUJUI"}
    ]
    assert (
        body["data"]["keberatanList"]["totalCount"] == 1 and body["data"]["keberatanList"]["totalCountExact"]
    )
    assert inbox(e2e_gql, kabag, "JAWAB_KEBERATAN")[0]["JAWAB_KEBERATAN"] == 0


@pytest.fixture(scope="module")
def clock(pg_admin_url: str, service_database: Callable[[str], ServiceDatabase]) -> Iterator[Clock]:
    """The two steps of the story the calendar decides, not a portal: a periode's batas pengisian
    passing and the keberatan window closing. Both move time in the assessment database (the periode
    as its projection holds it, the day of a rating) instead of waiting for it."""
    # A superuser on the assessment database (row-level security binds its owner too).
    engine = create_engine(make_url(pg_admin_url).set(database=service_database("assessment").name))
    yield Clock(engine)
    engine.dispose()


@dataclass
class Clock:
    engine: Engine

    def batas_passed(self, periode_id: str) -> datetime.date:
        """The periode (as assessment's projection holds it) ended and closed yesterday."""
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        day = yesterday.strftime("%m-%d")
        with self.engine.begin() as conn:
            moved = conn.execute(
                text("update periode_proyeksi set selesai = :d, batas_pengisian = :d where id = :id"),
                {"d": day, "id": periode_id},
            ).rowcount
        assert moved == 1, periode_id
        return yesterday

    def rated_days_ago(self, penilaian_id: str, days: int) -> None:
        """The penilaian's predikat was set `days` earlier than it was."""
        with self.engine.begin() as conn:
            moved = conn.execute(
                text(
                    "update penilaian set dinilai_at = dinilai_at - make_interval(days => :d) where id = :id"
                ),
                {"d": days, "id": penilaian_id},
            ).rowcount
        assert moved == 1, penilaian_id


def test_7_realisasi_after_the_batas_is_refused_unless_extended(
    e2e_gql: Gql, story: Story, clock: Clock
) -> None:
    q = story.quarter
    if datetime.date.today().timetuple().tm_yday == 1:
        pytest.skip("on the first day of the year no day of it has passed")
    person = q["analis"]
    opened = open_penilaian(e2e_gql, person.token, q.skp["analis"], q.periode_final)
    other = open_penilaian(e2e_gql, q["kasubag"].token, q.skp["kasubag"], q.periode_final)
    batas = clock.batas_passed(q.periode_final)
    opened = read(e2e_gql, person.token, opened["id"])
    assert opened["batasPengisian"] == str(batas) and opened["batasDiperpanjang"] is False
    realisasi = {
        "p": opened["id"],
        "i": q.indikator["analis"][0],
        "r": {"nilai": "3", "keterangan": "Terlambat"},
    }
    assert user_error_codes(e2e_gql, SET_REALISASI, realisasi, person.token) == ["LEWAT_BATAS_PENGISIAN"]
    assert read(e2e_gql, person.token, opened["id"]) == opened  # refused: nothing written

    baru = datetime.date.today() + datetime.timedelta(days=7)
    extension = {
        "p": q.periode_final,
        "t": q.tahun,
        "g": person.id,
        "b": str(baru),
        "a": "Pegawai menjalani rawat inap saat batas pengisian.",
    }
    assert user_error_codes(e2e_gql, EXTEND_BATAS, {**extension, "u": q.unor["umum"]}, q["admin"].token) == [
        "TARGET_REQUIRED"
    ]
    body = e2e_gql(EXTEND_BATAS, extension, token=person.token)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["ADMIN_ONLY"]
    made = mutate(e2e_gql, EXTEND_BATAS, extension, q["admin"].token)["perpanjangan"]
    assert made["pegawaiId"] == person.id and made["batasBaru"] == str(baru)
    assert made["oleh"]["pegawaiId"] == q["admin"].id

    entered = mutate(e2e_gql, SET_REALISASI, realisasi, person.token)["penilaian"]
    assert entered["batasPengisian"] == str(baru) and entered["batasDiperpanjang"] is True
    assert entered["realisasi"][0]["terisi"] is True
    body = e2e_gql(
        "query($p: ID!) { perpanjanganBatasList(periodeId: $p, first: 10) { edges { node { id alasan } } } }",
        {"p": q.periode_final},
        token=q["admin"].token,
    )
    assert [e["node"]["id"] for e in body["data"]["perpanjanganBatasList"]["edges"]] == [made["id"]]
    # Another pegawai's batas is unchanged.
    assert read(e2e_gql, q["kasubag"].token, other["id"])["batasPengisian"] == str(batas)
    late = {"p": other["id"], "i": q.indikator["kasubag"][0], "r": {"nilai": "3"}}
    assert user_error_codes(e2e_gql, SET_REALISASI, late, q["kasubag"].token) == ["LEWAT_BATAS_PENGISIAN"]


def test_8_a_keberatan_after_its_window_is_kept_as_terlambat(
    e2e_gql: Gql, story: Story, clock: Clock
) -> None:
    q = story.quarter
    penilaian = story.penilaian["kasubag"]
    clock.rated_days_ago(penilaian, 30)
    filed = mutate(
        e2e_gql,
        FILE_KEBERATAN,
        {
            "p": penilaian,
            "a": "Baru mengetahui hasil penilaian.",
            "h": "DI_ATAS_EKSPEKTASI",
            "k": "SESUAI_EKSPEKTASI",
        },
        q["kasubag"].token,
    )["keberatan"]
    assert filed["status"] == "TERLAMBAT", filed
    assert datetime.date.fromisoformat(filed["batasPengajuan"]) < datetime.date.today()
    # Kept, not answered: nobody explains or decides it, and the predikat stays.
    assert user_error_codes(
        e2e_gql, EXPLAIN_KEBERATAN, {"id": filed["id"], "j": "Penjelasan"}, q["kabag"].token
    ) == ["KEBERATAN_TERLAMBAT"]
    assert user_error_codes(
        e2e_gql, DECIDE_KEBERATAN, {"id": filed["id"], "d": True, "k": "Setuju"}, q["sekda"].token
    ) == ["KEBERATAN_TERLAMBAT"]
    assert read(e2e_gql, q["kasubag"].token, penilaian)["predikat"] == "SANGAT_BAIK"
    assert inbox(e2e_gql, q["kabag"].token, "JAWAB_KEBERATAN")[0]["JAWAB_KEBERATAN"] == 0
