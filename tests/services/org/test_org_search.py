"""SearchPegawai: NIP or at least 3 letters of a name, filters, keyset pages with opaque tokens."""

from __future__ import annotations

import grpc
import pytest

from kinerja.org.v1 import org_pb2
from kinerja_testing.org import OrgWorld, Tenant, codes, rpc_error

pytestmark = pytest.mark.integration


def search(world: OrgWorld, tenant: Tenant, **fields: object) -> org_pb2.SearchPegawaiResponse:
    response: org_pb2.SearchPegawaiResponse = world.stub.SearchPegawai(
        org_pb2.SearchPegawaiRequest(**fields),  # type: ignore[arg-type]
        metadata=tenant.pegawai,
    )
    return response


def test_by_name_case_insensitive(world: OrgWorld, demo: Tenant) -> None:
    assert demo.structure is not None
    found = search(world, demo, query="  PRANATA ")
    assert found.total_count == 0  # names, not jabatan
    found = search(world, demo, query="wahyu")
    expected = {p.nama for p in demo.structure.pegawai if "wahyu" in p.nama.lower()}
    assert {p.nama for p in found.pegawai} == expected and found.total_count == len(expected) > 0
    assert search(world, demo, query="s.kom").total_count == sum(
        "s.kom" in p.nama.lower() for p in demo.structure.pegawai
    )
    assert search(world, demo, query="ab_c%").total_count == 0  # LIKE wildcards are literal


def test_by_nip_digits(world: OrgWorld, demo: Tenant) -> None:
    assert demo.structure is not None
    person = demo.structure.pegawai[5]
    exact = search(world, demo, query=person.nip)
    assert [p.id for p in exact.pegawai] == [demo.peg(person.key)]
    prefix = person.nip[:4]
    found = search(world, demo, query=prefix, page_size=100)
    assert {p.nip for p in found.pegawai} == {
        p.nip for p in demo.structure.pegawai if p.nip.startswith(prefix)
    }


@pytest.mark.parametrize("query", ["ab", "a", "12", " a b ", "1.2"])
def test_too_short_queries(world: OrgWorld, demo: Tenant, query: str) -> None:
    code, error = rpc_error(
        world.stub.SearchPegawai, org_pb2.SearchPegawaiRequest(query=query), metadata=demo.pegawai
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"query": "QUERY_TOO_SHORT"}
    assert "minimal 3" in error.message


def test_filters(world: OrgWorld, demo: Tenant) -> None:
    assert demo.structure is not None
    people = demo.structure.pegawai
    direct = search(world, demo, unor_id=demo.unor("sekretariat"))
    assert direct.total_count == 2
    below = {"sekretariat", "sub_umum", "sub_keuangan"}
    with_sub = search(world, demo, unor_id=demo.unor("sekretariat"), include_sub_unor=True, page_size=50)
    assert {p.id for p in with_sub.pegawai} == {demo.peg(p.key) for p in people if p.unor in below}
    jf = search(world, demo, jenis_jabatan=org_pb2.JENIS_JABATAN_FUNGSIONAL, page_size=100)
    assert jf.total_count == sum(p.jenis_jabatan == 4 for p in people)
    heads = search(world, demo, only_pimpinan=True, page_size=100)
    assert {p.id for p in heads.pegawai} == {demo.peg(p.key) for p in people if p.pimpinan}
    combined = search(world, demo, query="Ahmad", only_pimpinan=True)
    assert [p.id for p in combined.pegawai] == [demo.peg("kepala")]
    code, _error = rpc_error(
        world.stub.SearchPegawai, org_pb2.SearchPegawaiRequest(unor_id="bukan-id"), metadata=demo.pegawai
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT


def test_pages_cover_everything_once(world: OrgWorld, demo: Tenant) -> None:
    everything = search(world, demo, page_size=100)
    assert everything.total_count == 30 and len(everything.pegawai) == 30 and everything.next_page_token == ""
    assert len(search(world, demo).pegawai) == 20  # default page size
    seen: list[str] = []
    token = ""
    sizes = []
    while True:
        page = search(world, demo, page_size=7, page_token=token)
        assert page.total_count == 30
        sizes.append(len(page.pegawai))
        seen += [p.id for p in page.pegawai]
        token = page.next_page_token
        if not token:
            break
    assert sizes == [7, 7, 7, 7, 2]
    assert seen == [p.id for p in everything.pegawai]


def test_bad_page_tokens(world: OrgWorld, demo: Tenant) -> None:
    token = search(world, demo, page_size=5).next_page_token
    for fields in ({"page_token": "sampah"}, {"page_token": token, "only_pimpinan": True}):
        code, error = rpc_error(
            world.stub.SearchPegawai,
            org_pb2.SearchPegawaiRequest(**fields),
            metadata=demo.pegawai,  # type: ignore[arg-type]
        )
        assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {
            "page_token": "PAGE_TOKEN_INVALID"
        }


def test_removed_pegawai_leave_the_search(world: OrgWorld, tenant: Tenant) -> None:
    unit = world.root(tenant)
    stays = world.pegawai(tenant, unit.id, "Sulastri Tetap")
    leaves = world.pegawai(tenant, unit.id, "Sulastri Pergi")
    world.stub.RemovePegawai(org_pb2.RemovePegawaiRequest(id=leaves.id), metadata=tenant.admin)
    found = search(world, tenant, query="sulastri")
    assert [p.id for p in found.pegawai] == [stays.id] and found.total_count == 1
    assert search(world, tenant, query=leaves.nip).total_count == 0
