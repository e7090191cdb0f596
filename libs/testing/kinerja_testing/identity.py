"""Helpers of the identity tests: call metadata, error unpacking, account factory, login."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from identity.adapters.repository import AccountRepository
from identity.domain.model import Account
from identity.service_layer.deps import Deps
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.context import ROLE_PEGAWAI
from kinerja_kit.ids import new_id
from kinerja_testing.platform import md, random_nip, rpc_error  # noqa: F401  (re-exported for the identity tests)

ADMIN_BKN_NIP = "198001012005011001"
ADMIN_BKN_PASSWORD = "Pohon-Beringin-Rindang-63"
PASSWORD = "Sandi12345"


@dataclass
class Factory:
    """Creates accounts straight in the database (as the consumer or a reset would)."""

    deps: Deps

    def account(
        self,
        instansi: uuid.UUID,
        *,
        roles: set[str] | None = None,
        password: str | None = PASSWORD,
        username: str | None = None,
        pegawai_id: uuid.UUID | None = None,
        nama: str = "Pegawai Uji",
        active: bool = True,
    ) -> Account:
        account = Account(
            id=new_id(),
            instansi_id=instansi,
            username=username or random_nip(),
            nama=nama,
            pegawai_id=pegawai_id,
            roles=frozenset(roles or {ROLE_PEGAWAI}),
            active=active,
            password_hash=self.deps.hasher.hash(password) if password else None,
        )
        with self.deps.uow.transaction(tenant=instansi) as tx:
            AccountRepository(tx.session).add(account)
            tx.commit()
        return account

    def load(self, account: Account) -> Account:
        with self.deps.uow.transaction(tenant=account.instansi_id) as tx:
            found = AccountRepository(tx.session).get(account.id)
        assert found is not None
        return found

    def query(self, tenant: uuid.UUID | None, sql: str, **params: Any) -> list[Any]:
        """Runs SQL as the runtime role with `tenant` set (RLS applies)."""
        with self.deps.uow.transaction(tenant=tenant) as tx:
            return list(tx.session.execute(text(sql), params).all())

    def execute(self, tenant: uuid.UUID, sql: str, **params: Any) -> None:
        with self.deps.uow.transaction(tenant=tenant) as tx:
            tx.session.execute(text(sql), params)
            tx.commit()


def login(
    stub: identity_pb2_grpc.IdentityServiceStub, username: str, password: str = PASSWORD
) -> identity_pb2.LoginResponse:
    response: identity_pb2.LoginResponse = stub.Login(
        identity_pb2.LoginRequest(username=username, password=password)
    )
    return response
