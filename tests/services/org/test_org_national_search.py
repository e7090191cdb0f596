"""SearchPegawai at national scale: an infix of the name and a NIP prefix on their indexes, paged to the end
exactly once, a NIP search in NIP order, the count bounded (and said so), and the search view confined to
the caller's instansi like the tables."""

from __future__ import annotations

import random
import uuid

import grpc
import pytest
from sqlalchemy import Engine, text

from kinerja.org.v1 import org_pb2
from kinerja_kit import paging
from kinerja_kit.db import UnitOfWork
from kinerja_testing.org import OrgWorld, Tenant, codes, rpc_error

pytestmark = pytest.mark.integration


def nips(count: int) -> tuple[str, list[str]]:
    """`count` valid NIPs sharing their first 12 digits (a birth date and a CPNS year), and that prefix."""
    rng = random.Random()
    prefix = (
        f"19{rng.randint(60, 79)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(2000, 2010)}"
    )
    tails = rng.sample(range(1, 12 * 2 * 999), count)
    return prefix, [f"{prefix}{t % 12 + 1:02d}{t // 12 % 2 + 1}{t // 24 + 1:03d}" for t in tails]


def walk(world: OrgWorld, tenant: Tenant, size: int, **fields: object) -> list[org_pb2.SearchPegawaiResponse]:
    pages: list[org_pb2.SearchPegawaiResponse] = []
    token = ""
    while True:
        page = world.stub.SearchPegawai(
            org_pb2.SearchPegawaiRequest(page_size=size, page_token=token, **fields),  # type: ignore[arg-type]
            metadata=tenant.pegawai,
        )
        pages.append(page)
        token = page.next_page_token
        if not token:
            return pages


@pytest.fixture(scope="module")
def staffed(world: OrgWorld) -> tuple[Tenant, str, dict[str, org_pb2.Pegawai]]:
    """An instansi of 23 pegawai: 13 whose name holds "sari" somewhere, all NIPs sharing one prefix."""
    tenant = world.instansi()
    root = world.root(tenant)
    prefix, numbers = nips(23)
    names = [
        "Sari Wulandari", "Dewi Puspitasari", "Ni Made Sari", "Kartika Sari", "Sariyem", "Ayu Sari",
        "Budi Sarianto", "Indah Sari", "Rina Kusumasari", "Sari Dewi", "Sari Dewi", "Lestari Sari", "Nur Sari",
        "Agus Santoso", "Bambang Wijaya", "Eko Prasetyo", "Joko Susilo", "Rudi Hartono", "Taufik Hidayat",
        "Wahyu Nugroho", "Yusuf Maulana", "Hendra Gunawan", "Irwan Setiawan",
    ]  # fmt: skip
    made = {}
    for nama, nip in zip(names, numbers, strict=True):
        created = world.pegawai(tenant, root.id, nama, nip=nip)
        made[created.id] = created
    return tenant, prefix, made


def test_name_infix_pages_in_name_order_exactly_once(
    world: OrgWorld, staffed: tuple[Tenant, str, dict[str, org_pb2.Pegawai]]
) -> None:
    tenant, _, made = staffed
    pages = walk(world, tenant, 4, query="SARI")
    seen = [p.id for page in pages for p in page.pegawai]
    expected = sorted((p for p in made.values() if "sari" in p.nama.lower()), key=lambda p: (p.nama, p.id))
    assert seen == [p.id for p in expected] and len(expected) == 13
    assert [len(page.pegawai) for page in pages] == [4, 4, 4, 1]
    assert all(page.total_count == 13 and page.total_count_exact for page in pages)
    assert [p.nama for p in walk(world, tenant, 10, query="pitasa")[0].pegawai] == ["Dewi Puspitasari"]


def test_nip_prefix_is_listed_in_nip_order(
    world: OrgWorld, staffed: tuple[Tenant, str, dict[str, org_pb2.Pegawai]]
) -> None:
    tenant, prefix, made = staffed
    pages = walk(world, tenant, 5, query=prefix[:8])
    seen = [p.nip for page in pages for p in page.pegawai]
    assert seen == sorted(p.nip for p in made.values()) and len(seen) == 23
    assert {page.total_count for page in pages} == {23}
    one = sorted(made.values(), key=lambda p: p.nip)[7]
    narrow = walk(world, tenant, 5, query=one.nip[:16])
    assert [p.nip for page in narrow for p in page.pegawai] == sorted(
        p.nip for p in made.values() if p.nip.startswith(one.nip[:16])
    )
    assert [p.id for p in walk(world, tenant, 5, query=one.nip)[0].pegawai] == [one.id]
    # a token of the name order does not continue the NIP order
    token = (
        walk(world, tenant, 50, query="sari")[0].next_page_token or walk(world, tenant, 5)[0].next_page_token
    )
    code, error = rpc_error(
        world.stub.SearchPegawai,
        org_pb2.SearchPegawaiRequest(query=prefix[:8], page_token=token),
        metadata=tenant.pegawai,
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"page_token": "PAGE_TOKEN_INVALID"}


def test_count_stops_at_the_limit_and_says_so(
    world: OrgWorld, staffed: tuple[Tenant, str, dict[str, org_pb2.Pegawai]], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, prefix, _ = staffed
    monkeypatch.setattr(paging, "COUNT_LIMIT", 10)
    pages = walk(world, tenant, 6, query="sari")
    assert [(p.total_count, p.total_count_exact) for p in pages] == [(10, False)] * 3
    assert sum(len(p.pegawai) for p in pages) == 13  # the pages still reach the end
    exact = walk(world, tenant, 20, query="sariyem")[0]
    assert (exact.total_count, exact.total_count_exact) == (1, True)
    monkeypatch.setattr(paging, "COUNT_LIMIT", 23)
    everyone = walk(world, tenant, 100, query=prefix)[0]
    assert (everyone.total_count, everyone.total_count_exact) == (23, True)


def test_sub_unor_filter_reads_the_subtree(world: OrgWorld, demo: Tenant) -> None:
    assert demo.structure is not None
    below = {"sekretariat", "sub_umum", "sub_keuangan"}
    expected = {demo.peg(p.key) for p in demo.structure.pegawai if p.unor in below}
    pages = walk(world, demo, 2, unor_id=demo.unor("sekretariat"), include_sub_unor=True)
    assert [p.id for page in pages for p in page.pegawai] == [
        p.id for p in sorted((p for page in pages for p in page.pegawai), key=lambda p: (p.nama, p.id))
    ]
    assert {p.id for page in pages for p in page.pegawai} == expected
    code, error = rpc_error(
        world.stub.SearchPegawai,
        org_pb2.SearchPegawaiRequest(unor_id=str(uuid.uuid4()), include_sub_unor=True),
        metadata=demo.pegawai,
    )
    assert (code, error.reason) == (grpc.StatusCode.NOT_FOUND, "UNOR_NOT_FOUND")


def test_the_search_view_is_confined_like_the_tables(
    app_engine: Engine, world: OrgWorld, demo: Tenant
) -> None:
    other = world.tree(2)
    uow = UnitOfWork.from_engine(app_engine)
    with uow.transaction(tenant=demo.id) as tx:
        tenants = {r[0] for r in tx.session.execute(text("select distinct instansi_id from pegawai_search"))}
        assert tenants == {demo.id}
        assert (
            tx.session.execute(
                text("select count(*) from pegawai_search where instansi_id = :o"), {"o": other.id}
            ).scalar_one()
            == 0
        )
    with uow.transaction(tenant=None) as tx:
        assert tx.session.execute(text("select count(*) from pegawai_search")).scalar_one() == 0
    with pytest.raises(Exception, match="permission denied"), uow.transaction(tenant=demo.id) as tx:
        tx.session.execute(text("delete from pegawai_search"))
