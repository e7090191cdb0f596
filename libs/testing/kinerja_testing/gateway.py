"""Small in-memory fakes of the identity, org and skp services (real gRPC servers on port 0) for gateway tests."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf.message import Message

from gateway.settings import GatewaySettings
from kinerja.angka_kredit.v1 import angka_kredit_pb2, angka_kredit_pb2_grpc
from kinerja.assessment.v1 import assessment_pb2
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.context import (
    ROLE_ADMIN_BKN,
    ROLE_ADMIN_INSTANSI,
    ROLE_PEGAWAI,
    Principal,
    current_principal,
)
from kinerja_kit.errors import (
    DomainError,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from kinerja_kit.grpc_server import create_server
from kinerja_kit.ids import new_id
from kinerja_kit.runtime import full_method_names
from kinerja_kit.tokens import TokenSigner

Gql = Callable[..., dict[str, Any]]
TokenFactory = Callable[..., str]

ROLE_NUMBERS = {
    ROLE_PEGAWAI: identity_pb2.ROLE_PEGAWAI,
    ROLE_ADMIN_INSTANSI: identity_pb2.ROLE_ADMIN_INSTANSI,
    ROLE_ADMIN_BKN: identity_pb2.ROLE_ADMIN_BKN,
}


def _principal() -> Principal:
    principal = current_principal.get()
    if principal is None:
        raise Unauthenticated()
    return principal


def _tenant() -> str:
    return str(_principal().tenant_id)


def _require_admin() -> None:
    if not _principal().is_admin:
        raise PermissionDenied("ADMIN_ONLY", "Hanya admin.")


# As the services: at most this many ids in one Batch* call (kinerja_kit.handlers.MAX_BATCH), and lists
# count up to COUNT_LIMIT (kinerja_kit.paging.COUNT_LIMIT) and say whether they stopped there.
MAX_BATCH = 1000
COUNT_LIMIT = 1000


def _check_batch(ids: Any) -> None:
    if len(ids) > MAX_BATCH:
        raise InvalidArgument([FieldViolation("ids", "TOO_MANY", f"Paling banyak {MAX_BATCH} id sekaligus.")])


def _offset_page(items: list[Any], page_size: int, page_token: str) -> tuple[list[Any], str]:
    """A page by offset (the fakes' page token is the offset), at most 100 items as the services."""
    size = page_size or 20
    if size > 100:
        raise InvalidArgument([FieldViolation("page_size", "PAGE_SIZE_TOO_LARGE", "Maksimal 100.")])
    offset = int(page_token or 0)
    next_token = str(offset + size) if offset + size < len(items) else ""
    return items[offset : offset + size], next_token


def _bounded_page(items: list[Any], request: Any) -> tuple[list[Any], dict[str, Any]]:
    """A page of `items` by offset and the paging fields of its response, counted as the services count
    (up to COUNT_LIMIT, total_count_exact false past it)."""
    page, next_token = _offset_page(items, request.page_size, request.page_token)
    fields = {
        "next_page_token": next_token,
        "total_count": min(len(items), COUNT_LIMIT),
        "total_count_exact": len(items) <= COUNT_LIMIT,
    }
    return page, fields


class Counting:
    """Counts the calls of every RPC, so tests can see how many calls one query cost, and the number of
    ids each batch call carried (`batch_sizes`)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.batch_sizes: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def count(self, method: str) -> None:
        with self._lock:
            self.calls[method] += 1

    def count_batch(self, method: str, ids: Any) -> None:
        """Counts a Batch* call and the ids it carried; more than the services take is refused."""
        with self._lock:
            self.calls[method] += 1
            self.batch_sizes.setdefault(method, []).append(len(ids))
        _check_batch(ids)


class Recording(Counting):
    """Counts calls, keeps each RPC's last request, and raises the error a test prepared for an RPC."""

    def __init__(self) -> None:
        Counting.__init__(self)
        self.requests: dict[str, Any] = {}
        self.fail: dict[str, DomainError] = {}

    def record(self, method: str, request: Any) -> None:
        """Counts the call and keeps its request; raises the error a test prepared for it."""
        self.count(method)
        self.requests[method] = request
        error = self.fail.pop(method, None)
        if error is not None:
            raise error


@dataclass
class Seeded:
    """What `FakeOrg.seed` created in one instansi."""

    instansi_id: str
    unor_ids: list[str]
    pegawai_ids: list[str]
    head_id: str
    staff_id: str


@dataclass
class OrgData:
    instansi: dict[str, org_pb2.Instansi] = field(default_factory=dict)
    unor: dict[str, org_pb2.Unor] = field(default_factory=dict)
    pegawai: dict[str, org_pb2.Pegawai] = field(default_factory=dict)
    plt: dict[str, org_pb2.Plt] = field(default_factory=dict)


class FakeOrg(org_pb2_grpc.OrgServiceServicer, Counting):
    """Org with tenancy by the caller's principal, paging by offset, and a few validation rules; the
    last request of some RPCs is kept (`requests`)."""

    def __init__(self) -> None:
        Counting.__init__(self)
        self.data = OrgData()
        self.requests: dict[str, Any] = {}
        # RPCs answering as a server without them (UNIMPLEMENTED), as an older org would.
        self.unimplemented: set[str] = set()

    def _implemented(self, method: str, context: Any) -> None:
        if method in self.unimplemented:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "Method not implemented!")

    # ---- seeding ----
    def seed_head_with_bawahan(self, bawahan: int) -> Seeded:
        """An instansi with one unor: its head and `bawahan` staff (named "Bawahan 00000", ...)."""
        seeded = self.seed(pegawai=1, unor=1)
        unor_id = seeded.unor_ids[0]
        for i in range(bawahan):
            pid = str(new_id())
            self.data.pegawai[pid] = org_pb2.Pegawai(
                id=pid,
                instansi_id=seeded.instansi_id,
                nip=f"19900101202001{i % 10000:04d}",
                nama=f"Bawahan {i:05d}",
                unor_id=unor_id,
                active=True,
                version=1,
            )
            seeded.pegawai_ids.append(pid)
        seeded.staff_id = seeded.pegawai_ids[-1]
        return seeded

    def seed_tree(self, children: list[int]) -> tuple[str, list[list[str]]]:
        """An instansi whose one root has `children[0]` children, each of which `children[1]`, ...:
        (instansi id, the unor ids of each level, the root's level first), named by their path."""
        instansi_id = str(new_id())
        self.data.instansi[instansi_id] = org_pb2.Instansi(
            id=instansi_id, kode=f"I-{instansi_id[-6:]}", nama="Instansi Pohon", jenis="DAERAH"
        )
        root = str(new_id())
        self.data.unor[root] = org_pb2.Unor(id=root, instansi_id=instansi_id, nama="Unor 1")
        levels = [[root]]
        for count in children:
            level = []
            for parent in levels[-1]:
                for i in range(count):
                    uid = str(new_id())
                    nama = f"{self.data.unor[parent].nama}.{i + 1:03d}"
                    self.data.unor[uid] = org_pb2.Unor(
                        id=uid, instansi_id=instansi_id, nama=nama, parent_id=parent
                    )
                    level.append(uid)
            levels.append(level)
        for unor in self.data.unor.values():
            if unor.instansi_id == instansi_id:
                unor.jumlah_sub_unor = sum(1 for u in self.data.unor.values() if u.parent_id == unor.id)
        return instansi_id, levels

    def seed(self, pegawai: int = 5, unor: int = 3) -> Seeded:
        instansi_id = str(new_id())
        self.data.instansi[instansi_id] = org_pb2.Instansi(
            id=instansi_id, kode=f"I-{instansi_id[-6:]}", nama="Instansi Uji", jenis="DAERAH"
        )
        unor_ids: list[str] = []
        for i in range(unor):
            uid = str(new_id())
            parent = unor_ids[0] if unor_ids else ""
            self.data.unor[uid] = org_pb2.Unor(
                id=uid,
                instansi_id=instansi_id,
                nama=f"Unor {i}",
                parent_id=parent,
                jenis=org_pb2.JENIS_UNOR_ADMINISTRATOR,
            )
            unor_ids.append(uid)
        pegawai_ids: list[str] = []
        for i in range(pegawai):
            pid = str(new_id())
            self.data.pegawai[pid] = org_pb2.Pegawai(
                id=pid,
                instansi_id=instansi_id,
                nip=f"19900101202001{i:04d}",
                nama=f"Pegawai {i:03d}",
                unor_id=unor_ids[i % len(unor_ids)] if i else unor_ids[0],
                pimpinan=i == 0,
                jabatan=org_pb2.Jabatan(
                    nama="Analis", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL, jenjang="Ahli Pertama"
                ),
                golongan="III/a",
                pangkat="Penata Muda",
                tmt_jabatan="2020-01-01",
                active=True,
                version=1,
            )
            pegawai_ids.append(pid)
        staff = (
            next(p for p in pegawai_ids[1:] if self.data.pegawai[p].unor_id == unor_ids[0])
            if pegawai > 3
            else pegawai_ids[-1]
        )
        return Seeded(instansi_id, unor_ids, pegawai_ids, pegawai_ids[0], staff)

    def _mine(self, table: dict[str, Any], ids: Iterable[str]) -> list[Any]:
        tenant = _tenant()
        return [table[i] for i in ids if i in table and table[i].instansi_id == tenant]

    def _one(self, table: dict[str, Any], key: str, reason: str) -> Any:
        found = self._mine(table, [key])
        if not found:
            raise NotFound(reason, "Data tidak ditemukan.")
        return found[0]

    # ---- instansi ----
    def CreateInstansi(self, request: Any, context: Any) -> org_pb2.Instansi:
        self.count("CreateInstansi")
        if not _principal().is_admin_bkn:
            raise PermissionDenied("ADMIN_BKN_ONLY", "Hanya admin BKN.")
        v = []
        if not request.nama.strip():
            v.append(FieldViolation("nama", "REQUIRED", "Nama wajib diisi."))
        if not request.kode.strip():
            v.append(FieldViolation("kode", "REQUIRED", "Kode wajib diisi."))
        if v:
            raise InvalidArgument(v)
        iid = str(new_id())
        self.data.instansi[iid] = org_pb2.Instansi(
            id=iid, kode=request.kode, nama=request.nama, jenis=request.jenis
        )
        return self.data.instansi[iid]

    def GetInstansi(self, request: Any, context: Any) -> org_pb2.Instansi:
        self.count("GetInstansi")
        if request.id != _tenant() or request.id not in self.data.instansi:
            raise NotFound("INSTANSI_NOT_FOUND", "Instansi tidak ditemukan.")
        return self.data.instansi[request.id]

    def ListInstansi(self, request: Any, context: Any) -> org_pb2.ListInstansiResponse:
        self.count("ListInstansi")
        principal = _principal()
        items = [
            i
            for i in self.data.instansi.values()
            if principal.is_admin_bkn or i.id == str(principal.tenant_id)
        ]
        return org_pb2.ListInstansiResponse(instansi=items)

    # ---- unor ----
    def CreateUnor(self, request: Any, context: Any) -> org_pb2.Unor:
        self.count("CreateUnor")
        _require_admin()
        v = []
        if not request.unor.nama.strip():
            v.append(FieldViolation("unor.nama", "REQUIRED", "Nama unor wajib diisi."))
        if request.unor.parent_id and not self._mine(self.data.unor, [request.unor.parent_id]):
            v.append(FieldViolation("unor.parent_id", "UNOR_NOT_FOUND", "Unor atasan tidak ditemukan."))
        if v:
            raise InvalidArgument(v)
        uid = str(new_id())
        u = request.unor
        self.data.unor[uid] = org_pb2.Unor(
            id=uid,
            instansi_id=_tenant(),
            nama=u.nama,
            jenis=u.jenis,
            parent_id=u.parent_id,
            kota=u.kota,
            version=1,
        )
        return self.data.unor[uid]

    def UpdateUnor(self, request: Any, context: Any) -> org_pb2.Unor:
        self.count("UpdateUnor")
        _require_admin()
        unor = self._one(self.data.unor, request.id, "UNOR_NOT_FOUND")
        unor.nama = request.unor.nama
        return unor

    def DeleteUnor(self, request: Any, context: Any) -> org_pb2.DeleteUnorResponse:
        self.count("DeleteUnor")
        _require_admin()
        self._one(self.data.unor, request.id, "UNOR_NOT_FOUND")
        del self.data.unor[request.id]
        return org_pb2.DeleteUnorResponse()

    def GetUnor(self, request: Any, context: Any) -> org_pb2.Unor:
        self.count("GetUnor")
        return self._one(self.data.unor, request.id, "UNOR_NOT_FOUND")

    def BatchGetUnor(self, request: Any, context: Any) -> org_pb2.BatchGetUnorResponse:
        self.count_batch("BatchGetUnor", request.ids)
        return org_pb2.BatchGetUnorResponse(unor=self._mine(self.data.unor, request.ids))

    def ListUnor(self, request: Any, context: Any) -> org_pb2.ListUnorResponse:
        """The tree (seeding order: parents first), or the subtree of root_id, depth levels deep;
        a query keeps the matches and their ancestors."""
        self.count("ListUnor")
        tenant = _tenant()
        mine = [u for u in self.data.unor.values() if u.instansi_id == tenant]
        if request.root_id:
            self._one(self.data.unor, request.root_id, "UNOR_NOT_FOUND")
        level: dict[str, int] = {}
        for unor in mine:  # parents come first
            if request.root_id:
                if unor.id == request.root_id:
                    level[unor.id] = 0
                elif unor.parent_id in level:
                    level[unor.id] = level[unor.parent_id] + 1
            else:
                level[unor.id] = level[unor.parent_id] + 1 if unor.parent_id else 0
        limit = request.depth - 1 if not request.root_id else request.depth
        chosen = [u for u in mine if u.id in level and (not request.depth or level[u.id] <= limit)]
        if request.query:
            by_id = {u.id: u for u in chosen}
            keep: set[str] = set()
            for unor in chosen:
                if request.query.lower() in unor.nama.lower():
                    current: org_pb2.Unor | None = unor
                    while current is not None and current.id not in keep:
                        keep.add(current.id)
                        current = by_id.get(current.parent_id)
            chosen = [u for u in chosen if u.id in keep]
        return org_pb2.ListUnorResponse(unor=chosen)

    def ListUnorChildren(self, request: Any, context: Any) -> org_pb2.ListUnorChildrenResponse:
        self.count("ListUnorChildren")
        self._implemented("ListUnorChildren", context)
        tenant = _tenant()
        if request.parent_id:
            self._one(self.data.unor, request.parent_id, "UNOR_NOT_FOUND")
        items = sorted(
            (
                u
                for u in self.data.unor.values()
                if u.instansi_id == tenant and u.parent_id == request.parent_id
            ),
            key=lambda u: (u.nama, u.id),
        )
        page, fields = _bounded_page(items, request)
        return org_pb2.ListUnorChildrenResponse(unor=page, **fields)

    # ---- pegawai ----
    def CreatePegawai(self, request: Any, context: Any) -> org_pb2.Pegawai:
        self.count("CreatePegawai")
        _require_admin()
        p = request.pegawai
        v = []
        if len(p.nip) != 18 or not p.nip.isdigit():
            v.append(FieldViolation("pegawai.nip", "NIP_INVALID", "NIP harus 18 digit angka."))
        if not p.nama.strip():
            v.append(FieldViolation("pegawai.nama", "REQUIRED", "Nama wajib diisi."))
        if not self._mine(self.data.unor, [p.unor_id]):
            v.append(FieldViolation("pegawai.unor_id", "UNOR_NOT_FOUND", "Unor tidak ditemukan."))
        if v:
            raise InvalidArgument(v)
        pid = str(new_id())
        self.data.pegawai[pid] = org_pb2.Pegawai(
            id=pid,
            instansi_id=_tenant(),
            nip=p.nip,
            nama=p.nama,
            unor_id=p.unor_id,
            jabatan=p.jabatan,
            active=True,
            version=1,
        )
        return self.data.pegawai[pid]

    def UpdatePegawai(self, request: Any, context: Any) -> org_pb2.Pegawai:
        self.count("UpdatePegawai")
        _require_admin()
        pegawai = self._one(self.data.pegawai, request.id, "PEGAWAI_NOT_FOUND")
        pegawai.nama = request.pegawai.nama
        return pegawai

    def RemovePegawai(self, request: Any, context: Any) -> org_pb2.RemovePegawaiResponse:
        self.count("RemovePegawai")
        _require_admin()
        self._one(self.data.pegawai, request.id, "PEGAWAI_NOT_FOUND")
        del self.data.pegawai[request.id]
        return org_pb2.RemovePegawaiResponse()

    def GetPegawai(self, request: Any, context: Any) -> org_pb2.Pegawai:
        self.count("GetPegawai")
        return self._one(self.data.pegawai, request.id, "PEGAWAI_NOT_FOUND")

    def GetPegawaiByNip(self, request: Any, context: Any) -> org_pb2.Pegawai:
        self.count("GetPegawaiByNip")
        if request.nip == "boom":
            raise RuntimeError("database exploded at /srv/secret/path.py line 42")
        tenant = _tenant()
        for p in self.data.pegawai.values():
            if p.nip == request.nip and p.instansi_id == tenant:
                return p
        raise NotFound("PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan.")

    def BatchGetPegawai(self, request: Any, context: Any) -> org_pb2.BatchGetPegawaiResponse:
        self.count_batch("BatchGetPegawai", request.ids)
        return org_pb2.BatchGetPegawaiResponse(pegawai=self._mine(self.data.pegawai, request.ids))

    def SearchPegawai(self, request: Any, context: Any) -> org_pb2.SearchPegawaiResponse:
        self.count("SearchPegawai")
        tenant = _tenant()
        items = sorted(
            (
                p
                for p in self.data.pegawai.values()
                if p.instansi_id == tenant and request.query.lower() in p.nama.lower()
            ),
            key=lambda p: (p.nama, p.id),
        )
        if request.unor_id:
            items = [p for p in items if p.unor_id == request.unor_id]
        if request.only_pimpinan:
            items = [p for p in items if p.pimpinan]
        page, fields = _bounded_page(items, request)
        return org_pb2.SearchPegawaiResponse(pegawai=page, **fields)

    def AddJptNonAsn(self, request: Any, context: Any) -> org_pb2.Pegawai:
        self.count("AddJptNonAsn")
        _require_admin()
        if len(request.nik) != 16:
            raise InvalidArgument([FieldViolation("nik", "NIK_INVALID", "NIK harus 16 digit.")])
        pid = str(new_id())
        self.data.pegawai[pid] = org_pb2.Pegawai(
            id=pid,
            instansi_id=_tenant(),
            nik=request.nik,
            nama=request.nama,
            unor_id=request.unor_id,
            non_asn=True,
            active=True,
        )
        return self.data.pegawai[pid]

    # ---- PLT ----
    def CreatePlt(self, request: Any, context: Any) -> org_pb2.Plt:
        self.count("CreatePlt")
        _require_admin()
        self._one(self.data.pegawai, request.plt.pegawai_id, "PEGAWAI_NOT_FOUND")
        pid = str(new_id())
        p = request.plt
        self.data.plt[pid] = org_pb2.Plt(
            id=pid,
            instansi_id=_tenant(),
            pegawai_id=p.pegawai_id,
            unor_id=p.unor_id,
            jabatan=p.jabatan,
            jenis=p.jenis,
            tanggal_mulai=p.tanggal_mulai,
            tanggal_selesai=p.tanggal_selesai,
            aktif=p.aktif,
            version=1,
        )
        return self.data.plt[pid]

    def UpdatePlt(self, request: Any, context: Any) -> org_pb2.Plt:
        self.count("UpdatePlt")
        _require_admin()
        plt = self._one(self.data.plt, request.id, "PLT_NOT_FOUND")
        plt.jabatan = request.plt.jabatan
        return plt

    def DeletePlt(self, request: Any, context: Any) -> org_pb2.DeletePltResponse:
        self.count("DeletePlt")
        _require_admin()
        self._one(self.data.plt, request.id, "PLT_NOT_FOUND")
        del self.data.plt[request.id]
        return org_pb2.DeletePltResponse()

    def ListPlt(self, request: Any, context: Any) -> org_pb2.ListPltResponse:
        self.count("ListPlt")
        tenant = _tenant()
        # only_active is not applied: the fake has no "today" of its own (the service's rule is tested there)
        items = sorted(
            (
                p
                for p in self.data.plt.values()
                if p.instansi_id == tenant
                and request.pegawai_id in ("", p.pegawai_id)
                and request.unor_id in ("", p.unor_id)
            ),
            key=lambda p: (p.tanggal_mulai, p.id),
            reverse=True,
        )
        page, fields = _bounded_page(items, request)
        return org_pb2.ListPltResponse(plt=page, **fields)

    # ---- relations ----
    # The head of a unor leads everyone else in it (bawahan); the others are each other's rekan kerja.
    def _related(self, pegawai: org_pb2.Pegawai, kind: int) -> list[org_pb2.Pegawai]:
        same_unor = [
            p for p in self.data.pegawai.values() if p.unor_id == pegawai.unor_id and p.id != pegawai.id
        ]
        if kind == org_pb2.RELATED_KIND_BAWAHAN:
            return same_unor if pegawai.pimpinan else []
        return [] if pegawai.pimpinan else [p for p in same_unor if not p.pimpinan]

    def _relations(self, pegawai: org_pb2.Pegawai, as_of: str, omit_lists: bool = False) -> org_pb2.Relations:
        relations = org_pb2.Relations(pegawai_id=pegawai.id, as_of=as_of or "2026-01-01")
        if not pegawai.pimpinan:
            head = next(
                (
                    p
                    for p in self.data.pegawai.values()
                    if p.unor_id == pegawai.unor_id and p.pimpinan and p.id != pegawai.id
                ),
                None,
            )
            relations.atasan_langsung_id = head.id if head else ""
        if not omit_lists:
            relations.bawahan_ids.extend(p.id for p in self._related(pegawai, org_pb2.RELATED_KIND_BAWAHAN))
            relations.rekan_kerja_ids.extend(
                p.id for p in self._related(pegawai, org_pb2.RELATED_KIND_REKAN_KERJA)
            )
        return relations

    def GetRelations(self, request: Any, context: Any) -> org_pb2.Relations:
        self.count("GetRelations")
        return self._relations(
            self._one(self.data.pegawai, request.pegawai_id, "PEGAWAI_NOT_FOUND"),
            request.as_of,
            request.omit_lists,
        )

    def BatchGetRelations(self, request: Any, context: Any) -> org_pb2.BatchGetRelationsResponse:
        self.count_batch("BatchGetRelations", request.pegawai_ids)
        self.requests["BatchGetRelations"] = request
        found = self._mine(self.data.pegawai, request.pegawai_ids)
        return org_pb2.BatchGetRelationsResponse(
            relations=[self._relations(p, request.as_of, request.omit_lists) for p in found]
        )

    def ListRelated(self, request: Any, context: Any) -> org_pb2.ListRelatedResponse:
        self.count("ListRelated")
        self._implemented("ListRelated", context)
        self.requests["ListRelated"] = request
        if request.kind == org_pb2.RELATED_KIND_UNSPECIFIED:
            raise InvalidArgument([FieldViolation("kind", "REQUIRED", "Jenis relasi wajib diisi.")])
        pegawai = self._one(self.data.pegawai, request.pegawai_id, "PEGAWAI_NOT_FOUND")
        items = sorted(self._related(pegawai, request.kind), key=lambda p: (p.nama, p.id))
        page, next_token = _offset_page(items, request.page_size, request.page_token)
        return org_pb2.ListRelatedResponse(pegawai=page, next_page_token=next_token, total_count=len(items))

    def SetProfileRelations(self, request: Any, context: Any) -> org_pb2.Relations:
        self.count("SetProfileRelations")
        pegawai = self._one(self.data.pegawai, request.pegawai_id, "PEGAWAI_NOT_FOUND")
        return self._relations(pegawai, "")


@dataclass
class FakeAccount:
    account: identity_pb2.Account
    password: str


class FakeIdentity(identity_pb2_grpc.IdentityServiceServicer, Counting):
    """Identity with passwords in memory, issuing tokens with the test signer."""

    def __init__(self, signer: TokenSigner, jwks: str) -> None:
        Counting.__init__(self)
        self.signer = signer
        self.jwks = jwks
        self.accounts: dict[str, FakeAccount] = {}

    def add_account(
        self, instansi_id: str, username: str, password: str, roles: list[str], pegawai_id: str = ""
    ) -> identity_pb2.Account:
        account = identity_pb2.Account(
            id=str(new_id()),
            instansi_id=instansi_id,
            username=username,
            nama=f"Akun {username}",
            pegawai_id=pegawai_id,
            roles=[ROLE_NUMBERS[r] for r in roles],
            active=True,
            has_password=True,
            version=1,
        )
        self.accounts[username] = FakeAccount(account, password)
        return account

    def token(self, account: identity_pb2.Account) -> str:
        names = {v: k for k, v in ROLE_NUMBERS.items()}
        return self.signer.issue(
            subject=account.id,
            instansi_id=uuid.UUID(account.instansi_id),
            roles=[names[r] for r in account.roles],
            username=account.username,
            pegawai_id=uuid.UUID(account.pegawai_id) if account.pegawai_id else None,
        )

    def _by_id(self, account_id: str) -> FakeAccount:
        for entry in self.accounts.values():
            if entry.account.id == account_id and entry.account.instansi_id == _tenant():
                return entry
        raise NotFound("ACCOUNT_NOT_FOUND", "Akun tidak ditemukan.")

    def Login(self, request: Any, context: Any) -> identity_pb2.LoginResponse:
        self.count("Login")
        entry = self.accounts.get(request.username)
        if entry is None or entry.password != request.password:
            raise Unauthenticated("LOGIN_FAILED", "NIP atau kata sandi salah.")
        tokens = identity_pb2.TokenPair(
            access_token=self.token(entry.account),
            token_type="Bearer",
            expires_in=900,
            refresh_token="r-" + entry.account.id,
        )
        return identity_pb2.LoginResponse(tokens=tokens, account=entry.account)

    def RefreshToken(self, request: Any, context: Any) -> identity_pb2.LoginResponse:
        self.count("RefreshToken")
        raise Unauthenticated("REFRESH_TOKEN_INVALID", "Sesi tidak valid.")

    def Logout(self, request: Any, context: Any) -> identity_pb2.LogoutResponse:
        self.count("Logout")
        return identity_pb2.LogoutResponse()

    def GetPublicKeys(self, request: Any, context: Any) -> identity_pb2.GetPublicKeysResponse:
        self.count("GetPublicKeys")
        return identity_pb2.GetPublicKeysResponse(
            jwks_json=self.jwks, issuer=self.signer.issuer, audience=self.signer.audience
        )

    def GetCurrentAccount(self, request: Any, context: Any) -> identity_pb2.Account:
        self.count("GetCurrentAccount")
        principal = _principal()
        for entry in self.accounts.values():
            if entry.account.id == principal.subject:
                return entry.account
        return identity_pb2.Account(
            id=principal.subject,
            instansi_id=str(principal.instansi_id),
            username=principal.username,
            pegawai_id=str(principal.pegawai_id or ""),
            roles=[ROLE_NUMBERS[r] for r in sorted(principal.roles)],
            active=True,
        )

    def ChangePassword(self, request: Any, context: Any) -> identity_pb2.ChangePasswordResponse:
        self.count("ChangePassword")
        if len(request.new_password) < 8:
            raise InvalidArgument(
                [FieldViolation("new_password", "PASSWORD_TOO_SHORT", "Kata sandi minimal 8 karakter.")]
            )
        return identity_pb2.ChangePasswordResponse()

    def ResetPassword(self, request: Any, context: Any) -> identity_pb2.ResetPasswordResponse:
        self.count("ResetPassword")
        _require_admin()
        entry = self._by_id(request.account_id)
        return identity_pb2.ResetPasswordResponse(
            temporary_password="" if request.new_password else "Tmp-12345", account=entry.account
        )

    def SetRoles(self, request: Any, context: Any) -> identity_pb2.Account:
        self.count("SetRoles")
        _require_admin()
        entry = self._by_id(request.account_id)
        del entry.account.roles[:]
        entry.account.roles.extend(request.roles)
        return entry.account

    def GetAccount(self, request: Any, context: Any) -> identity_pb2.Account:
        self.count("GetAccount")
        return self._by_id(request.account_id).account

    def GetAccountByUsername(self, request: Any, context: Any) -> identity_pb2.Account:
        self.count("GetAccountByUsername")
        entry = self.accounts.get(request.username)
        if entry is None or entry.account.instansi_id != _tenant():
            raise NotFound("ACCOUNT_NOT_FOUND", "Akun tidak ditemukan.")
        return entry.account

    def BatchGetAccounts(self, request: Any, context: Any) -> identity_pb2.BatchGetAccountsResponse:
        principal = _principal()
        tenant = _tenant()
        with self._lock:
            self.calls["BatchGetAccounts"] += 1
            self.batch_sizes.setdefault("BatchGetAccounts", []).append(len(request.usernames))
        if len(request.usernames) > MAX_BATCH:
            raise InvalidArgument([FieldViolation("usernames", "TOO_MANY_IDS", "Paling banyak 1000 NIP.")])
        found: list[identity_pb2.Account] = []
        for username in dict.fromkeys(request.usernames):
            entry = self.accounts.get(username)
            if entry is None or entry.account.instansi_id != tenant:
                continue
            if not principal.is_admin and entry.account.id != principal.subject:
                continue
            found.append(entry.account)
        return identity_pb2.BatchGetAccountsResponse(accounts=found)

    def ListAccounts(self, request: Any, context: Any) -> identity_pb2.ListAccountsResponse:
        self.count("ListAccounts")
        _require_admin()
        tenant = _tenant()
        items = [e.account for e in self.accounts.values() if e.account.instansi_id == tenant]
        offset = int(request.page_token or 0)
        size = request.page_size or 20
        next_token = str(offset + size) if offset + size < len(items) else ""
        return identity_pb2.ListAccountsResponse(
            accounts=items[offset : offset + size], next_page_token=next_token
        )


@dataclass(frozen=True)
class ServiceAddrs:
    """Where the services a gateway calls listen."""

    identity: str
    org: str
    skp: str
    # Empty: the gateway's default ASSESSMENT_ADDR (tests that never reach assessment).
    assessment: str = ""
    # Empty: the gateway's default ANGKA_KREDIT_ADDR (tests that never reach angka kredit).
    angka_kredit: str = ""


# ---- skp ----

SKP_SERVICE = "kinerja.skp.v1.SkpService"
BERAKHLAK = [
    (skp_pb2.NILAI_PERILAKU_BERORIENTASI_PELAYANAN, "Berorientasi Pelayanan"),
    (skp_pb2.NILAI_PERILAKU_AKUNTABEL, "Akuntabel"),
    (skp_pb2.NILAI_PERILAKU_KOMPETEN, "Kompeten"),
    (skp_pb2.NILAI_PERILAKU_HARMONIS, "Harmonis"),
    (skp_pb2.NILAI_PERILAKU_LOYAL, "Loyal"),
    (skp_pb2.NILAI_PERILAKU_ADAPTIF, "Adaptif"),
    (skp_pb2.NILAI_PERILAKU_KOLABORATIF, "Kolaboratif"),
]


def sample_pejabat(nama: str = "Budi Santoso", pegawai_id: str = "") -> skp_pb2.Pejabat:
    return skp_pb2.Pejabat(
        pegawai_id=pegawai_id or str(new_id()),
        nip="198001012005011001",
        nama=nama,
        golongan="IV/a",
        pangkat="Pembina",
        jabatan="Kepala Bidang",
        unor_id=str(new_id()),
        unor_nama="Bidang Pengembangan",
    )


def perilaku_kerja() -> list[skp_pb2.Perilaku]:
    """The seven BerAKHLAK values, each with two lines of panduan."""
    return [
        skp_pb2.Perilaku(nilai=nilai, nama=nama, panduan=[f"Panduan {nama} 1", f"Panduan {nama} 2"])
        for nilai, nama in BERAKHLAK
    ]


def full_skp(
    instansi_id: str,
    pegawai_id: str = "",
    rhk: int = 10,
    indikator: int = 2,
    rencana_aksi: int = 1,
    tahun: int = 2026,
) -> skp_pb2.Skp:
    """A whole JA/JF SKP: `rhk` RHK with `indikator` indikator (targets, monthly targets) and
    `rencana_aksi` rencana aksi each, seven perilaku, lampiran and timestamps."""
    skp_id = str(new_id())
    periode_id = str(new_id())
    rhks = []
    for r in range(rhk):
        rhk_id = str(new_id())
        rhks.append(
            skp_pb2.Rhk(
                id=rhk_id,
                jenis=skp_pb2.JENIS_RHK_UTAMA if r < rhk - 1 else skp_pb2.JENIS_RHK_TAMBAHAN,
                teks=f"Tersusunnya dokumen kebijakan {r + 1}",
                atasan_rhk_id=str(new_id()) if r < rhk - 1 else "",
                atasan_rhk_teks="Meningkatnya kualitas kebijakan" if r < rhk - 1 else "",
                atasan_skp_id=str(new_id()) if r < rhk - 1 else "",
                tahapan=["Pengumpulan data", "Penyusunan konsep"],
                indikator=[
                    skp_pb2.Indikator(
                        id=str(new_id()),
                        rhk_id=rhk_id,
                        teks=f"Jumlah dokumen {r + 1}.{i + 1}",
                        aspek=skp_pb2.ASPEK_KUANTITAS if i % 2 == 0 else skp_pb2.ASPEK_KUALITAS,
                        target=skp_pb2.Target(min="4.50", max="6.00" if i % 2 else "4.50", satuan="dokumen"),
                        target_bulanan=["0.5", "", "1.25", "", "", "1", "", "", "1", "", "", "0.75"],
                    )
                    for i in range(indikator)
                ],
                rencana_aksi=[
                    skp_pb2.RencanaAksi(
                        id=str(new_id()),
                        rhk_id=rhk_id,
                        periode_id=periode_id,
                        teks=f"Rencana aksi {r + 1}.{a + 1}",
                        target="1.5",
                        satuan="laporan",
                    )
                    for a in range(rencana_aksi)
                ],
            )
        )
    perilaku = perilaku_kerja()
    for item in perilaku:
        item.penilai_jenis = skp_pb2.JENIS_PENILAI_ATASAN
    perilaku[0].ekspektasi = "Menjadi teladan pelayanan"
    skp = skp_pb2.Skp(
        id=skp_id,
        instansi_id=instansi_id,
        pegawai_id=pegawai_id or str(new_id()),
        unor_id=str(new_id()),
        tahun=tahun,
        tanggal_mulai=f"{tahun}-01-02",
        tanggal_selesai=f"{tahun}-12-31",
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
        model=skp_pb2.MODEL_SKP_JA_JF,
        status=skp_pb2.STATUS_SKP_DRAFT,
        pegawai=sample_pejabat("Siti Aminah", pegawai_id),
        penilai=sample_pejabat("Budi Santoso"),
        atasan_penilai=sample_pejabat("Agus Salim"),
        rhk=rhks,
        perilaku=perilaku,
        lampiran=skp_pb2.Lampiran(
            dukungan_sumber_daya=["Anggaran kegiatan"],
            skema_pertanggungjawaban=["Laporan bulanan"],
            konsekuensi=["Sesuai ketentuan", "Teguran"],
        ),
        version=3,
        jumlah_rhk=rhk,
        jumlah_indikator=rhk * indikator,
    )
    skp.created_at.FromSeconds(1_767_225_600)  # 2026-01-01T00:00:00Z
    skp.updated_at.FromSeconds(1_767_312_000)
    return skp


def sample_periode(instansi_id: str) -> skp_pb2.Periode:
    return skp_pb2.Periode(
        id=str(new_id()),
        instansi_id=instansi_id,
        nama="Januari",
        mulai="01-01",
        selesai="01-31",
        batas_pengisian="02-10",
        jenis=skp_pb2.JENIS_PERIODE_BIASA,
        version=1,
    )


def sample_perjanjian(instansi_id: str) -> skp_pb2.PerjanjianKinerja:
    return skp_pb2.PerjanjianKinerja(
        id=str(new_id()),
        instansi_id=instansi_id,
        pegawai_id=str(new_id()),
        tahun=2026,
        sasaran=[
            skp_pb2.SasaranStrategis(
                id=str(new_id()),
                teks="Meningkatnya kualitas pelayanan",
                indikator=[skp_pb2.PkIndikator(id=str(new_id()), teks="Indeks kepuasan", target="4.29")],
            )
        ],
        version=1,
    )


def sample_matriks(instansi_id: str) -> skp_pb2.MatriksPeranHasil:
    kolom = skp_pb2.MphKolom(id=str(new_id()), nama="Dokumen kebijakan")
    return skp_pb2.MatriksPeranHasil(
        id=str(new_id()),
        instansi_id=instansi_id,
        skp_id=str(new_id()),
        rhk_id=str(new_id()),
        rhk_teks="Tersusunnya kebijakan",
        pemilik=sample_pejabat(),
        tahun=2026,
        kolom=[kolom],
        anggota=[
            skp_pb2.MphAnggota(
                id=str(new_id()),
                pegawai=sample_pejabat("Siti Aminah"),
                peran_tim=skp_pb2.PERAN_TIM_ANGGOTA,
                peran=[skp_pb2.MphPeran(kolom_id=kolom.id, peran="Menyusun konsep")],
            )
        ],
        version=2,
    )


def sample_kinerja_harian() -> skp_pb2.KinerjaHarian:
    return skp_pb2.KinerjaHarian(
        id=str(new_id()),
        skp_id=str(new_id()),
        tanggal="2026-03-02",
        uraian="Menyusun konsep",
        indikator_id=str(new_id()),
        rhk_id=str(new_id()),
        realisasi="0.25",
        satuan="dokumen",
        version=1,
    )


def _samples(tenant: str) -> dict[type[Message], Callable[[], Message]]:
    """A plausible answer of each response type, for RPCs the fake only records."""
    return {
        skp_pb2.Skp: lambda: full_skp(tenant, rhk=1, indikator=1),
        skp_pb2.Periode: lambda: sample_periode(tenant),
        skp_pb2.ListPeriodeResponse: lambda: skp_pb2.ListPeriodeResponse(periode=[sample_periode(tenant)]),
        skp_pb2.PerjanjianKinerja: lambda: sample_perjanjian(tenant),
        skp_pb2.ListPerjanjianKinerjaResponse: lambda: skp_pb2.ListPerjanjianKinerjaResponse(
            perjanjian_kinerja=[sample_perjanjian(tenant)]
        ),
        skp_pb2.ListRhkAtasanResponse: lambda: skp_pb2.ListRhkAtasanResponse(
            skp=[full_skp(tenant, rhk=2, indikator=0, rencana_aksi=0)]
        ),
        skp_pb2.MatriksPeranHasil: lambda: sample_matriks(tenant),
        skp_pb2.ListMatriksPeranHasilResponse: lambda: skp_pb2.ListMatriksPeranHasilResponse(
            matriks=[sample_matriks(tenant)]
        ),
        skp_pb2.ListPeranDitugaskanResponse: lambda: skp_pb2.ListPeranDitugaskanResponse(
            peran=[
                skp_pb2.PeranDitugaskan(
                    mph_id=str(new_id()),
                    kolom_id=str(new_id()),
                    kolom_nama="Dokumen kebijakan",
                    peran="Menyusun konsep",
                    peran_tim=skp_pb2.PERAN_TIM_ANGGOTA,
                    atasan_skp_id=str(new_id()),
                    atasan_rhk_id=str(new_id()),
                    atasan_rhk_teks="Tersusunnya kebijakan",
                    atasan=sample_pejabat(),
                    tahun=2026,
                )
            ]
        ),
        skp_pb2.KinerjaHarian: sample_kinerja_harian,
        skp_pb2.ListKinerjaHarianResponse: lambda: skp_pb2.ListKinerjaHarianResponse(
            kinerja_harian=[sample_kinerja_harian()]
        ),
        skp_pb2.KesiapanPenilaian: lambda: skp_pb2.KesiapanPenilaian(
            siap=False,
            kekurangan=[
                skp_pb2.Kekurangan(
                    field="rhk[0]",
                    code="RHK_TANPA_RENCANA_AKSI",
                    message="RHK belum memiliki rencana aksi periode Triwulan 1.",
                    rhk_id=str(new_id()),
                )
            ],
        ),
        skp_pb2.RekapKinerjaBulananResponse: lambda: skp_pb2.RekapKinerjaBulananResponse(
            rekap=[
                skp_pb2.RekapBulanan(
                    indikator_id=str(new_id()),
                    rhk_id=str(new_id()),
                    bulan=3,
                    target="1.25",
                    realisasi="0.75",
                    jumlah_entri=3,
                )
            ]
        ),
    }


class FakeSkp(skp_pb2_grpc.SkpServiceServicer, Recording):
    """SKP with tenancy by the caller's principal for periode and SKP reads; every other RPC records its
    request (`requests`) and answers a sample of its response type, or the error a test set in `fail`."""

    def __init__(self) -> None:
        Recording.__init__(self)
        self.skp: dict[str, skp_pb2.Skp] = {}
        self.periode: dict[str, skp_pb2.Periode] = {}

    def seed_skp(self, instansi_id: str, **kwargs: Any) -> skp_pb2.Skp:
        skp = full_skp(instansi_id, **kwargs)
        self.skp[skp.id] = skp
        return skp

    def answer(self, method: str, request: Any, output: type[Message]) -> Message:
        self.record(method, request)
        make = _samples(_tenant()).get(output)
        return make() if make is not None else output()

    def _mine(self, ids: Iterable[str]) -> list[skp_pb2.Skp]:
        tenant = _tenant()
        return [self.skp[i] for i in ids if i in self.skp and self.skp[i].instansi_id == tenant]

    # ---- periode ----
    def ListPeriode(self, request: Any, context: Any) -> skp_pb2.ListPeriodeResponse:
        self.record("ListPeriode", request)
        tenant = _tenant()
        return skp_pb2.ListPeriodeResponse(
            periode=[p for p in self.periode.values() if p.instansi_id == tenant]
        )

    def CreatePeriode(self, request: Any, context: Any) -> skp_pb2.Periode:
        self.record("CreatePeriode", request)
        _require_admin()
        p = request.periode
        v = []
        if not p.nama.strip():
            v.append(FieldViolation("periode.nama", "REQUIRED", "Nama periode wajib diisi."))
        for name in ("mulai", "selesai", "batas_pengisian"):
            value = getattr(p, name)
            if len(value) != 5 or value[2] != "-":
                v.append(FieldViolation(f"periode.{name}", "DAY_INVALID", "Tanggal harus bb-hh."))
        if v:
            raise InvalidArgument(v)
        pid = str(new_id())
        self.periode[pid] = skp_pb2.Periode(
            id=pid,
            instansi_id=_tenant(),
            nama=p.nama,
            mulai=p.mulai,
            selesai=p.selesai,
            batas_pengisian=p.batas_pengisian,
            jenis=p.jenis,
            version=1,
        )
        return self.periode[pid]

    # ---- SKP reads ----
    def ListPerilakuKerja(self, request: Any, context: Any) -> skp_pb2.ListPerilakuKerjaResponse:
        self.record("ListPerilakuKerja", request)
        return skp_pb2.ListPerilakuKerjaResponse(perilaku=perilaku_kerja())

    def GetSkp(self, request: Any, context: Any) -> skp_pb2.Skp:
        self.record("GetSkp", request)
        found = self._mine([request.id])
        if not found:
            raise NotFound("SKP_NOT_FOUND", "SKP tidak ditemukan.")
        return found[0]

    def BatchGetSkp(self, request: Any, context: Any) -> skp_pb2.BatchGetSkpResponse:
        self.record("BatchGetSkp", request)
        with self._lock:
            self.batch_sizes.setdefault("BatchGetSkp", []).append(len(request.ids))
        _check_batch(request.ids)
        return skp_pb2.BatchGetSkpResponse(skp=self._mine(request.ids))

    def ListSkp(self, request: Any, context: Any) -> skp_pb2.ListSkpResponse:
        self.record("ListSkp", request)
        principal = _principal()
        items = [s for s in self.skp.values() if s.instansi_id == _tenant()]
        if request.scope == skp_pb2.SKP_SCOPE_SAYA:
            items = [s for s in items if s.pegawai_id == str(principal.pegawai_id or "")]
        elif request.scope == skp_pb2.SKP_SCOPE_INSTANSI:
            _require_admin()
        if request.tahun:
            items = [s for s in items if s.tahun == request.tahun]
        offset = int(request.page_token or 0)
        size = request.page_size or 20
        page = []
        for s in items[offset : offset + size]:
            summary = skp_pb2.Skp()
            summary.CopyFrom(s)
            del summary.rhk[:]
            del summary.perilaku[:]
            page.append(summary)
        next_token = str(offset + size) if offset + size < len(items) else ""
        return skp_pb2.ListSkpResponse(skp=page, next_page_token=next_token, total_count=len(items))


def _recording(method: str, output: type[Message]) -> Callable[..., Message]:
    def handler(self: FakeSkp, request: Any, context: Any) -> Message:
        return self.answer(method, request, output)

    handler.__name__ = method
    return handler


# Every RPC FakeSkp does not implement itself records its request and answers a sample.
for _method in skp_pb2.DESCRIPTOR.services_by_name["SkpService"].methods:
    if _method.name not in FakeSkp.__dict__:
        setattr(FakeSkp, _method.name, _recording(_method.name, getattr(skp_pb2, _method.output_type.name)))


def start_fake_servers(
    org: FakeOrg, identity: FakeIdentity, verifier: TokenVerifier, skp: FakeSkp | None = None
) -> tuple[list[grpc.Server], ServiceAddrs]:
    """Serves the fakes on free ports through the kit's server (the same interceptor as the real services)."""
    org_server, org_port = create_server(
        lambda s: org_pb2_grpc.add_OrgServiceServicer_to_server(org, s),
        ["kinerja.org.v1.OrgService"],
        verifier=verifier,
    )
    identity_server, identity_port = create_server(
        lambda s: identity_pb2_grpc.add_IdentityServiceServicer_to_server(identity, s),
        ["kinerja.identity.v1.IdentityService"],
        verifier=verifier,
        public_methods=full_method_names(
            "kinerja.identity.v1.IdentityService", ["Login", "RefreshToken", "GetPublicKeys"]
        ),
    )
    skp_server, skp_addr = start_fake_skp(skp or FakeSkp(), verifier)
    org_server.start()
    identity_server.start()
    addrs = ServiceAddrs(f"127.0.0.1:{identity_port}", f"127.0.0.1:{org_port}", skp_addr)
    return [org_server, identity_server, skp_server], addrs


def start_fake_skp(skp: FakeSkp, verifier: TokenVerifier) -> tuple[grpc.Server, str]:
    """Serves a FakeSkp on a free port (started)."""
    server, port = create_server(
        lambda s: skp_pb2_grpc.add_SkpServiceServicer_to_server(skp, s),
        [SKP_SERVICE],
        verifier=verifier,
    )
    server.start()
    return server, f"127.0.0.1:{port}"


def gateway_settings(
    identity_addr: str,
    org_addr: str,
    signer: TokenSigner,
    skp_addr: str | None = None,
    assessment_addr: str | None = None,
    angka_kredit_addr: str | None = None,
    **overrides: Any,
) -> GatewaySettings:
    """Settings of a gateway over the given services, verifying tokens of the test signer."""
    if skp_addr is not None:
        overrides["skp_addr"] = skp_addr
    if assessment_addr:
        overrides["assessment_addr"] = assessment_addr
    if angka_kredit_addr:
        overrides["angka_kredit_addr"] = angka_kredit_addr
    return GatewaySettings(
        identity_addr=identity_addr,
        org_addr=org_addr,
        jwt_issuer=signer.issuer,
        jwt_audience=signer.audience,
        log_json=False,
        **overrides,
    )


def error_codes(body: dict[str, Any]) -> list[str]:
    """The `extensions.code` of every GraphQL error in a response body."""
    return [e.get("extensions", {}).get("code", "") for e in body.get("errors") or []]


# ---- angka kredit ----

ANGKA_KREDIT_SERVICE = "kinerja.angka_kredit.v1.AngkaKreditService"


def nilai_ak(pecahan: str, desimal: str, tampil: str = "") -> angka_kredit_pb2.NilaiAk:
    return angka_kredit_pb2.NilaiAk(pecahan=pecahan, desimal=desimal, tampil=tampil or desimal)


def sample_pak(instansi_id: str, **kwargs: Any) -> angka_kredit_pb2.Pak:
    """A konversi PAK in draft: the form's worked example (7 months of Sangat Baik in Ahli Pertama, TMT
    jabatan 1 June) against kebutuhan 50 and 100."""
    ak = nilai_ak("175/16", "10.9375", "10.938")
    nol = nilai_ak("0", "0")

    def kumulatif(kebutuhan: str, kurang: str) -> angka_kredit_pb2.Kumulatif:
        return angka_kredit_pb2.Kumulatif(
            lama=nol,
            diperoleh=ak,
            baru=ak,
            kebutuhan=nilai_ak(kebutuhan, kebutuhan),
            terpenuhi=False,
            kekurangan=nilai_ak(kurang, kurang),
            uraian=f"10.9375 + 0 = 10.9375 dari kebutuhan {kebutuhan} (kurang {kurang})",
        )

    pak = angka_kredit_pb2.Pak(
        id=str(new_id()),
        instansi_id=instansi_id,
        sumber=angka_kredit_pb2.SUMBER_PAK_KONVERSI,
        status=angka_kredit_pb2.STATUS_PAK_DRAFT,
        tahun=2024,
        skp_id=str(new_id()),
        periode_id=str(new_id()),
        penilaian_id=str(new_id()),
        tanggal_mulai="2024-01-01",
        tanggal_selesai="2024-12-31",
        pegawai=sample_pejabat("Siti Aminah"),
        jabatan="Analis Kebijakan Ahli Pertama",
        jenjang="Ahli Pertama",
        golongan="III/a",
        tmt_jabatan="2024-06-01",
        perhitungan=angka_kredit_pb2.Perhitungan(
            predikat=assessment_pb2.PREDIKAT_SANGAT_BAIK,
            jumlah_bulan=7,
            uraian_bulan="Juni–Desember 2024 (7 bulan), dihitung sejak TMT jabatan 1 Juni 2024",
            persentase="150",
            koefisien="12.5",
            angka_kredit=ak,
            rumus="7 / 12 × 150 % × 12.5 = 10.938",
            aturan_versi="PermenPAN-RB 1/2023",
            aturan_berlaku_sejak="2023-01-01",
            aturan_sumber="Peraturan Menteri PANRB Nomor 1 Tahun 2023",
        ),
        angka_kredit=ak,
        kenaikan_pangkat=kumulatif("50", "39.0625"),
        kenaikan_jenjang=kumulatif("100", "89.0625"),
        riwayat=[
            angka_kredit_pb2.Langkah(
                aksi="DIBUAT",
                status_sesudah=angka_kredit_pb2.STATUS_PAK_DRAFT,
                alasan="Predikat akhir ditetapkan",
            )
        ],
        version=1,
    )
    pak.MergeFrom(angka_kredit_pb2.Pak(**kwargs))
    return pak


def sample_aturan() -> angka_kredit_pb2.Aturan:
    persen = [(5, "150"), (4, "100"), (3, "75"), (2, "50"), (1, "25")]
    return angka_kredit_pb2.Aturan(
        versi="PermenPAN-RB 1/2023",
        berlaku_sejak="2023-01-01",
        sumber="Peraturan Menteri PANRB Nomor 1 Tahun 2023",
        persentase=[
            angka_kredit_pb2.Aturan.Persentase(predikat=p, persentase=v)  # type: ignore[arg-type]
            for p, v in persen
        ],
        jenjang=[
            angka_kredit_pb2.Aturan.Jenjang(
                jenjang="Ahli Pertama",
                koefisien="12.5",
                kebutuhan_pangkat="50",
                kebutuhan_jenjang="100",
                jenjang_berikutnya="Ahli Muda",
            ),
            angka_kredit_pb2.Aturan.Jenjang(jenjang="Ahli Utama", koefisien="50", kebutuhan_pangkat="200"),
        ],
        cara_hitung_bulan="Sejak bulan TMT jabatan bila tanggal 1, selain itu sejak bulan berikutnya.",
    )


def _angka_kredit_samples(tenant: str) -> dict[type[Message], Callable[[], Message]]:
    return {
        angka_kredit_pb2.Pak: lambda: sample_pak(tenant),
        angka_kredit_pb2.PengaturanPak: lambda: angka_kredit_pb2.PengaturanPak(
            instansi_id=tenant,
            mode=angka_kredit_pb2.MODE_PENOMORAN_OTOMATIS,
            format_nomor="{nomor}/PAK/{tahun}",
            tempat="Jakarta",
            version=1,
        ),
        angka_kredit_pb2.Aturan: sample_aturan,
        angka_kredit_pb2.Prakiraan: lambda: angka_kredit_pb2.Prakiraan(
            pegawai=sample_pejabat("Siti Aminah"),
            jabatan="Analis Kebijakan Ahli Pertama",
            jenjang="Ahli Pertama",
            golongan="III/a",
            koefisien="12.5",
            jenjang_berikutnya="Ahli Muda",
            kumulatif_pangkat=nilai_ak("175/16", "10.9375", "10.938"),
            kumulatif_jenjang=nilai_ak("175/16", "10.9375", "10.938"),
            mulai_bulan="2025-01",
            predikat_terakhir=assessment_pb2.PREDIKAT_SANGAT_BAIK,
            skenario=[
                angka_kredit_pb2.SkenarioPrakiraan(
                    predikat=assessment_pb2.PREDIKAT_SANGAT_BAIK,
                    saat_ini=True,
                    ak_per_tahun=nilai_ak("75/4", "18.75"),
                    rumus_per_tahun="150 % × 12.5 = 18.75 per tahun",
                    kenaikan_pangkat=angka_kredit_pb2.TargetPrakiraan(
                        berlaku=True,
                        kebutuhan=nilai_ak("50", "50"),
                        kumulatif=nilai_ak("175/16", "10.9375", "10.938"),
                        kekurangan=nilai_ak("625/16", "39.0625", "39.063"),
                        bulan_dibutuhkan=25,
                        bulan_tercapai="2027-01",
                        rumus="(50 − 10.9375) × 12 / (150 % × 12.5) = ⌈25⌉ = 25 bulan → Januari 2027",
                    ),
                    kenaikan_jenjang=angka_kredit_pb2.TargetPrakiraan(berlaku=True),
                )
            ],
            aturan_versi="PermenPAN-RB 1/2023",
            aturan_sumber="Peraturan Menteri PANRB Nomor 1 Tahun 2023",
        ),
        angka_kredit_pb2.GetSkPakResponse: lambda: angka_kredit_pb2.GetSkPakResponse(
            berkas=b"%PDF-1.4\n%%EOF\n",
            nama_berkas="SK PAK.pdf",
            sha256="0" * 64,
            content_type="application/pdf",
        ),
    }


class FakeAngkaKredit(angka_kredit_pb2_grpc.AngkaKreditServiceServicer, Recording):
    """PAK reads with tenancy by the caller's principal (Get, BatchGet, List with its scopes and bounded
    count); every other RPC records its request and answers a sample, or the error a test set in `fail`."""

    def __init__(self) -> None:
        Recording.__init__(self)
        self.pak: dict[str, angka_kredit_pb2.Pak] = {}

    def seed(self, instansi_id: str, **kwargs: Any) -> angka_kredit_pb2.Pak:
        pak = sample_pak(instansi_id, **kwargs)
        self.pak[pak.id] = pak
        return pak

    def answer(self, method: str, request: Any, output: type[Message]) -> Message:
        self.record(method, request)
        make = _angka_kredit_samples(_tenant()).get(output)
        return make() if make is not None else output()

    def _mine(self) -> list[angka_kredit_pb2.Pak]:
        tenant = _tenant()
        return [p for p in self.pak.values() if p.instansi_id == tenant]

    def GetPak(self, request: Any, context: Any) -> angka_kredit_pb2.Pak:
        self.record("GetPak", request)
        found = [p for p in self._mine() if p.id == request.id]
        if not found:
            raise NotFound("PAK_NOT_FOUND", "PAK tidak ditemukan.")
        return found[0]

    def BatchGetPak(self, request: Any, context: Any) -> angka_kredit_pb2.BatchGetPakResponse:
        self.record("BatchGetPak", request)
        with self._lock:
            self.batch_sizes.setdefault("BatchGetPak", []).append(len(request.ids))
        _check_batch(request.ids)
        wanted = set(request.ids)
        return angka_kredit_pb2.BatchGetPakResponse(pak=[p for p in self._mine() if p.id in wanted])

    def ListPak(self, request: Any, context: Any) -> angka_kredit_pb2.ListPakResponse:
        self.record("ListPak", request)
        items = self._mine()
        if request.scope == angka_kredit_pb2.PAK_SCOPE_INSTANSI:
            _require_admin()
        elif request.scope == angka_kredit_pb2.PAK_SCOPE_PERSETUJUAN:
            items = [p for p in items if p.status == angka_kredit_pb2.STATUS_PAK_DIAJUKAN]
        else:
            me = str(_principal().pegawai_id or "")
            items = [p for p in items if p.pegawai.pegawai_id == me]
        if request.tahun:
            items = [p for p in items if p.tahun == request.tahun]
        if request.status:
            items = [p for p in items if p.status == request.status]
        if request.pegawai_id:
            items = [p for p in items if p.pegawai.pegawai_id == request.pegawai_id]
        page, paging = _bounded_page(items, request)
        return angka_kredit_pb2.ListPakResponse(pak=page, **paging)


def _angka_kredit_recording(method: str, output: type[Message]) -> Callable[..., Message]:
    def handler(self: FakeAngkaKredit, request: Any, context: Any) -> Message:
        return self.answer(method, request, output)

    handler.__name__ = method
    return handler


# Every RPC FakeAngkaKredit does not implement itself records its request and answers a sample.
for _method in angka_kredit_pb2.DESCRIPTOR.services_by_name["AngkaKreditService"].methods:
    if _method.name not in FakeAngkaKredit.__dict__:
        setattr(
            FakeAngkaKredit,
            _method.name,
            _angka_kredit_recording(_method.name, getattr(angka_kredit_pb2, _method.output_type.name)),
        )


def start_fake_angka_kredit(fake: FakeAngkaKredit, verifier: TokenVerifier) -> tuple[grpc.Server, str]:
    """Serves a FakeAngkaKredit on a free port (started), behind the kit's interceptor."""
    server, port = create_server(
        lambda s: angka_kredit_pb2_grpc.add_AngkaKreditServiceServicer_to_server(fake, s),
        [ANGKA_KREDIT_SERVICE],
        verifier=verifier,
    )
    server.start()
    return server, f"127.0.0.1:{port}"
