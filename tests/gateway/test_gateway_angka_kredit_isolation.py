"""A token of instansi A reads and changes nothing of instansi B's angka kredit through ANY angka kredit
field: every query and mutation is aimed at B's PAK and pegawai (ids taken from B), with A's admin and A's
pegawai, and once more naming B's instansi; B's PAK is unchanged afterwards. The fields come from the
schema, so a new one without an entry below fails the test."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from gateway.api.angka_kredit.mutations import AngkaKreditMutation
from gateway.api.angka_kredit.queries import AngkaKreditQuery
from gateway.api.schema import schema
from kinerja.assessment.v1 import assessment_pb2
from kinerja.org.v1 import org_pb2_grpc
from kinerja_testing.angka_kredit import AkWorld, ak_world, predikat_event, publish_predikat
from kinerja_testing.gateway import Gql, error_codes
from kinerja_testing.gateway_e2e import accounts_by_nip, give_login
from kinerja_testing.graphql_documents import document
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import Platform, wait_for

pytestmark = pytest.mark.integration

REFUSALS = {"INSTANSI_FORBIDDEN", "ADMIN_ONLY", "ADMIN_BKN_ONLY"}
PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").decode()
PAK_OF_B = "query($id: ID!) { pak(id: $id) { id status version nomorSk tandaTangan { cara } } }"


def _graphql_names(kind: type) -> set[str]:
    definition = kind.__strawberry_definition__  # type: ignore[attr-defined]
    return {schema.config.name_converter.get_graphql_name(f) for f in definition.fields}


def queries(b: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {
        "pak": {"id": b["pak"]},
        "pakList": {"scope": "INSTANSI", "filter": {"pegawaiId": b["pegawai"], "tahun": 2024}},
        "pengaturanPak": {},
        "aturanAngkaKredit": {},
        "prakiraanAngkaKredit": {"pegawaiId": b["pegawai"]},
    }


def mutations(b: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {
        "ajukanPak": {"id": b["pak"], "tanggalSk": "2025-01-15"},
        "setujuiPak": {"id": b["pak"]},
        "tandatanganiPak": {"id": b["pak"]},
        "unggahSkPak": {"id": b["pak"], "berkas": PDF, "namaBerkas": "SK.pdf"},
        "kembalikanPakKeDraft": {"id": b["pak"], "alasan": "Dicoba dari instansi lain"},
        "catatIntegrasiAngkaKredit": {
            "input": {"pegawaiId": b["pegawai"], "tahun": 2022, "angkaKredit": "10", "dokumenSumber": "Uji"}
        },
        "aturPengaturanPak": {"mode": "MANUAL"},
    }


@pytest.fixture(scope="module")
def org_world(platform: Platform, token_for: Callable[..., str], pg_admin_url: str) -> Iterator[OrgWorld]:
    channel = grpc.insecure_channel(platform.org_addr)
    engine = create_engine(make_url(pg_admin_url).set(database="kinerja_org"))
    yield OrgWorld(org_pb2_grpc.OrgServiceStub(channel), token_for, engine)
    engine.dispose()
    channel.close()


def _tokens(gql: Gql, bkn: str, world: AkWorld) -> dict[str, str]:
    instansi = str(world.instansi_id)
    accounts = accounts_by_nip(gql, bkn, instansi, {world.pelaksana.nip, world.analis.nip})
    admin = give_login(
        gql, bkn, instansi, accounts[world.pelaksana.nip], world.pelaksana.nip, ["PEGAWAI", "ADMIN_INSTANSI"]
    )
    pegawai = give_login(gql, bkn, instansi, accounts[world.analis.nip], world.analis.nip)
    return {"admin": admin, "own": pegawai, "instansi": instansi}


@pytest.fixture(scope="module")
def pair(
    e2e_gql: Gql, bkn_token: str, org_world: OrgWorld, kafka_bootstrap: str
) -> tuple[dict[str, str], ...]:
    """A and B, each with a konversi PAK of its analis (through the broker), logins and ids."""
    found = []
    for _ in range(2):
        world = ak_world(org_world)
        tokens = _tokens(e2e_gql, bkn_token, world)
        event = predikat_event(world.analis, world.kepala, assessment_pb2.PREDIKAT_BAIK, tahun=2024)
        publish_predikat(kafka_bootstrap, world.instansi_id, event)
        pak: list[str] = []

        def made(
            admin: str = tokens["admin"], pegawai_id: str = world.analis.id, into: list[str] = pak
        ) -> bool:
            body = e2e_gql(
                "query($f: PakFilter) { pakList(scope: INSTANSI, filter: $f) { edges { node { id } } } }",
                {"f": {"pegawaiId": pegawai_id, "tahun": 2024}},
                token=admin,
            )
            into[:] = [e["node"]["id"] for e in body["data"]["pakList"]["edges"]]
            return bool(into)

        wait_for(made, timeout=120, what="the PAK of the analis")
        found.append({**tokens, "pak": pak[0], "pegawai": world.analis.id, "nip": world.analis.nip})
    return tuple(found)


def leaked(body: dict[str, Any], b: dict[str, str], sent: dict[str, Any]) -> bool:
    """Whether the answer names B's PAK or pegawai beyond what was sent."""
    text, sent_text = json.dumps(body.get("data")), json.dumps(sent)
    return any(marker in text and marker not in sent_text for marker in (b["pak"], b["nip"]))


def test_the_tables_name_every_angka_kredit_field() -> None:
    b = {"pak": "", "pegawai": ""}
    assert set(queries(b)) == _graphql_names(AngkaKreditQuery)
    assert set(mutations(b)) == _graphql_names(AngkaKreditMutation)


@pytest.mark.parametrize("name", sorted(queries({"pak": "", "pegawai": ""})))
def test_every_query_shows_nothing_of_another_instansi(
    name: str, e2e_gql: Gql, pair: tuple[dict[str, str], ...]
) -> None:
    a, b = pair
    variables = queries(b)[name]
    for token in (a["admin"], a["own"]):
        body = e2e_gql(document("query", name, variables, depth=2), variables, token=token)
        assert "INTERNAL" not in error_codes(body), body
        assert not leaked(body, b, variables), (name, body)
        named = {**variables, "instansiId": b["instansi"]}
        body = e2e_gql(document("query", name, named, depth=2), named, token=token)
        assert error_codes(body) and set(error_codes(body)) <= REFUSALS, body
        assert not leaked(body, b, named), (name, body)


def test_every_mutation_changes_and_shows_nothing_of_another_instansi(
    e2e_gql: Gql, pair: tuple[dict[str, str], ...]
) -> None:
    a, b = pair
    before = e2e_gql(PAK_OF_B, {"id": b["pak"]}, token=b["admin"])["data"]["pak"]
    settings = e2e_gql("{ pengaturanPak { mode version } }", token=b["admin"])["data"]["pengaturanPak"]
    for token in (a["admin"], a["own"]):
        for name, variables in sorted(mutations(b).items()):
            for attempt in (variables, {**variables, "instansiId": b["instansi"]}):
                body = e2e_gql(document("mutation", name, attempt, depth=1), attempt, token=token)
                assert "INTERNAL" not in error_codes(body), (name, body)
                result = (body.get("data") or {}).get(name)
                if name == "aturPengaturanPak" and "instansiId" not in attempt and token == a["admin"]:
                    continue  # A's admin sets A's own numbering: allowed, and not B's
                if result is not None:
                    assert result["errors"], (name, attempt, body)
                assert not leaked(body, b, attempt), (name, body)
    assert e2e_gql(PAK_OF_B, {"id": b["pak"]}, token=b["admin"])["data"]["pak"] == before
    assert (
        e2e_gql("{ pengaturanPak { mode version } }", token=b["admin"])["data"]["pengaturanPak"] == settings
    )
