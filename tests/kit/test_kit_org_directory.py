"""The gRPC OrgDirectory reads a pegawai's or a unit's PLT/PLH to the end of ListPlt's pages."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from kinerja.org.v1 import org_pb2
from kinerja_kit import org_directory
from kinerja_kit.org_directory import GrpcOrgDirectory


class PagedStub:
    """ListPlt answering `total` assignments `page_size` at a time, the token being the offset."""

    def __init__(self, total: int) -> None:
        self.items = [
            org_pb2.Plt(
                id=str(uuid.uuid4()), pegawai_id=str(uuid.uuid4()), unor_id=str(uuid.uuid4()), jabatan=f"Plh {i}",
                tanggal_mulai=f"2026-01-{i + 1:02d}", tanggal_selesai="2026-12-31", aktif=True,
            )
            for i in range(total)
        ]  # fmt: skip
        self.requests: list[org_pb2.ListPltRequest] = []

    def ListPlt(self, request: org_pb2.ListPltRequest) -> org_pb2.ListPltResponse:
        self.requests.append(request)
        start = int(request.page_token or 0)
        end = start + request.page_size
        return org_pb2.ListPltResponse(
            plt=self.items[start:end], next_page_token=str(end) if end < len(self.items) else ""
        )


def directory(stub: Any) -> GrpcOrgDirectory:
    found = GrpcOrgDirectory.__new__(GrpcOrgDirectory)
    found._stub = stub
    return found


def test_plt_pages_to_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(org_directory, "PLT_PAGE", 3)
    stub = PagedStub(8)
    unor_id = uuid.uuid4()
    found = directory(stub).plt(unor_id=unor_id)
    assert [p.id for p in found] == [uuid.UUID(p.id) for p in stub.items]
    assert [(r.unor_id, r.pegawai_id, r.page_size, r.page_token) for r in stub.requests] == [
        (str(unor_id), "", 3, ""),
        (str(unor_id), "", 3, "3"),
        (str(unor_id), "", 3, "6"),
    ]
    assert directory(PagedStub(0)).plt(pegawai_id=uuid.uuid4()) == []


def test_plt_names_a_pegawai_or_a_unor() -> None:
    with pytest.raises(ValueError):
        directory(PagedStub(1)).plt()
