"""What the skp service reads from org (pegawai, unor, relations, PLT/PLH), over org's gRPC API.

Calls carry the caller's own token (the kit's forwarding channel), so org applies the same tenancy.
`OrgDirectory` is the port; tests may hand a small fake with the same methods.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import grpc

from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja_kit.errors import DomainError, Unavailable, from_rpc_error
from kinerja_kit.grpc_client import channel
from kinerja_kit.ids import parse_uuid

JPT_UNOR = (org_pb2.JENIS_UNOR_JPT_UTAMA, org_pb2.JENIS_UNOR_JPT_MADYA, org_pb2.JENIS_UNOR_JPT_PRATAMA)
JABATAN_JPT = org_pb2.JENIS_JABATAN_JPT


@dataclass(frozen=True)
class OrgPegawai:
    id: uuid.UUID
    nip: str
    nama: str
    unor_id: uuid.UUID
    pimpinan: bool
    jabatan: str
    jabatan_jenis: int
    golongan: str
    pangkat: str
    active: bool


@dataclass(frozen=True)
class OrgUnor:
    id: uuid.UUID
    nama: str
    jenis: int
    parent_id: uuid.UUID | None
    mandiri: bool

    @property
    def is_jpt(self) -> bool:
        return self.jenis in JPT_UNOR


@dataclass(frozen=True)
class OrgRelations:
    pegawai_id: uuid.UUID
    atasan_langsung_id: uuid.UUID | None
    atasan_ii_id: uuid.UUID | None
    bawahan_ids: frozenset[uuid.UUID]
    rekan_kerja_ids: frozenset[uuid.UUID]
    memimpin_unor_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class OrgPlt:
    id: uuid.UUID
    pegawai_id: uuid.UUID
    unor_id: uuid.UUID
    jabatan: str
    tanggal_mulai: date
    tanggal_selesai: date
    aktif: bool

    def in_force(self, day: date) -> bool:
        return self.aktif and self.tanggal_mulai <= day <= self.tanggal_selesai


class OrgDirectory(Protocol):
    def pegawai(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, OrgPegawai]: ...

    def pegawai_by_nip(self, nip: str) -> OrgPegawai | None: ...

    def unor(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, OrgUnor]: ...

    def all_unor(self) -> dict[uuid.UUID, OrgUnor]: ...

    def relations(self, ids: Iterable[uuid.UUID], as_of: date) -> dict[uuid.UUID, OrgRelations]: ...

    def plt(
        self, *, pegawai_id: uuid.UUID | None = None, unor_id: uuid.UUID | None = None
    ) -> list[OrgPlt]: ...

    def heads_of(self, unor_id: uuid.UUID) -> list[OrgPegawai]: ...


def _id(value: str) -> uuid.UUID | None:
    return parse_uuid(value) if value else None


def _pegawai(pb: org_pb2.Pegawai) -> OrgPegawai:
    return OrgPegawai(
        id=uuid.UUID(pb.id),
        nip=pb.nip or pb.nik,
        nama=pb.nama,
        unor_id=uuid.UUID(pb.unor_id),
        pimpinan=pb.pimpinan,
        jabatan=pb.jabatan.nama,
        jabatan_jenis=int(pb.jabatan.jenis),
        golongan=pb.golongan,
        pangkat=pb.pangkat,
        active=pb.active,
    )


def _unor(pb: org_pb2.Unor) -> OrgUnor:
    return OrgUnor(uuid.UUID(pb.id), pb.nama, int(pb.jenis), _id(pb.parent_id), pb.mandiri)


class GrpcOrgDirectory:
    """The org service over gRPC, called on behalf of the current caller."""

    def __init__(self, target: str, timeout: float = 10.0) -> None:
        self._channel = channel(target, timeout)
        self._stub = org_pb2_grpc.OrgServiceStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    def _call(self, method: str, request: object) -> object:
        try:
            return getattr(self._stub, method)(request)
        except grpc.RpcError as exc:
            domain = from_rpc_error(exc)
            if domain is not None:
                raise domain from None
            raise Unavailable(
                "ORG_UNAVAILABLE",
                "Data organisasi tidak dapat dibaca saat ini. Silakan coba beberapa saat lagi.",
            ) from exc

    def pegawai(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, OrgPegawai]:
        wanted = [str(i) for i in dict.fromkeys(ids) if i is not None]
        if not wanted:
            return {}
        response = self._call("BatchGetPegawai", org_pb2.BatchGetPegawaiRequest(ids=wanted))
        return {p.id: p for p in (_pegawai(pb) for pb in response.pegawai)}  # type: ignore[attr-defined]

    def pegawai_by_nip(self, nip: str) -> OrgPegawai | None:
        try:
            found = self._call("GetPegawaiByNip", org_pb2.GetPegawaiByNipRequest(nip=nip))
        except DomainError as err:
            if err.grpc_code == grpc.StatusCode.NOT_FOUND:
                return None
            raise
        return _pegawai(found)  # type: ignore[arg-type]

    def unor(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, OrgUnor]:
        wanted = [str(i) for i in dict.fromkeys(ids) if i is not None]
        if not wanted:
            return {}
        response = self._call("BatchGetUnor", org_pb2.BatchGetUnorRequest(ids=wanted))
        return {u.id: u for u in (_unor(pb) for pb in response.unor)}  # type: ignore[attr-defined]

    def all_unor(self) -> dict[uuid.UUID, OrgUnor]:
        response = self._call("ListUnor", org_pb2.ListUnorRequest())
        return {u.id: u for u in (_unor(pb) for pb in response.unor)}  # type: ignore[attr-defined]

    def relations(self, ids: Iterable[uuid.UUID], as_of: date) -> dict[uuid.UUID, OrgRelations]:
        wanted = [str(i) for i in dict.fromkeys(ids) if i is not None]
        if not wanted:
            return {}
        response = self._call(
            "BatchGetRelations", org_pb2.BatchGetRelationsRequest(pegawai_ids=wanted, as_of=as_of.isoformat())
        )
        result = {}
        for pb in response.relations:  # type: ignore[attr-defined]
            item = OrgRelations(
                pegawai_id=uuid.UUID(pb.pegawai_id),
                atasan_langsung_id=_id(pb.atasan_langsung_id),
                atasan_ii_id=_id(pb.atasan_ii_id),
                bawahan_ids=frozenset(uuid.UUID(i) for i in pb.bawahan_ids),
                rekan_kerja_ids=frozenset(uuid.UUID(i) for i in pb.rekan_kerja_ids),
                memimpin_unor_ids=tuple(uuid.UUID(i) for i in pb.memimpin_unor_ids),
            )
            result[item.pegawai_id] = item
        return result

    def plt(self, *, pegawai_id: uuid.UUID | None = None, unor_id: uuid.UUID | None = None) -> list[OrgPlt]:
        request = org_pb2.ListPltRequest(
            pegawai_id=str(pegawai_id) if pegawai_id else "", unor_id=str(unor_id) if unor_id else ""
        )
        response = self._call("ListPlt", request)
        return [
            OrgPlt(
                id=uuid.UUID(pb.id),
                pegawai_id=uuid.UUID(pb.pegawai_id),
                unor_id=uuid.UUID(pb.unor_id),
                jabatan=pb.jabatan,
                tanggal_mulai=date.fromisoformat(pb.tanggal_mulai),
                tanggal_selesai=date.fromisoformat(pb.tanggal_selesai),
                aktif=pb.aktif,
            )
            for pb in response.plt  # type: ignore[attr-defined]
        ]

    def heads_of(self, unor_id: uuid.UUID) -> list[OrgPegawai]:
        request = org_pb2.SearchPegawaiRequest(unor_id=str(unor_id), only_pimpinan=True, page_size=10)
        response = self._call("SearchPegawai", request)
        return [_pegawai(pb) for pb in response.pegawai]  # type: ignore[attr-defined]
