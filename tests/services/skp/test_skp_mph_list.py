"""ListMatriksPeranHasil a page at a time (002 §2.11: the instansi's units and teams browsed page by page,
one unit printed): newest year then newest matriks first, every matriks once to the end, a unit's and a
year's filters kept, the matriks of a deleted SKP left out, the count bounded and saying so."""

from __future__ import annotations

import uuid
from typing import Any

import grpc
import pytest

from kinerja.skp.v1 import skp_pb2
from kinerja_kit import paging
from kinerja_testing.org import codes, every_page, rpc_error
from kinerja_testing.skp import THIS_YEAR, YEAR, SkpTenant, SkpWorld

pytestmark = pytest.mark.integration


def matriks_of(
    world: SkpWorld, t: SkpTenant, key: str, skp_id: str, count: int
) -> list[skp_pb2.MatriksPeranHasil]:
    """`count` RHK on the SKP, each with a matriks of one column."""
    made = []
    for i in range(count):
        teks = f"Tersusunnya dokumen {key} {i}"
        skp = world.rhk(t, key, skp_id, teks)
        rhk = next(r for r in skp.rhk if r.teks == teks)
        request = skp_pb2.SetMphKolomRequest(
            skp_id=skp_id, rhk_id=rhk.id, kolom=[skp_pb2.MphKolom(nama="Produk")]
        )
        made.append(world.stub.SetMphKolom(request, metadata=t.md(key)))
    return made


def pages(
    world: SkpWorld, t: SkpTenant, size: int, **filters: Any
) -> tuple[list[skp_pb2.MatriksPeranHasil], list[int]]:
    """Every page with `filters` to the end (each count exact): the items and each page's size."""

    def page(token: str) -> skp_pb2.ListMatriksPeranHasilResponse:
        request = skp_pb2.ListMatriksPeranHasilRequest(page_size=size, page_token=token, **filters)
        found: skp_pb2.ListMatriksPeranHasilResponse = world.stub.ListMatriksPeranHasil(
            request, metadata=t.md("prakom_1")
        )
        assert found.total_count_exact
        return found

    return every_page(page, "matriks")


def newest_first(items: list[skp_pb2.MatriksPeranHasil]) -> list[str]:
    return [m.id for m in sorted(items, key=lambda m: (m.tahun, uuid.UUID(m.id)), reverse=True)]


def test_matriks_paged_to_the_end_once(world: SkpWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    t = world.tenant(1)
    informasi = world.skp(t, "kabid_informasi")
    bangkom = world.skp(t, "kabid_bangkom", mulai=f"{THIS_YEAR}-01-01", selesai=f"{THIS_YEAR}-12-31")
    gone = world.skp(t, "kasubbag_umum")
    made_informasi = matriks_of(world, t, "kabid_informasi", informasi.id, 12)
    made_bangkom = matriks_of(world, t, "kabid_bangkom", bangkom.id, 5)
    matriks_of(world, t, "kasubbag_umum", gone.id, 1)
    world.stub.DeleteSkp(skp_pb2.DeleteSkpRequest(id=gone.id), metadata=t.md("kasubbag_umum"))
    with_anggota = world.stub.AddMphAnggota(
        skp_pb2.AddMphAnggotaRequest(
            skp_id=informasi.id,
            rhk_id=made_informasi[3].rhk_id,
            anggota=skp_pb2.MphAnggotaInput(
                nip=t.nip("prakom_1"),
                peran_tim=skp_pb2.PERAN_TIM_KETUA,
                peran=[
                    skp_pb2.MphPeran(kolom_id=made_informasi[3].kolom[0].id, peran="Tersusunnya aplikasi")
                ],
            ),
        ),
        metadata=t.md("kabid_informasi"),
    )
    made_informasi[3] = with_anggota
    made = made_informasi + made_bangkom

    seen, sizes = pages(world, t, 5)
    assert sizes == [5, 5, 5, 2]
    assert [m.id for m in seen] == newest_first(made)  # each once; the deleted SKP's matriks left out
    assert next(m for m in seen if m.id == with_anggota.id) == with_anggota  # with its anggota
    first = world.stub.ListMatriksPeranHasil(
        skp_pb2.ListMatriksPeranHasilRequest(), metadata=t.md("prakom_1")
    )
    assert (first.total_count, first.total_count_exact, len(first.matriks)) == (17, True, 17)

    unit, _ = pages(world, t, 4, unor_id=t.unor("informasi"))
    assert [m.id for m in unit] == newest_first(made_informasi)
    year, _ = pages(world, t, 2, tahun=THIS_YEAR)
    assert [m.id for m in year] == newest_first(made_bangkom) and THIS_YEAR != YEAR
    both, _ = pages(world, t, 3, unor_id=t.unor("bangkom"), tahun=YEAR)
    assert both == []

    monkeypatch.setattr(paging, "COUNT_LIMIT", 4)
    bounded = world.stub.ListMatriksPeranHasil(
        skp_pb2.ListMatriksPeranHasilRequest(page_size=3), metadata=t.md("prakom_1")
    )
    assert (bounded.total_count, bounded.total_count_exact, len(bounded.matriks)) == (4, False, 3)
    for request in (
        skp_pb2.ListMatriksPeranHasilRequest(tahun=YEAR, page_token=bounded.next_page_token),
        skp_pb2.ListMatriksPeranHasilRequest(unor_id=t.unor("informasi"), page_token=bounded.next_page_token),
        skp_pb2.ListMatriksPeranHasilRequest(page_token="bukan-token"),
    ):
        code, error = rpc_error(world.stub.ListMatriksPeranHasil, request, metadata=t.md("prakom_1"))
        assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {
            "page_token": "PAGE_TOKEN_INVALID"
        }
