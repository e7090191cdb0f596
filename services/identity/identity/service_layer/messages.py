"""Translation of accounts and roles to the contract's messages, and emission of account events."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.message import Message

from identity.domain.model import Account
from kinerja.identity.v1 import identity_pb2
from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.db import Transaction

TOPIC = "kinerja.identity.account.v1"
AGGREGATE = "account"

ROLE_TO_PROTO = {
    ROLE_PEGAWAI: identity_pb2.ROLE_PEGAWAI,
    ROLE_ADMIN_INSTANSI: identity_pb2.ROLE_ADMIN_INSTANSI,
    ROLE_ADMIN_BKN: identity_pb2.ROLE_ADMIN_BKN,
}
PROTO_TO_ROLE = {v: k for k, v in ROLE_TO_PROTO.items()}


def roles_to_proto(roles: Iterable[str]) -> list[identity_pb2.Role.ValueType]:
    return [ROLE_TO_PROTO[r] for r in sorted(roles) if r in ROLE_TO_PROTO]


def roles_from_proto(values: Iterable[int]) -> list[str]:
    """Role names; an unknown or unspecified value becomes a name the domain rejects."""
    return [PROTO_TO_ROLE.get(v, f"role_{v}") for v in values]  # type: ignore[call-overload]


def account_message(account: Account) -> identity_pb2.Account:
    """The contract's Account (never the password hash)."""
    message = identity_pb2.Account(
        id=str(account.id),
        instansi_id=str(account.instansi_id),
        username=account.username,
        nama=account.nama,
        pegawai_id=str(account.pegawai_id) if account.pegawai_id else "",
        roles=roles_to_proto(account.roles),
        active=account.active,
        must_change_password=account.must_change_password,
        has_password=account.has_password,
        version=account.version,
    )
    if account.locked_until is not None:
        message.locked_until.FromDatetime(account.locked_until)
    return message


def emit_account_event(tx: Transaction, account: Account, payload: Message) -> None:
    """Queues an event about `account` on the account topic, keyed by the account id."""
    tx.emit(
        TOPIC,
        payload,
        aggregate_type=AGGREGATE,
        aggregate_id=account.id,
        aggregate_version=account.version,
        instansi_id=account.instansi_id,
    )
