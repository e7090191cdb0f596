"""ListSkp at scale: the total is counted up to 1,000 and says when it stopped (total_count_exact), and
the name and NIP searches page through every match once, in the order of their index (name, or NIP)."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.skp.v1 import skp_pb2
from kinerja_testing.skp import SkpTenant, SkpWorld

pytestmark = pytest.mark.integration

YEAR = 2021
SLICES = 36  # 1 + 29 x 36 = 1,045 SKPs in the year (9-day ranges): more than the count limit


@pytest.fixture(scope="module")
def t(world: SkpWorld, import_kit: Any) -> SkpTenant:
    tenant = world.tenant(1)
    items = import_kit.tree(tenant, YEAR, slices=SLICES)
    for start in range(0, len(items), 500):
        world.stub.ImportSkp(skp_pb2.ImportSkpRequest(skp=items[start : start + 500]), metadata=tenant.admin)
    return tenant


def _list(world: SkpWorld, t: SkpTenant, **request: Any) -> skp_pb2.ListSkpResponse:
    found: skp_pb2.ListSkpResponse = world.stub.ListSkp(
        skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_INSTANSI, **request), metadata=t.admin
    )
    return found


def _all(world: SkpWorld, t: SkpTenant, **request: Any) -> list[skp_pb2.Skp]:
    pages, token = [], ""
    while True:
        page = _list(world, t, page_size=100, page_token=token, **request)
        pages.extend(page.skp)
        token = page.next_page_token
        if not token:
            return pages


def test_the_count_stops_at_the_limit_and_says_so(world: SkpWorld, t: SkpTenant) -> None:
    everything = _list(world, t, tahun=YEAR)
    assert (everything.total_count, everything.total_count_exact) == (1000, False)
    assert len(_all(world, t, tahun=YEAR)) == 1 + 29 * SLICES
    one_unit = _list(world, t, tahun=YEAR, unor_id=t.unor("informasi"))
    assert one_unit.total_count_exact and one_unit.total_count == 6 * SLICES  # kabid_informasi and five staff
    none = _list(world, t, tahun=YEAR + 1)
    assert (none.total_count, none.total_count_exact, list(none.skp)) == (0, True, [])


def test_a_name_search_pages_through_its_matches_by_name(world: SkpWorld, t: SkpTenant) -> None:
    # "prakom" is no name; "Wibowo" (prakom_3) and "Wahyuni" (sekretaris) are
    found = _all(world, t, tahun=YEAR, query="wibowo")
    assert {s.pegawai_id for s in found} == {t.id("prakom_3")}
    assert len(found) == SLICES
    first = _list(world, t, tahun=YEAR, query="wibowo", page_size=10)
    assert (first.total_count, first.total_count_exact, len(first.skp)) == (SLICES, True, 10)
    infix = _all(world, t, tahun=YEAR, query="ahyu")  # inside "Wahyuni"
    assert {s.pegawai_id for s in infix} == {t.id("sekretaris")}
    names = [(s.pegawai.nama, s.id) for s in _all(world, t, tahun=YEAR, query="sari")]
    assert names == sorted(names) and len(names) == len(set(names)) > 0


def test_a_nip_prefix_pages_through_its_matches_by_nip(world: SkpWorld, t: SkpTenant) -> None:
    nip = t.nip("prakom_1")
    found = _all(world, t, tahun=YEAR, query=nip[:8])  # the birth date: one or a few pegawai
    assert t.id("prakom_1") in {s.pegawai_id for s in found}
    assert all(s.pegawai.nip.startswith(nip[:8]) for s in found)
    # a short prefix most NIPs share: many pages, every match once, in NIP order
    assert t.org.structure is not None
    prefix = "19" + nip[2]
    keys = [p.key for p in t.org.structure.pegawai if t.nip(p.key).startswith(prefix)]
    expected = sum(1 if k == "kepala" else SLICES for k in keys)
    walked = _all(world, t, tahun=YEAR, query=prefix)
    assert len(walked) == len({s.id for s in walked}) == expected
    order = [(s.pegawai.nip, s.id) for s in walked]
    assert order == sorted(order)
    first = _list(world, t, tahun=YEAR, query=prefix)
    assert first.total_count == min(expected, 1000) and first.total_count_exact == (expected <= 1000)
