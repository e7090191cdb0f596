"""A page of pegawai with their unor, relations and accounts costs one batched call per type, not one per row."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from gateway.api.loaders import SharedLoader
from kinerja_testing.gateway import FakeIdentity, FakeOrg, Gql, Seeded, TokenFactory


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
              relations { atasanLangsung { nama unor { nama } } }
           } } } }""",
        token=token,
    )
    assert not body.get("errors"), body
    # the atasan are all on the page: already primed, no BatchGetPegawai needed
    assert _delta(before, fake_org.calls) == {"SearchPegawai": 1, "BatchGetRelations": 1, "BatchGetUnor": 1}
    # without the bawahan and rekan kerja ids: those are connections of their own
    assert fake_org.requests["BatchGetRelations"].omit_lists is True


def test_a_page_of_bawahan_with_unor_costs_one_list_related_and_one_batch(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed_head_with_bawahan(30)
    token = token_for(uuid.UUID(seeded.instansi_id), pegawai_id=uuid.UUID(seeded.head_id))
    before = Counter(fake_org.calls)
    body = gql(
        """query($p: ID!) { pegawai(id: $p) { relations { bawahan(first: 25) {
              edges { node { id nama unor { nama } relations { atasanLangsung { id nama } } } }
           } } } }""",
        {"p": seeded.head_id},
        token=token,
    )
    assert not body.get("errors"), body
    nodes = [e["node"] for e in body["data"]["pegawai"]["relations"]["bawahan"]["edges"]]
    assert len(nodes) == 25 and {n["unor"]["nama"] for n in nodes} == {"Unor 0"}
    assert {n["relations"]["atasanLangsung"]["id"] for n in nodes} == {seeded.head_id}
    # the head was loaded once, the page primed the pegawai loader, its unor in one batch, its
    # relations in one batch
    assert _delta(before, fake_org.calls) == {
        "BatchGetPegawai": 1,
        "BatchGetRelations": 2,
        "ListRelated": 1,
        "BatchGetUnor": 1,
    }


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


def _give_accounts(fake_org: FakeOrg, fake_identity: FakeIdentity, seeded: Seeded, count: int) -> None:
    """Accounts for the first `count` pegawai of `seeded` (seeded NIPs repeat across instansi)."""
    for pid in seeded.pegawai_ids[:count]:
        nip = fake_org.data.pegawai[pid].nip
        fake_identity.accounts.pop(nip, None)
        fake_identity.add_account(seeded.instansi_id, nip, "x", ["pegawai"], pegawai_id=pid)


PAGE_WITH_ACCOUNTS = """query($i: ID) { pegawaiList(first: 100, instansiId: $i) {
    edges { node { nip account { username pegawaiId } } } } }"""


def test_accounts_of_a_page_cost_one_batch_get_accounts(
    gql: Gql, fake_org: FakeOrg, fake_identity: FakeIdentity, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=60)
    _give_accounts(fake_org, fake_identity, seeded, 55)
    for token, instansi in [
        (token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi"), None),
        (token_for(role="admin_bkn"), seeded.instansi_id),  # the loaders of the acting instansi
    ]:
        before_org, before_identity = Counter(fake_org.calls), Counter(fake_identity.calls)
        body = gql(PAGE_WITH_ACCOUNTS, {"i": instansi}, token=token)
        assert not body.get("errors"), body
        nodes = [e["node"] for e in body["data"]["pegawaiList"]["edges"]]
        assert len(nodes) == 60
        assert [n["account"]["username"] if n["account"] else None for n in nodes] == [
            n["nip"] for n in nodes[:55]
        ] + [None] * 5
        assert _delta(before_org, fake_org.calls) == {"SearchPegawai": 1}
        assert _delta(before_identity, fake_identity.calls) == {"BatchGetAccounts": 1}


def test_a_pegawai_sees_only_their_own_account_on_a_page(
    gql: Gql, fake_org: FakeOrg, fake_identity: FakeIdentity
) -> None:
    seeded = fake_org.seed(pegawai=8)
    _give_accounts(fake_org, fake_identity, seeded, 8)
    me = fake_identity.accounts[fake_org.data.pegawai[seeded.staff_id].nip].account
    before = Counter(fake_identity.calls)
    body = gql(PAGE_WITH_ACCOUNTS, token=fake_identity.token(me))
    assert not body.get("errors"), body
    shown = [e["node"]["account"] for e in body["data"]["pegawaiList"]["edges"] if e["node"]["account"]]
    assert shown == [{"username": me.username, "pegawaiId": seeded.staff_id}]
    assert _delta(before, fake_identity.calls) == {"BatchGetAccounts": 1}


def _waiters_after_one_is_cancelled(loader_class: type[DataLoader[str, str]]) -> list[str]:
    """Two fields wait for the same key; one is cancelled (graphql-core cancels the siblings of a failed
    field) before the batch answers: what each waiter gets."""

    async def run() -> list[str]:
        release = asyncio.Event()

        async def load_fn(keys: Sequence[str]) -> list[str]:
            await release.wait()
            return [k.upper() for k in keys]

        loader = loader_class(load_fn=load_fn)

        async def field() -> str:
            return await loader.load("a")

        cancelled, other = asyncio.create_task(field()), asyncio.create_task(field())
        for _ in range(3):
            await asyncio.sleep(0)
        cancelled.cancel()
        release.set()
        outcomes = []
        for task in (cancelled, other):
            try:
                outcomes.append(await task)
            except asyncio.CancelledError:
                outcomes.append("cancelled")
        return outcomes

    return asyncio.run(run())


def test_a_cancelled_field_does_not_take_the_answer_from_the_others() -> None:
    assert _waiters_after_one_is_cancelled(DataLoader) == ["cancelled", "cancelled"]  # the hazard
    assert _waiters_after_one_is_cancelled(SharedLoader) == ["cancelled", "A"]
