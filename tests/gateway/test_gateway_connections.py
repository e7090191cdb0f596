"""Read paths bounded by the page, against the fake services: bounded counts (totalCountExact), bawahan
and rekan kerja as connections served by ListRelated, the unor tree by subtree and level, and the
DataLoaders splitting loads of more than 1,000 ids into batches the services take."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import grpc.aio
import pytest
from graphql import GraphQLNonNull, GraphQLObjectType

from gateway.api.loaders import BATCH_LIMIT, Loaders
from gateway.api.pagination import COUNT_LIMIT
from gateway.api.schema import schema
from gateway.clients import ServiceClients
from gateway.tenancy import Caller
from kinerja_kit import paging
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.context import ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI, Principal
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.assessment import FakeAssessment, start_fake_assessment
from kinerja_testing.gateway import (
    FakeIdentity,
    FakeOrg,
    FakeSkp,
    Gql,
    ServiceAddrs,
    TokenFactory,
    error_codes,
)

GRAPHQL = schema._schema
EXACT = "False when the count stopped at 1,000: there are at least totalCount."


def _delta(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def _object(name: str) -> GraphQLObjectType:
    named = GRAPHQL.get_type(name)
    assert isinstance(named, GraphQLObjectType), name
    return named


# ---- the schema ----


def test_every_connection_says_whether_its_count_is_exact() -> None:
    assert COUNT_LIMIT == paging.COUNT_LIMIT
    connections = [
        t
        for name, t in GRAPHQL.type_map.items()
        if name.endswith("Connection") and isinstance(t, GraphQLObjectType)
    ]
    assert {"PegawaiConnection", "UnorConnection", "SkpConnection", "AccountConnection"} <= {
        t.name for t in connections
    }
    for connection in connections:
        exact = connection.fields["totalCountExact"]
        assert str(exact.type) == "Boolean!" and exact.description == EXACT, connection.name
        total = connection.fields["totalCount"].description or ""
        assert "1,000" in total and "totalCountExact" in total, connection.name
    pegawai_list = _object("Query").fields["pegawaiList"].description or ""
    assert "1,000" in pegawai_list and "totalCountExact" in pegawai_list


def test_bawahan_and_rekan_kerja_are_connections_and_the_id_lists_are_gone() -> None:
    relations = _object("Relations")
    assert "bawahanIds" not in relations.fields and "rekanKerjaIds" not in relations.fields
    for name in ("bawahan", "rekanKerja"):
        field = relations.fields[name]
        assert str(field.type) == "PegawaiConnection!", name
        assert set(field.args) == {"first", "after"} and field.args["first"].default_value == 20
        assert "a page at a time" in (field.description or "") and "exact" in (field.description or "")


def test_the_tree_fields_say_when_to_use_which() -> None:
    query = _object("Query")
    tree = query.fields["unorTree"]
    assert {"rootId", "depth", "query", "instansiId"} == set(tree.args)
    assert all(not isinstance(a.type, GraphQLNonNull) for a in tree.args.values())
    assert "whole tree by default" in (tree.description or "") and "unorChildren" in (tree.description or "")
    children = query.fields["unorChildren"]
    assert str(children.type) == "UnorConnection!"
    assert {"parentId", "first", "after", "instansiId"} == set(children.args)
    assert "large instansi" in (children.description or "") and "jumlahSubUnor" in (
        children.description or ""
    )
    assert "unorChildren" in (_object("Unor").fields["jumlahSubUnor"].description or "")


# ---- bounded counts ----

COUNTED = "query($q: String) { pegawaiList(first: 5, filter: {query: $q}) { totalCount totalCountExact } }"


def test_pegawai_list_count_stops_at_the_limit_and_says_so(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=COUNT_LIMIT + 5)
    token = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    body = gql(COUNTED, token=token)
    assert body == {"data": {"pegawaiList": {"totalCount": COUNT_LIMIT, "totalCountExact": False}}}
    body = gql(COUNTED, {"q": "Pegawai 00"}, token=token)  # "Pegawai 000" .. "Pegawai 009"
    assert body == {"data": {"pegawaiList": {"totalCount": 10, "totalCountExact": True}}}


def test_lists_without_a_bounded_count_stay_exact(
    gql: Gql, fake_org: FakeOrg, fake_identity: FakeIdentity
) -> None:
    seeded = fake_org.seed(pegawai=2)
    admin = fake_identity.add_account(
        seeded.instansi_id, f"adm-{seeded.instansi_id}", "x", ["admin_instansi", "pegawai"]
    )
    body = gql("{ accounts(first: 1) { totalCount totalCountExact } }", token=fake_identity.token(admin))
    assert not body.get("errors"), body
    assert body["data"]["accounts"]["totalCountExact"] is True


# ---- bawahan and rekan kerja ----

BAWAHAN = """query($p: ID!, $first: Int!, $after: String) { relations(pegawaiId: $p) {
    bawahan(first: $first, after: $after) {
      totalCount totalCountExact pageInfo { hasNextPage endCursor } edges { node { id nama unor { id } } }
    } } }"""
REKAN = """query($p: ID!, $after: String) { pegawai(id: $p) { relations { rekanKerja(first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }"""

HEAD_BAWAHAN = 2 * BATCH_LIMIT + 500


@pytest.fixture(scope="module")
def big_unit(fake_org: FakeOrg) -> Any:
    """A head with 2,500 bawahan in one unor (more than one Batch* call takes)."""
    return fake_org.seed_head_with_bawahan(HEAD_BAWAHAN)


def test_a_head_pages_through_more_than_1000_bawahan_each_once(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory, big_unit: Any
) -> None:
    token = token_for(uuid.UUID(big_unit.instansi_id), pegawai_id=uuid.UUID(big_unit.head_id))
    before = Counter(fake_org.calls)
    seen: list[str] = []
    names: list[str] = []
    after = None
    pages = 0
    while True:
        body = gql(BAWAHAN, {"p": big_unit.head_id, "first": 100, "after": after}, token=token)
        assert not body.get("errors"), body
        connection = body["data"]["relations"]["bawahan"]
        assert (connection["totalCount"], connection["totalCountExact"]) == (HEAD_BAWAHAN, True)
        assert len(connection["edges"]) == 100
        assert {e["node"]["unor"]["id"] for e in connection["edges"]} == {big_unit.unor_ids[0]}
        seen += [e["node"]["id"] for e in connection["edges"]]
        names += [e["node"]["nama"] for e in connection["edges"]]
        pages += 1
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert pages == HEAD_BAWAHAN // 100
    assert len(seen) == len(set(seen)) == HEAD_BAWAHAN
    assert set(seen) == set(big_unit.pegawai_ids) - {big_unit.head_id}
    assert names == sorted(names)
    # per page: the relations (one batch), one ListRelated, the page's unor (one batch); no pegawai load
    assert _delta(before, fake_org.calls) == {
        "BatchGetRelations": pages,
        "ListRelated": pages,
        "BatchGetUnor": pages,
    }
    assert fake_org.requests["ListRelated"].page_size == 100


def test_a_staff_member_pages_through_their_rekan_kerja(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory, big_unit: Any
) -> None:
    me = big_unit.staff_id
    token = token_for(uuid.UUID(big_unit.instansi_id), pegawai_id=uuid.UUID(me))
    seen: list[str] = []
    after = None
    while True:
        body = gql(REKAN, {"p": me, "after": after}, token=token)
        assert not body.get("errors"), body
        connection = body["data"]["pegawai"]["relations"]["rekanKerja"]
        assert connection["totalCount"] == HEAD_BAWAHAN - 1
        seen += [e["node"]["id"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == HEAD_BAWAHAN - 1 and me not in seen
    assert fake_org.requests["ListRelated"].kind == 2  # RELATED_KIND_REKAN_KERJA


def test_the_atasan_of_a_member_of_a_large_unit_costs_the_atasan_chain_only(
    gql: Gql, fake_org: FakeOrg, fake_identity: FakeIdentity, big_unit: Any
) -> None:
    nip = fake_org.data.pegawai[big_unit.staff_id].nip
    fake_identity.accounts.pop(nip, None)
    account = fake_identity.add_account(
        big_unit.instansi_id, nip, "x", ["pegawai"], pegawai_id=big_unit.staff_id
    )
    before = Counter(fake_org.calls)
    body = gql(
        "{ me { pegawai { relations { atasanLangsung { id nama } } } } }", token=fake_identity.token(account)
    )
    assert not body.get("errors"), body
    assert body["data"]["me"]["pegawai"]["relations"]["atasanLangsung"]["id"] == big_unit.head_id
    assert _delta(before, fake_org.calls) == {"BatchGetPegawai": 2, "BatchGetRelations": 1}
    assert fake_org.requests["BatchGetRelations"].omit_lists is True


def test_a_bad_bawahan_cursor_or_page_size_is_refused(
    gql: Gql, token_for: TokenFactory, big_unit: Any
) -> None:
    token = token_for(uuid.UUID(big_unit.instansi_id), pegawai_id=uuid.UUID(big_unit.head_id))
    body = gql(BAWAHAN, {"p": big_unit.head_id, "first": 5, "after": "%%%"}, token=token)
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert body["errors"][0]["extensions"]["fields"][0]["field"] == "after"
    body = gql(BAWAHAN, {"p": big_unit.head_id, "first": 0}, token=token)
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert body["errors"][0]["extensions"]["fields"][0]["code"] == "PAGE_SIZE_OUT_OF_RANGE"


def test_admin_bkn_reads_bawahan_of_the_named_instansi(
    gql: Gql, token_for: TokenFactory, big_unit: Any
) -> None:
    body = gql(
        """query($p: ID!, $i: ID!) { relations(pegawaiId: $p, instansiId: $i) {
             bawahan(first: 3) { totalCount edges { node { id } } } } }""",
        {"p": big_unit.head_id, "i": big_unit.instansi_id},
        token=token_for(role="admin_bkn"),
    )
    assert not body.get("errors"), body
    assert body["data"]["relations"]["bawahan"]["totalCount"] == HEAD_BAWAHAN
    assert len(body["data"]["relations"]["bawahan"]["edges"]) == 3


# ---- the unor tree ----

TREE = (
    "query($r: ID, $d: Int, $q: String) { unorTree(rootId: $r, depth: $d, query: $q) { id parentId nama } }"
)


def test_unor_tree_whole_by_default_or_by_subtree_and_levels(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    instansi_id, levels = fake_org.seed_tree([3, 2])
    root, children, grandchildren = levels
    token = token_for(uuid.UUID(instansi_id))

    def tree(**variables: Any) -> list[str]:
        body = gql(TREE, variables, token=token)
        assert not body.get("errors"), body
        return [u["id"] for u in body["data"]["unorTree"]]

    assert tree() == root + children + grandchildren
    assert tree(d=0) == root + children + grandchildren
    assert tree(d=1) == root  # without a root: the top level alone
    assert tree(d=2) == root + children
    assert tree(r=children[1]) == [children[1], *grandchildren[2:4]]
    assert tree(r=children[1], d=1) == [children[1], *grandchildren[2:4]]
    assert tree(r=root[0], d=1) == root + children
    # a search keeps the matches and their ancestors
    assert tree(q="Unor 1.002.001") == [root[0], children[1], grandchildren[2]]


def test_unor_tree_refuses_a_negative_depth_and_a_malformed_root(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    instansi_id, _ = fake_org.seed_tree([1])
    token = token_for(uuid.UUID(instansi_id))
    before = Counter(fake_org.calls)
    for variables, field, code in (
        ({"d": -1}, "depth", "DEPTH_INVALID"),
        ({"r": "bukan-id"}, "rootId", "INVALID_ID"),
    ):
        body = gql(TREE, variables, token=token)
        assert error_codes(body) == ["INVALID_ARGUMENT"], body
        assert body["errors"][0]["extensions"]["fields"] == [
            {"field": field, "code": code, "message": body["errors"][0]["extensions"]["fields"][0]["message"]}
        ]
    assert _delta(before, fake_org.calls) == {}


CHILDREN = """query($p: ID, $after: String, $first: Int!) { unorChildren(parentId: $p, first: $first, after: $after) {
    totalCount totalCountExact pageInfo { hasNextPage endCursor } edges { node { id nama parentId jumlahSubUnor } } } }"""


def test_unor_children_pages_one_level(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    instansi_id, (root, children) = fake_org.seed_tree([150])
    token = token_for(uuid.UUID(instansi_id))
    roots = gql(CHILDREN, {"first": 20}, token=token)["data"]["unorChildren"]
    assert [(e["node"]["id"], e["node"]["parentId"], e["node"]["jumlahSubUnor"]) for e in roots["edges"]] == [
        (root[0], None, 150)
    ]
    assert (roots["totalCount"], roots["totalCountExact"], roots["pageInfo"]["hasNextPage"]) == (
        1,
        True,
        False,
    )
    before = Counter(fake_org.calls)
    seen: list[str] = []
    after = None
    while True:
        page = gql(CHILDREN, {"p": root[0], "first": 100, "after": after}, token=token)["data"][
            "unorChildren"
        ]
        assert (page["totalCount"], page["totalCountExact"]) == (150, True)
        assert all(e["node"]["parentId"] == root[0] for e in page["edges"])
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == children  # seeded in name order
    assert _delta(before, fake_org.calls) == {"ListUnorChildren": 2}


def test_unor_children_count_stops_at_the_limit(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    instansi_id, (root, _) = fake_org.seed_tree([COUNT_LIMIT + 1])
    page = gql(CHILDREN, {"p": root[0], "first": 1}, token=token_for(uuid.UUID(instansi_id)))
    assert not page.get("errors"), page
    assert (page["data"]["unorChildren"]["totalCount"], page["data"]["unorChildren"]["totalCountExact"]) == (
        COUNT_LIMIT,
        False,
    )


def test_unor_children_refuses_a_malformed_parent(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    instansi_id, _ = fake_org.seed_tree([1])
    body = gql(CHILDREN, {"p": "bukan-id", "first": 5}, token=token_for(uuid.UUID(instansi_id)))
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert body["errors"][0]["extensions"]["fields"][0]["field"] == "parentId"


# ---- DataLoaders split what the services take in one batch ----


@pytest.fixture(scope="module")
def fake_assessment_addr(
    signer: TokenSigner, jwks_provider: Callable[[], str]
) -> Iterator[tuple[FakeAssessment, str]]:
    fake = FakeAssessment()
    server, addr = start_fake_assessment(fake, TokenVerifier(jwks_provider, signer.issuer, signer.audience))
    yield fake, addr
    server.stop(0)


def _ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def test_loaders_split_more_than_1000_ids_into_batches(
    fake_addrs: ServiceAddrs,
    fake_org: FakeOrg,
    fake_identity: FakeIdentity,
    fake_skp: FakeSkp,
    fake_assessment_addr: tuple[FakeAssessment, str],
    token_for: TokenFactory,
) -> None:
    """2,500 ids of each kind (a real one among them) are loaded in three batches of at most 1,000:
    the fakes refuse a larger batch as the services do (TOO_MANY)."""
    fake_assessment, assessment_addr = fake_assessment_addr
    seeded = fake_org.seed(pegawai=3, unor=2)
    instansi = uuid.UUID(seeded.instansi_id)
    token = token_for(instansi, role=ROLE_ADMIN_INSTANSI)
    principal = Principal(
        subject="admin",
        username="admin",
        instansi_id=instansi,
        roles=frozenset({ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI}),
        token=token,
    )
    count = HEAD_BAWAHAN

    async def load() -> dict[str, list[Any]]:
        addrs = {
            "identity": fake_addrs.identity,
            "org": fake_addrs.org,
            "skp": fake_addrs.skp,
            "assessment": assessment_addr,
            "angka_kredit": fake_addrs.angka_kredit,
        }
        channels = {name: grpc.aio.insecure_channel(addr) for name, addr in addrs.items()}
        try:
            loaders = Loaders(ServiceClients(channels), Caller.of(principal, "loaders-test"))
            pegawai, unor, relations, accounts, skp, penilaian = await asyncio.gather(
                loaders.pegawai.load_many([seeded.head_id, *_ids(count - 1)]),
                loaders.unor.load_many([seeded.unor_ids[0], *_ids(count - 1)]),
                loaders.relations.load_many([(seeded.staff_id, ""), *((i, "") for i in _ids(count - 1))]),
                loaders.account_by_username.load_many([f"{i:018d}" for i in range(count)]),
                loaders.skp.load_many(_ids(count)),
                loaders.penilaian.load_many(_ids(count)),
            )
            return {
                "pegawai": pegawai,
                "unor": unor,
                "relations": relations,
                "accounts": accounts,
                "skp": skp,
                "penilaian": penilaian,
            }
        finally:
            for channel in channels.values():
                await channel.close(None)

    sizes = {
        name: list(fake_org.batch_sizes.get(name, []))
        for name in ("BatchGetPegawai", "BatchGetUnor", "BatchGetRelations")
    }
    identity_sizes = list(fake_identity.batch_sizes.get("BatchGetAccounts", []))
    skp_sizes = list(fake_skp.batch_sizes.get("BatchGetSkp", []))
    penilaian_calls = fake_assessment.calls["BatchGetPenilaian"]

    found = asyncio.run(load())

    assert all(len(values) == count for values in found.values())
    assert found["pegawai"][0] is not None and found["pegawai"][0].id == seeded.head_id
    assert found["unor"][0] is not None and found["unor"][0].id == seeded.unor_ids[0]
    assert found["relations"][0] is not None and found["relations"][0].atasan_langsung_id == seeded.head_id
    assert all(v is None for values in found.values() for v in values[1:])
    expected = [BATCH_LIMIT, BATCH_LIMIT, count - 2 * BATCH_LIMIT]
    for name, earlier in sizes.items():
        assert sorted(fake_org.batch_sizes[name][len(earlier) :], reverse=True) == expected, name
    assert (
        sorted(fake_identity.batch_sizes["BatchGetAccounts"][len(identity_sizes) :], reverse=True) == expected
    )
    assert sorted(fake_skp.batch_sizes["BatchGetSkp"][len(skp_sizes) :], reverse=True) == expected
    assert fake_assessment.calls["BatchGetPenilaian"] - penilaian_calls == 3
    assert len(fake_assessment.requests["BatchGetPenilaian"].ids) <= BATCH_LIMIT


def test_the_fakes_refuse_a_batch_larger_than_the_services_take(
    fake_addrs: ServiceAddrs, token_for: TokenFactory
) -> None:
    """The control of the test above: one BatchGetPegawai of 1,001 ids is refused (TOO_MANY)."""
    from kinerja.org.v1 import org_pb2, org_pb2_grpc

    with grpc.insecure_channel(fake_addrs.org) as channel:
        stub = org_pb2_grpc.OrgServiceStub(channel)
        metadata = [("authorization", f"Bearer {token_for(uuid.uuid4(), role=ROLE_ADMIN_INSTANSI)}")]
        with pytest.raises(grpc.RpcError) as refused:
            stub.BatchGetPegawai(org_pb2.BatchGetPegawaiRequest(ids=_ids(BATCH_LIMIT + 1)), metadata=metadata)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
