"""What services read from org (pegawai, unor, relations, PLT/PLH) over org's gRPC API, and who the
pejabat penilai of an SKP is on a given day (`PenilaiToday`), shared by skp and assessment.

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
from kinerja_kit.handlers import parse_day
from kinerja_kit.ids import parse_uuid

JPT_UNOR = (org_pb2.JENIS_UNOR_JPT_UTAMA, org_pb2.JENIS_UNOR_JPT_MADYA, org_pb2.JENIS_UNOR_JPT_PRATAMA)
JABATAN_JPT = org_pb2.JENIS_JABATAN_JPT
PLT_PAGE = 100
"""ListPlt's largest page: `plt()` reads a pegawai's or a unit's assignments in pages of this size."""


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
    # JF jenjang (e.g. "Ahli Pertama"); empty unless the jabatan is fungsional.
    jenjang: str = ""
    # TMT jabatan: the day the pegawai took up this jabatan, when org knows it.
    tmt_jabatan: date | None = None


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

    def relations(
        self, ids: Iterable[uuid.UUID], as_of: date, *, lists: bool = True
    ) -> dict[uuid.UUID, OrgRelations]:
        """Relations of `ids` on `as_of`; without `lists`, bawahan and rekan kerja stay empty (org then reads
        each pegawai's chain of atasan only, not the units they or their atasan lead)."""
        ...

    def plt(self, *, pegawai_id: uuid.UUID | None = None, unor_id: uuid.UUID | None = None) -> list[OrgPlt]:
        """Every PLT/PLH of one pegawai or one unor (one of them is required: the instansi's whole list
        is ListPlt's to page, not a directory read)."""
        ...

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
        jenjang=pb.jabatan.jenjang,
        tmt_jabatan=parse_day(pb.tmt_jabatan),
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

    def relations(
        self, ids: Iterable[uuid.UUID], as_of: date, *, lists: bool = True
    ) -> dict[uuid.UUID, OrgRelations]:
        wanted = [str(i) for i in dict.fromkeys(ids) if i is not None]
        if not wanted:
            return {}
        request = org_pb2.BatchGetRelationsRequest(
            pegawai_ids=wanted, as_of=as_of.isoformat(), omit_lists=not lists
        )
        response = self._call("BatchGetRelations", request)
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
        """Every PLT/PLH of one pegawai or one unor, newest first: ListPlt pages read to the end (a
        pegawai's or a unit's assignments, one page of `PLT_PAGE` in practice)."""
        if pegawai_id is None and unor_id is None:
            raise ValueError("plt() reads one pegawai's or one unor's assignments: name one")
        found: list[OrgPlt] = []
        token = ""
        while True:
            request = org_pb2.ListPltRequest(
                pegawai_id=str(pegawai_id) if pegawai_id else "",
                unor_id=str(unor_id) if unor_id else "",
                page_size=PLT_PAGE,
                page_token=token,
            )
            response = self._call("ListPlt", request)
            found += [
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
            token = response.next_page_token  # type: ignore[attr-defined]
            if not token:
                return found

    def heads_of(self, unor_id: uuid.UUID) -> list[OrgPegawai]:
        request = org_pb2.SearchPegawaiRequest(unor_id=str(unor_id), only_pimpinan=True, page_size=10)
        response = self._call("SearchPegawai", request)
        return [_pegawai(pb) for pb in response.pegawai]  # type: ignore[attr-defined]


class SkpOwner(Protocol):
    """What `PenilaiToday` needs of an SKP: whose it is, for which unor, and whether as PLT/PLH."""

    @property
    def pegawai_id(self) -> uuid.UUID: ...

    @property
    def unor_id(self) -> uuid.UUID: ...

    @property
    def plt_id(self) -> uuid.UUID | None: ...


def head_above(
    org: OrgDirectory, tree: dict[uuid.UUID, OrgUnor], unit_id: uuid.UUID, pegawai_id: uuid.UUID, as_of: date
) -> uuid.UUID | None:
    """The pejabat penilai of a PLT SKP for `unit_id`: the head of the nearest unor above it that has
    one, or its PLT/PLH in force on `as_of`; never the SKP's own pegawai."""
    seen = {unit_id}
    current = tree[unit_id].parent_id if unit_id in tree else None
    while current is not None and current in tree and current not in seen:
        seen.add(current)
        heads = [h for h in org.heads_of(current) if h.id != pegawai_id]
        if heads:
            return heads[0].id
        acting = [p for p in org.plt(unor_id=current) if p.in_force(as_of) and p.pegawai_id != pegawai_id]
        if acting:
            return acting[0].pegawai_id
        current = tree[current].parent_id
    return None


def acting_units(org: OrgDirectory, pegawai_id: uuid.UUID, as_of: date) -> set[uuid.UUID]:
    """The unor `pegawai_id` leads today as PLT/PLH: they approve and rate in the head's place."""
    return {p.unor_id for p in org.plt(pegawai_id=pegawai_id) if p.in_force(as_of)}


class PenilaiToday:
    """Who the pejabat penilai of SKPs is on one day, from org as it stands that day, never from the SKP's
    snapshot: for an SKP of the pegawai's own unit, org's atasan langsung of the pegawai (which already
    follows PLT/PLH in force, moves and profile overrides); for a PLT SKP, the head above its unit today.

    Reads org as little as it can and remembers what it read: one BatchGetRelations for the pegawai of
    any number of SKPs (`prepare`), the unor tree once, the walk above a PLT unit once per unit."""

    def __init__(self, org: OrgDirectory, as_of: date) -> None:
        self.org = org
        self.as_of = as_of
        self._atasan: dict[uuid.UUID, uuid.UUID | None] = {}
        self._led: dict[uuid.UUID, frozenset[uuid.UUID]] = {}
        self._bawahan: dict[uuid.UUID, frozenset[uuid.UUID]] = {}
        self._tree: dict[uuid.UUID, OrgUnor] | None = None
        self._above: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID | None] = {}
        self._acting: dict[uuid.UUID, frozenset[uuid.UUID]] = {}

    def prepare(self, skps: Iterable[SkpOwner]) -> None:
        """Reads the atasan langsung of the pegawai of these SKPs (their own unit's) in one call."""
        self._relations({s.pegawai_id for s in skps if s.plt_id is None} - self._atasan.keys(), lists=False)

    def penilai_of(self, skp: SkpOwner) -> uuid.UUID | None:
        """The pejabat penilai of `skp` today; None when there is none (or org no longer knows its pegawai)."""
        if skp.plt_id is None:
            self.prepare([skp])
            return self._atasan.get(skp.pegawai_id)
        key = (skp.unor_id, skp.pegawai_id)
        if key not in self._above:
            if self._tree is None:
                self._tree = self.org.all_unor()
            self._above[key] = head_above(self.org, self._tree, skp.unor_id, skp.pegawai_id, self.as_of)
        return self._above[key]

    def acting_units(self, pegawai_id: uuid.UUID | None) -> frozenset[uuid.UUID]:
        """The unor `pegawai_id` leads this day as PLT/PLH in force (read once per pegawai; none for
        an account without a pegawai)."""
        if pegawai_id is None:
            return frozenset()
        if pegawai_id not in self._acting:
            self._acting[pegawai_id] = frozenset(acting_units(self.org, pegawai_id, self.as_of))
        return self._acting[pegawai_id]

    def led_units(self, pegawai_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
        """The unor each of `pegawai_ids` leads today, definitively or as PLT/PLH in force (one call for
        those not read yet)."""
        wanted = set(pegawai_ids)
        self._relations(wanted - self._led.keys(), lists=False)
        return {i: self._led.get(i, frozenset()) for i in wanted}

    def bawahan_of(self, pegawai_id: uuid.UUID) -> frozenset[uuid.UUID]:
        """`pegawai_id`'s bawahan this day (from the same relations read as `led_units`)."""
        self._relations({pegawai_id} - self._bawahan.keys(), lists=True)
        return self._bawahan.get(pegawai_id, frozenset())

    def _relations(self, wanted: set[uuid.UUID], *, lists: bool) -> None:
        """One relations read for `wanted`; the bawahan are kept only from a read with lists."""
        if not wanted:
            return
        found = self.org.relations(wanted, self.as_of, lists=lists)
        for pegawai_id in wanted:
            relations = found.get(pegawai_id)
            self._atasan[pegawai_id] = relations.atasan_langsung_id if relations else None
            self._led[pegawai_id] = frozenset(relations.memimpin_unor_ids) if relations else frozenset()
            if lists:
                self._bawahan[pegawai_id] = relations.bawahan_ids if relations else frozenset()
