"""Query cost: fields and page sizes, counted before any resolver runs; above the budget a request is
refused with QUERY_TOO_COSTLY, its cost and the budget."""

from __future__ import annotations

import uuid

from graphql import get_introspection_query, parse

from gateway.api.limits import chosen_operation, query_cost
from gateway.api.schema import schema
from gateway.settings import GatewaySettings
from kinerja_testing.gateway import FakeIdentity, FakeOrg, Gql, TokenFactory, error_codes

PEGAWAI = "id nip nama golongan pangkat jabatan { nama jenis jenjang } unor { id nama parent { id nama } }"
# The issue's page: a pegawai with unor, account and relations, a page of bawahan and of rekan kerja
# each (depth 9, within the depth limit).
HEAVY_NODE = f"""{PEGAWAI} account {{ id username roles }}
  relations {{ atasanLangsung {{ {PEGAWAI} }} atasanIi {{ id nama }}
              bawahan {{ totalCount edges {{ node {{ id nip nama unor {{ nama }} }} }} }}
              rekanKerja {{ totalCount edges {{ node {{ id nip nama }} }} }} memimpinUnor {{ id nama }} }}"""


def heavy(aliases: int, first: int | str = 100) -> str:
    pages = " ".join(
        f"a{i}: pegawaiList(first: {first}) {{ totalCount edges {{ node {{ {HEAVY_NODE} }} }} }}"
        for i in range(aliases)
    )
    return "{ " + pages + " }" if isinstance(first, int) else f"query($n: Int!) {{ {pages} }}"


def cost(document: str, variables: dict[str, object] | None = None) -> int:
    parsed = parse(document)
    operation = chosen_operation(parsed, None)
    assert operation is not None
    return query_cost(schema._schema, parsed, operation, variables, 100)


def test_the_cost_formula() -> None:
    # pegawaiList 1, totalCount 1, edges 1 + 2 x (node 1 + id 1 + unor 1 + unor.id 1)
    assert cost("{ pegawaiList(first: 2) { totalCount edges { node { id unor { id } } } } }") == 11
    # the argument's default (20) when `first` is left out; above the page-size limit counts as 100
    assert cost("{ pegawaiList { edges { node { id } } } }") == 1 + 1 + 20 * 2
    assert cost("{ pegawaiList(first: 5000) { edges { node { id } } } }") == 1 + 1 + 100 * 2
    # variables resolved, their defaults too
    assert cost("query($n: Int!) { pegawaiList(first: $n) { edges { node { id } } } }", {"n": 7}) == 16
    assert cost("query($n: Int! = 3) { pegawaiList(first: $n) { edges { node { id } } } }") == 8
    # fragments count where they are spread; introspection is free
    assert (
        cost("{ pegawaiList(first: 2) { ...P } } fragment P on PegawaiConnection { edges { node { id } } }")
        == 6
    )
    assert cost("{ __typename }") == 0
    assert cost(get_introspection_query()) == 0
    # lists without a page size count as one object (their length is the domain's)
    assert cost("{ unorTree { id nama } }") == 3
    assert cost('{ unorTree(rootId: "x", depth: 2) { id nama } }') == 3
    # connections inside a page: each of its objects holds a page of its own
    assert cost("{ unorChildren(first: 10) { totalCount totalCountExact edges { node { id } } } }") == 24
    nested = "{ pegawaiList(first: 10) { edges { node { relations { bawahan(first: 5) { edges { node { id } } } } } } } }"
    assert cost(nested) == 1 + 1 + 10 * (1 + 1 + 1 + (1 + 5 * 2))
    # PLT/PLH and the matriks peran hasil are pages too
    assert cost("{ pltList(first: 10) { totalCount edges { node { id pegawai { id } } } } }") == 3 + 10 * 4
    assert cost("{ pltList { edges { node { id } } } }") == 2 + 20 * 2
    matriks = "{ matriksPeranHasilList(tahun: 2026, first: 10) { edges { node { id kolom { id } } } } }"
    assert cost(matriks) == 2 + 10 * 4
    # the argument's default (20) for bawahan and rekanKerja too
    assert cost("{ me { pegawai { relations { bawahan { totalCount edges { node { id } } } } } } }") == 46


BAWAHAN_UNDER_A_PAGE = """query($n: Int!, $b: Int!) { pegawaiList(first: $n) { edges { node {
    nama relations { bawahan(first: $b) { totalCount edges { node { id nama } } } } } } } }"""


def test_pages_of_bawahan_under_a_page_of_pegawai_are_costed(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    """A page of bawahan under each of 100 pegawai is refused like any other heavy query, before any
    call; a small one under a small page runs."""
    seeded = fake_org.seed(pegawai=3)
    token = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    gql("{ __typename }", token=token)
    before = sum(fake_org.calls.values())
    for first, bawahan in ((100, 100), (100, 20), (20, 100)):
        body = gql(BAWAHAN_UNDER_A_PAGE, {"n": first, "b": bawahan}, token=token)
        assert body["data"] is None and error_codes(body) == ["QUERY_TOO_COSTLY"], (first, bawahan)
        assert body["errors"][0]["extensions"]["cost"] > GatewaySettings().max_query_cost
    assert sum(fake_org.calls.values()) == before
    body = gql(BAWAHAN_UNDER_A_PAGE, {"n": 10, "b": 20}, token=token)
    assert "errors" not in body, body
    # pegawaiList, edges; per pegawai: node, nama, relations, bawahan, totalCount, edges, 20 x 3
    assert cost(BAWAHAN_UNDER_A_PAGE, {"n": 10, "b": 20}) == 2 + 10 * (6 + 20 * 3)


def test_the_issues_heavy_query_is_refused_before_any_call(
    gql: Gql, fake_org: FakeOrg, fake_identity: FakeIdentity, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=3)
    token = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    budget = GatewaySettings().max_query_cost
    gql("{ __typename }", token=token)  # the token's keys are fetched once: not the query's calls
    calls = sum(fake_org.calls.values()) + sum(fake_identity.calls.values())
    for document in (heavy(15), heavy(1)):
        body = gql(document, token=token)
        assert body["data"] is None and error_codes(body) == ["QUERY_TOO_COSTLY"]
        [error] = body["errors"]
        assert error["extensions"]["cost"] == cost(document) > budget
        assert error["extensions"]["budget"] == budget
        assert f"biayanya {cost(document)}, batasnya {budget}" in error["message"]
    assert cost(heavy(15)) > 15 * 5000
    assert sum(fake_org.calls.values()) + sum(fake_identity.calls.values()) == calls


def test_page_sizes_from_variables_count(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=3)
    token = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    assert error_codes(gql(heavy(1, "$n"), {"n": 100}, token=token)) == ["QUERY_TOO_COSTLY"]
    body = gql(heavy(1, "$n"), {"n": 10}, token=token)
    assert "errors" not in body, body
    assert len(body["data"]["a0"]["edges"]) == 3


def test_a_full_page_with_unor_and_account_is_allowed(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=3)
    token = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    document = f"{{ pegawaiList(first: 100) {{ totalCount edges {{ node {{ {PEGAWAI} account {{ id username }} }} }} }} }}"
    assert cost(document) <= GatewaySettings().max_query_cost
    assert "errors" not in gql(document, token=token)
