"""Angka kredit end to end through GraphQL over the real platform (org, the angka kredit service, PostgreSQL,
the broker): final predikat published as assessment's relay publishes them become PAK whose figures match a
hand computation here (exact fractions, never a float), for every jenjang and every predikat over a full
year and for a TMT jabatan inside the periode; the form's worked example against kebutuhan 50 and 100; the
workflow and its refusals, with stable codes and Indonesian messages."""

from __future__ import annotations

import base64
import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import grpc
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from kinerja.assessment.v1 import assessment_pb2
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja_testing.angka_kredit import AkWorld, ak_world, predikat_event, publish_predikat
from kinerja_testing.gateway import Gql
from kinerja_testing.gateway_e2e import accounts_by_nip, give_login
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import Platform, wait_for

pytestmark = pytest.mark.integration

# The rule data, written out here from PermenPAN-RB 1/2023 (not read from the service's code).
PERSEN = {"SANGAT_BAIK": 150, "BAIK": 100, "BUTUH_PERBAIKAN": 75, "KURANG": 50, "SANGAT_KURANG": 25}
KOEFISIEN = {
    "Pemula": "3.75",
    "Terampil": "5",
    "Mahir": "12.5",
    "Penyelia": "25",
    "Ahli Pertama": "12.5",
    "Ahli Muda": "25",
    "Ahli Madya": "37.5",
    "Ahli Utama": "50",
}
PREDIKAT_PB = {name: assessment_pb2.Predikat.Value(f"PREDIKAT_{name}") for name in PERSEN}

PAK_FIELDS = """id status sumber jenjang golongan tanggalMulai tanggalSelesai tmtJabatan
  perhitungan { predikat jumlahBulan uraianBulan persentase koefisien rumus aturanVersi
                angkaKredit { pecahan desimal tampil } }
  angkaKredit { pecahan desimal tampil }
  kenaikanPangkat { lama { desimal } baru { desimal } kebutuhan { pecahan } terpenuhi kekurangan { desimal } uraian }
  kenaikanJenjang { baru { desimal } kebutuhan { pecahan } terpenuhi kekurangan { desimal } uraian }
  nomorSk tempat tanggalSk version tandaTangan { cara sha256 } riwayat { aksi statusSesudah }"""
LIST = (
    "query($f: PakFilter, $n: Int!) { pakList(scope: INSTANSI, filter: $f, first: $n) {"
    " totalCount totalCountExact edges { node { " + PAK_FIELDS + " } } } }"
)


def pecahan(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def desimal(value: Fraction, places: int) -> str:
    """Half up at `places`, trailing zeros and a bare dot dropped (as the form shows 12.5, 50, 10.9375)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def hand_ak(bulan: int, predikat: str, jenjang: str) -> Fraction:
    return Fraction(bulan, 12) * Fraction(PERSEN[predikat], 100) * Fraction(Decimal(KOEFISIEN[jenjang]))


@pytest.fixture(scope="module")
def org_world(platform: Platform, token_for: Callable[..., str], pg_admin_url: str) -> Iterator[OrgWorld]:
    channel = grpc.insecure_channel(platform.org_addr)
    engine = create_engine(make_url(pg_admin_url).set(database="kinerja_org"))
    yield OrgWorld(org_pb2_grpc.OrgServiceStub(channel), token_for, engine)
    engine.dispose()
    channel.close()


def logins(gql: Gql, bkn: str, world: AkWorld, *keys: str) -> dict[str, str]:
    """Real logins through identity: "admin" (the pelaksana made admin instansi) and the world's pegawai
    named in `keys` ("kepala", "analis")."""
    people = {"admin": world.pelaksana, **{k: getattr(world, k) for k in keys}}
    instansi = str(world.instansi_id)
    accounts = accounts_by_nip(gql, bkn, instansi, {p.nip for p in people.values()})
    return {
        key: give_login(
            gql,
            bkn,
            instansi,
            accounts[p.nip],
            p.nip,
            ["PEGAWAI", "ADMIN_INSTANSI"] if key == "admin" else None,
        )
        for key, p in people.items()
    }


def wait_list(gql: Gql, admin: str, pegawai_id: str, count: int) -> list[dict[str, Any]]:
    """The instansi's PAK of a pegawai once `count` of them exist (the predikat arrive by the broker)."""
    found: list[dict[str, Any]] = []

    def ready() -> bool:
        body = gql(LIST, {"f": {"pegawaiId": pegawai_id, "tahun": 2024}, "n": 10}, token=admin)
        assert not body.get("errors"), body
        found[:] = [e["node"] for e in body["data"]["pakList"]["edges"]]
        return len(found) >= count

    wait_for(ready, timeout=120, what=f"{count} PAK of pegawai {pegawai_id}")
    return found


def test_every_jenjang_and_every_predikat_over_a_full_year(
    e2e_gql: Gql, bkn_token: str, org_world: OrgWorld, kafka_bootstrap: str
) -> None:
    world = ak_world(org_world)
    admin = logins(e2e_gql, bkn_token, world)["admin"]
    # One pegawai per jenjang (its own cumulative), a full year of each predikat.
    pegawai: dict[str, org_pb2.Pegawai] = {}
    root = world.analis.unor_id
    for jenjang in KOEFISIEN:
        jabatan = org_pb2.Jabatan(
            nama=f"Jabatan Uji {jenjang}", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL, jenjang=jenjang
        )
        pegawai[jenjang] = org_world.pegawai(
            world.tenant, root, f"Pegawai {jenjang}", jabatan=jabatan, golongan="III/a"
        )
    expected: dict[str, dict[str, Fraction]] = {}
    for jenjang, predikat in itertools.product(KOEFISIEN, PERSEN):
        event = predikat_event(pegawai[jenjang], world.kepala, PREDIKAT_PB[predikat], tahun=2024)
        publish_predikat(kafka_bootstrap, world.instansi_id, event)
        expected.setdefault(jenjang, {})[predikat] = hand_ak(12, predikat, jenjang)
    for jenjang, person in pegawai.items():
        paks = wait_list(e2e_gql, admin, person.id, len(PERSEN))
        assert len(paks) == len(PERSEN)
        for pak in paks:
            hitung = pak["perhitungan"]
            ak = expected[jenjang][hitung["predikat"]]
            assert (pak["status"], pak["sumber"], pak["jenjang"]) == ("DRAFT", "KONVERSI", jenjang)
            assert hitung["jumlahBulan"] == 12 and "12 bulan" in hitung["uraianBulan"]
            assert hitung["persentase"] == str(PERSEN[hitung["predikat"]])
            assert hitung["koefisien"] == KOEFISIEN[jenjang]
            assert hitung["angkaKredit"] == {
                "pecahan": pecahan(ak),
                "desimal": desimal(ak, 4),
                "tampil": desimal(ak, 3),
            }, (jenjang, hitung)
            assert hitung["rumus"] == (
                f"12 / 12 × {PERSEN[hitung['predikat']]} % × {KOEFISIEN[jenjang]} = {desimal(ak, 3)}"
            )
            assert pak["angkaKredit"]["pecahan"] == pecahan(ak)
        # The cumulative of the last PAK is the sum of all five: exact, however they are ordered.
        total = sum(expected[jenjang].values(), Fraction(0))
        assert max(Fraction(Decimal(p["kenaikanPangkat"]["baru"]["desimal"])) for p in paks) == Fraction(
            Decimal(desimal(total, 4))
        )


PARTIAL = [
    # (TMT jabatan, months counted, the first month counted): the 1st counts its month, another day the next.
    (date(2024, 6, 1), 7, "Juni"),
    (date(2024, 6, 15), 6, "Juli"),
    (date(2023, 11, 20), 12, "Januari"),  # before the periode: every month
    (date(2024, 12, 2), 0, None),  # no whole month left
]


@pytest.mark.parametrize(("tmt", "bulan", "pertama"), PARTIAL, ids=[str(p[0]) for p in PARTIAL])
def test_a_tmt_jabatan_inside_the_periode_counts_the_months_from_it(
    tmt: date,
    bulan: int,
    pertama: str | None,
    e2e_gql: Gql,
    bkn_token: str,
    org_world: OrgWorld,
    kafka_bootstrap: str,
) -> None:
    world = ak_world(org_world)
    admin = logins(e2e_gql, bkn_token, world)["admin"]
    event = predikat_event(
        world.analis, world.kepala, assessment_pb2.PREDIKAT_BAIK, tahun=2024, tmt_jabatan=tmt.isoformat()
    )
    publish_predikat(kafka_bootstrap, world.instansi_id, event)
    (pak,) = wait_list(e2e_gql, admin, world.analis.id, 1)
    ak = hand_ak(bulan, "BAIK", "Ahli Pertama")
    hitung = pak["perhitungan"]
    assert hitung["jumlahBulan"] == bulan and pak["tmtJabatan"] == tmt.isoformat()
    assert hitung["angkaKredit"]["pecahan"] == pecahan(ak) and hitung["angkaKredit"]["desimal"] == desimal(
        ak, 4
    )
    if pertama:
        assert hitung["uraianBulan"].startswith(pertama), hitung["uraianBulan"]


def test_the_worked_example_and_its_workflow(
    e2e_gql: Gql, bkn_token: str, org_world: OrgWorld, kafka_bootstrap: str
) -> None:
    """7 / 12 × 150 % × 12.5 = 10.938; perolehan 10.9375 against kebutuhan 50 (pangkat) and 100 (jenjang);
    then submitted by the pegawai, approved and signed by the pejabat penilai, returned to draft by the admin."""
    world: AkWorld = ak_world(org_world)
    tokens = logins(e2e_gql, bkn_token, world, "kepala", "analis")
    admin, own, penilai = tokens["admin"], tokens["analis"], tokens["kepala"]
    event = predikat_event(
        world.analis, world.kepala, assessment_pb2.PREDIKAT_SANGAT_BAIK, tahun=2024, tmt_jabatan="2024-06-01"
    )
    publish_predikat(kafka_bootstrap, world.instansi_id, event)
    (pak,) = wait_list(e2e_gql, admin, world.analis.id, 1)
    hitung = pak["perhitungan"]
    assert hitung["rumus"] == "7 / 12 × 150 % × 12.5 = 10.938"
    assert hitung["angkaKredit"] == {"pecahan": "175/16", "desimal": "10.9375", "tampil": "10.938"}
    assert hitung["uraianBulan"].startswith("Juni") and "1 Juni 2024" in hitung["uraianBulan"]
    assert pak["kenaikanPangkat"]["kebutuhan"] == {"pecahan": "50"}
    assert (
        pak["kenaikanPangkat"]["kekurangan"] == {"desimal": "39.0625"}
        and not pak["kenaikanPangkat"]["terpenuhi"]
    )
    assert pak["kenaikanJenjang"]["kebutuhan"] == {"pecahan": "100"}
    assert pak["kenaikanJenjang"]["kekurangan"] == {"desimal": "89.0625"}
    assert pak["kenaikanPangkat"]["uraian"] == "10.9375 + 0 = 10.9375 dari kebutuhan 50 (kurang 39.0625)"

    def mutate(document: str, variables: dict[str, Any], who: str, name: str) -> dict[str, Any]:
        body = e2e_gql(document, variables, token=who)
        assert not body.get("errors"), body
        result: dict[str, Any] = body["data"][name]
        return result

    ajukan = """mutation($id: ID!, $t: Date!, $n: String) { ajukanPak(id: $id, tanggalSk: $t, nomorSk: $n,
                tempat: "Bandung") { pak { status nomorSk tempat version } errors { field code message } } }"""
    # Automatic numbering (the default): a number typed in is refused.
    refused = mutate(ajukan, {"id": pak["id"], "t": "2025-01-15", "n": "1/PAK/2025"}, own, "ajukanPak")
    assert [e["code"] for e in refused["errors"]] == ["NOMOR_SK_TIDAK_DIISI_OTOMATIS"], refused
    assert refused["errors"][0]["message"][0].isupper()
    submitted = mutate(ajukan, {"id": pak["id"], "t": "2025-01-15"}, own, "ajukanPak")
    assert submitted["errors"] == [] and submitted["pak"]["status"] == "DIAJUKAN"

    persetujuan = e2e_gql(
        "{ pakList(scope: PERSETUJUAN) { totalCount edges { node { id } } } }", token=penilai
    )
    assert [e["node"]["id"] for e in persetujuan["data"]["pakList"]["edges"]] == [pak["id"]], persetujuan
    # The pegawai may not approve their own PAK.
    setujui = "mutation($id: ID!) { setujuiPak(id: $id) { pak { status nomorSk } errors { code message } } }"
    not_penilai = mutate(setujui, {"id": pak["id"]}, own, "setujuiPak")
    assert [e["code"] for e in not_penilai["errors"]] == ["BUKAN_PENILAI"], not_penilai
    approved = mutate(setujui, {"id": pak["id"]}, penilai, "setujuiPak")
    assert approved["pak"] == {"status": "DISETUJUI", "nomorSk": "1/PAK/2025"}, approved
    signed = mutate(
        "mutation($id: ID!) { tandatanganiPak(id: $id) { pak { status tandaTangan { cara sha256 } } errors { code } } }",
        {"id": pak["id"]},
        penilai,
        "tandatanganiPak",
    )
    assert signed["pak"]["status"] == "DITANDATANGANI" and signed["pak"]["tandaTangan"]["cara"] == "TTE"
    assert len(signed["pak"]["tandaTangan"]["sha256"]) == 64

    kembalikan = """mutation($id: ID!, $a: String!) { kembalikanPakKeDraft(id: $id, alasan: $a) {
                    pak { status nomorSk tandaTangan { cara } riwayat { aksi } } errors { field code message } } }"""
    no_reason = mutate(kembalikan, {"id": pak["id"], "a": "  "}, admin, "kembalikanPakKeDraft")
    assert [e["code"] for e in no_reason["errors"]] in (["ALASAN_WAJIB"], ["REQUIRED"]), no_reason
    back = mutate(kembalikan, {"id": pak["id"], "a": "Salah tanggal SK"}, admin, "kembalikanPakKeDraft")
    assert back["pak"]["status"] == "DRAFT" and back["pak"]["nomorSk"] == "1/PAK/2025"
    assert back["pak"]["tandaTangan"] is None and back["pak"]["riwayat"][-1]["aksi"] == "DIKEMBALIKAN"

    # Submitted and approved again: the same number (no gap), then a wet-signed SK uploaded.
    mutate(ajukan, {"id": pak["id"], "t": "2025-01-20"}, own, "ajukanPak")
    again = mutate(setujui, {"id": pak["id"]}, penilai, "setujuiPak")
    assert again["pak"]["nomorSk"] == "1/PAK/2025"
    unggah = """mutation($id: ID!, $b: String!) { unggahSkPak(id: $id, berkas: $b, namaBerkas: "SK PAK.pdf") {
                pak { status skUrl tandaTangan { cara namaBerkas } } errors { field code message } } }"""
    not_pdf = mutate(
        unggah, {"id": pak["id"], "b": base64.b64encode(b"bukan pdf").decode()}, admin, "unggahSkPak"
    )
    assert [(e["code"], e["message"]) for e in not_pdf["errors"]] == [
        ("BERKAS_BUKAN_PDF", "Berkas SK harus PDF.")
    ]
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    uploaded = mutate(unggah, {"id": pak["id"], "b": base64.b64encode(pdf).decode()}, admin, "unggahSkPak")
    assert uploaded["errors"] == [] and uploaded["pak"]["tandaTangan"] == {
        "cara": "BASAH",
        "namaBerkas": "SK PAK.pdf",
    }
    assert uploaded["pak"]["skUrl"] == f"/api/v1/pak/{pak['id']}/sk"


def test_integrasi_is_refused_with_stable_codes_and_recorded_for_a_jf(
    e2e_gql: Gql, bkn_token: str, org_world: OrgWorld
) -> None:
    world = ak_world(org_world)
    admin = logins(e2e_gql, bkn_token, world)["admin"]
    catat = """mutation($i: IntegrasiInput!) { catatIntegrasiAngkaKredit(input: $i) {
               pak { sumber status tahun tanggalSelesai angkaKredit { pecahan desimal } dokumenSumber }
               errors { field code message } } }"""

    def send(**change: Any) -> dict[str, Any]:
        given = {
            "pegawaiId": world.analis.id,
            "tahun": 2022,
            "angkaKredit": "45,25",
            "dokumenSumber": "PAK 800/12/BKD/2022",
            **change,
        }
        body = e2e_gql(catat, {"i": given}, token=admin)
        assert not body.get("errors"), body
        result: dict[str, Any] = body["data"]["catatIntegrasiAngkaKredit"]
        return result

    assert [(e["field"], e["code"]) for e in send(angkaKredit="0")["errors"]] == [
        ("input.angkaKredit", "TOO_SMALL")
    ]
    assert [e["code"] for e in send(angkaKredit="1.250")["errors"]] == ["AMBIGUOUS_NUMBER"]
    pelaksana = send(pegawaiId=world.pelaksana.id)["errors"]
    assert [e["code"] for e in pelaksana] == ["BUKAN_JABATAN_FUNGSIONAL"], pelaksana
    assert pelaksana[0]["message"] == (
        "Pegawai ini tidak menduduki jabatan fungsional: angka kredit hanya untuk jabatan fungsional."
    )
    nobody = send(pegawaiId=str(uuid.uuid4()))["errors"]
    assert nobody and all(e["message"] for e in nobody)
    recorded = send()
    assert recorded["errors"] == [], recorded
    assert recorded["pak"] == {
        "sumber": "INTEGRASI",
        "status": "DRAFT",
        "tahun": 2022,
        "tanggalSelesai": "2022-12-31",
        "angkaKredit": {"pecahan": "181/4", "desimal": "45.25"},
        "dokumenSumber": "PAK 800/12/BKD/2022",
    }
