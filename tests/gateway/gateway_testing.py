"""Small in-memory fakes of the identity and org services (real gRPC servers on port 0) for gateway tests."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import grpc

from gateway.settings import GatewaySettings
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.context import (
    ROLE_ADMIN_BKN,
    ROLE_ADMIN_INSTANSI,
    ROLE_PEGAWAI,
    Principal,
    current_principal,
)
from kinerja_kit.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied, Unauthenticated
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


class Counting:
    """Counts the calls of every RPC, so tests can see how many calls one query cost."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def count(self, method: str) -> None:
        with self._lock:
            self.calls[method] += 1


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
    """Org with tenancy by the caller's principal, paging by offset, and a few validation rules."""

    def __init__(self) -> None:
        Counting.__init__(self)
        self.data = OrgData()

    # ---- seeding ----
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
        self.count("BatchGetUnor")
        return org_pb2.BatchGetUnorResponse(unor=self._mine(self.data.unor, request.ids))

    def ListUnor(self, request: Any, context: Any) -> org_pb2.ListUnorResponse:
        self.count("ListUnor")
        tenant = _tenant()
        return org_pb2.ListUnorResponse(unor=[u for u in self.data.unor.values() if u.instansi_id == tenant])

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
        self.count("BatchGetPegawai")
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
        size = request.page_size or 20
        if size > 100:
            raise InvalidArgument([FieldViolation("page_size", "PAGE_SIZE_TOO_LARGE", "Maksimal 100.")])
        offset = int(request.page_token or 0)
        page = items[offset : offset + size]
        next_token = str(offset + size) if offset + size < len(items) else ""
        return org_pb2.SearchPegawaiResponse(pegawai=page, next_page_token=next_token, total_count=len(items))

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
        return org_pb2.ListPltResponse(plt=[p for p in self.data.plt.values() if p.instansi_id == tenant])

    # ---- relations ----
    def _relations(self, pegawai: org_pb2.Pegawai, as_of: str) -> org_pb2.Relations:
        same_unor = [
            p for p in self.data.pegawai.values() if p.unor_id == pegawai.unor_id and p.id != pegawai.id
        ]
        head = next((p for p in same_unor if p.pimpinan), None)
        relations = org_pb2.Relations(pegawai_id=pegawai.id, as_of=as_of or "2026-01-01")
        if pegawai.pimpinan:
            relations.bawahan_ids.extend(p.id for p in same_unor)
        else:
            relations.atasan_langsung_id = head.id if head else ""
            relations.rekan_kerja_ids.extend(p.id for p in same_unor if not p.pimpinan)
        return relations

    def GetRelations(self, request: Any, context: Any) -> org_pb2.Relations:
        self.count("GetRelations")
        return self._relations(
            self._one(self.data.pegawai, request.pegawai_id, "PEGAWAI_NOT_FOUND"), request.as_of
        )

    def BatchGetRelations(self, request: Any, context: Any) -> org_pb2.BatchGetRelationsResponse:
        self.count("BatchGetRelations")
        found = self._mine(self.data.pegawai, request.pegawai_ids)
        return org_pb2.BatchGetRelationsResponse(relations=[self._relations(p, request.as_of) for p in found])

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
        self.count("BatchGetAccounts")
        principal = _principal()
        tenant = _tenant()
        if len(request.usernames) > 1000:
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


def start_fake_servers(
    org: FakeOrg, identity: FakeIdentity, verifier: TokenVerifier
) -> tuple[list[grpc.Server], str, str]:
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
    org_server.start()
    identity_server.start()
    return [org_server, identity_server], f"127.0.0.1:{identity_port}", f"127.0.0.1:{org_port}"


def gateway_settings(
    identity_addr: str, org_addr: str, signer: TokenSigner, **overrides: Any
) -> GatewaySettings:
    """Settings of a gateway over the given services, verifying tokens of the test signer."""
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
