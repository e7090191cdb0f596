"""A page of pegawai with their unor and relations costs one batched call per type, not one per row."""

from __future__ import annotations

import uuid
from collections import Counter

from gateway_testing import FakeOrg, Gql, TokenFactory


def _delta(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def test_a_page_of_100_with_unor_costs_one_search_and_one_batch(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=120, unor=7)
    token = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    before = Counter(fake_org.calls)
    body = gql(
        "{ pegawaiList(first: 100) { edges { node { id nama unor { id nama parent { nama } } } } } }",
        token=token,
    )
    assert not body.get("errors"), body
    edges = body["data"]["pegawaiList"]["edges"]
    assert len(edges) == 100 and all(e["node"]["unor"]["nama"] for e in edges)
    # unor of the page in one call, then their parents (already cached or one more call)
    assert _delta(before, fake_org.calls) == {"SearchPegawai": 1, "BatchGetUnor": 1}


def test_relations_of_a_page_are_batched(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=40, unor=4)
    token = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    before = Counter(fake_org.calls)
    body = gql(
        """{ pegawaiList(first: 40) { edges { node {
              relations { atasanLangsung { nama unor { nama } } rekanKerja { id } }
           } } } }""",
        token=token,
    )
    assert not body.get("errors"), body
    # atasan and rekan are all on the page: already primed, no BatchGetPegawai needed
    assert _delta(before, fake_org.calls) == {"SearchPegawai": 1, "BatchGetRelations": 1, "BatchGetUnor": 1}


def test_loaders_are_fresh_per_request(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=2)
    token = token_for(uuid.UUID(seeded.instansi_id))
    query = "query($id: ID!) { pegawai(id: $id) { nama } }"
    before = Counter(fake_org.calls)
    gql(query, {"id": seeded.head_id}, token=token)
    fake_org.data.pegawai[seeded.head_id].nama = "Nama Baru"
    assert gql(query, {"id": seeded.head_id}, token=token)["data"]["pegawai"]["nama"] == "Nama Baru"
    assert _delta(before, fake_org.calls) == {"BatchGetPegawai": 2}


def test_unor_of_a_page_is_loaded_ahead_also_through_fragments(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=30, unor=3)
    token = token_for(uuid.UUID(seeded.instansi_id))
    before = Counter(fake_org.calls)
    body = gql(
        """query { pegawaiList(first: 30) { ...Page } }
           fragment Page on PegawaiConnection { edges { node { ... on Pegawai { unor { nama } } } } }""",
        token=token,
    )
    assert not body.get("errors"), body
    assert all(e["node"]["unor"]["nama"].startswith("Unor") for e in body["data"]["pegawaiList"]["edges"])
    assert _delta(before, fake_org.calls) == {"SearchPegawai": 1, "BatchGetUnor": 1}


def test_no_unor_call_when_the_query_does_not_ask_for_unor(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=5)
    before = Counter(fake_org.calls)
    gql(
        "{ pegawaiList(first: 5) { edges { node { nama unorId } } } }",
        token=token_for(uuid.UUID(seeded.instansi_id)),
    )
    assert _delta(before, fake_org.calls) == {"SearchPegawai": 1}
