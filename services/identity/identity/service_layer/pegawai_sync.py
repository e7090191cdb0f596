"""Accounts follow org's pegawai: created with the pegawai, renamed with it, disabled when removed.

Handlers run inside the transaction the event consumer opened (tenant = the event's instansi), so
the account change, its event and the processed-event mark commit together: exactly once.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from identity.adapters.repository import AccountRepository, RefreshTokenRepository
from identity.domain.model import Account
from identity.domain.usernames import normalize_username
from identity.service_layer.deps import utcnow
from identity.service_layer.messages import AGGREGATE, TOPIC, account_message, emit_account_event
from kinerja.common.v1 import envelope_pb2
from kinerja.identity.v1 import identity_pb2
from kinerja.org.v1 import org_pb2
from kinerja_kit.context import ROLE_PEGAWAI
from kinerja_kit.db import Transaction
from kinerja_kit.ids import new_id, parse_uuid
from kinerja_kit.outbox import OutboxEvent, insert_outbox_bulk

log = logging.getLogger(__name__)

MAX_NAMA = 200


def on_pegawai_created(
    tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: org_pb2.PegawaiCreated
) -> None:
    """A new pegawai gets an account (pegawai role, no password until an admin sets one)."""
    _upsert(tx, payload.pegawai, reactivate=True)


def on_pegawai_created_many(
    tx: Transaction, events: Sequence[tuple[envelope_pb2.EventEnvelope, org_pb2.PegawaiCreated]]
) -> None:
    """The bulk form of `on_pegawai_created` for a run of PegawaiCreated (an org import sends thousands):
    pegawai with a NIP/NIK no account holds and no account of their own get theirs in a few multi-row
    statements (accounts, directory, outbox); every other one (a NIP/NIK taken, a pegawai seen before, a
    NIP/NIK twice in the run, an event without instansi, id or NIP/NIK) goes through `on_pegawai_created`
    in order, after them. The same accounts and events as one at a time: the two sets touch no common
    username or pegawai."""
    tenant = tx.tenant
    parsed = [_identity(payload.pegawai) for _, payload in events]
    usernames = Counter(username for _, username, _ in parsed if username)
    pegawai_ids = Counter(pegawai_id for pegawai_id, _, _ in parsed if pegawai_id is not None)
    candidates = [
        i
        for i, (pegawai_id, username, _) in enumerate(parsed)
        if tenant is not None and pegawai_id is not None and username
        if usernames[username] == 1 and pegawai_ids[pegawai_id] == 1
    ]
    accounts = AccountRepository(tx.session)
    taken = accounts.taken_usernames([parsed[i][1] for i in candidates])
    linked = accounts.linked_pegawai([pegawai_id for i in candidates if (pegawai_id := parsed[i][0])])
    fresh = {i for i in candidates if parsed[i][1] not in taken and parsed[i][0] not in linked}
    if tenant is not None and fresh:
        created = [
            Account(id=new_id(), instansi_id=tenant, username=username, nama=nama, pegawai_id=pegawai_id)
            for i, (pegawai_id, username, nama) in enumerate(parsed)
            if i in fresh
        ]
        accounts.add_new(created)
        now = datetime.now(UTC)
        insert_outbox_bulk(
            tx.session,
            [
                OutboxEvent.build(
                    topic=TOPIC,
                    payload=identity_pb2.AccountCreated(account=account_message(account)),
                    aggregate_type=AGGREGATE,
                    aggregate_id=str(account.id),
                    aggregate_version=account.version,
                    instansi_id=tenant,
                    actor=tx.actor,
                    occurred_at=now,
                )
                for account in created
            ],
        )
    for i, (envelope, payload) in enumerate(events):
        if i not in fresh:
            on_pegawai_created(tx, envelope, payload)


def _identity(pegawai: org_pb2.Pegawai) -> tuple[uuid.UUID | None, str, str]:
    """A pegawai's id, the username its account has (NIP, else NIK) and the account's name."""
    return (
        parse_uuid(pegawai.id),
        normalize_username(pegawai.nip or pegawai.nik),
        pegawai.nama.strip()[:MAX_NAMA],
    )


def on_pegawai_updated(
    tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: org_pb2.PegawaiUpdated
) -> None:
    """Name or NIP/NIK changes follow the pegawai."""
    _upsert(tx, payload.pegawai, reactivate=False)


def on_pegawai_removed(
    tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: org_pb2.PegawaiRemoved
) -> None:
    """A removed pegawai's account is disabled and its sessions end."""
    pegawai_id = parse_uuid(payload.pegawai_id)
    if pegawai_id is None:
        log.warning("PegawaiRemoved without a pegawai id", extra={"event_id": envelope.event_id})
        return
    accounts = AccountRepository(tx.session)
    account = accounts.get_by_pegawai(pegawai_id)
    if account is None or not account.active:
        return
    account.disable()
    accounts.save(account)
    RefreshTokenRepository(tx.session).revoke_account(account.id, utcnow(), "pegawai_removed")
    emit_account_event(
        tx, account, identity_pb2.AccountDisabled(account_id=str(account.id), reason="pegawai_removed")
    )


def _upsert(tx: Transaction, pegawai: org_pb2.Pegawai, *, reactivate: bool) -> None:
    tenant = tx.tenant
    pegawai_id, username, nama = _identity(pegawai)
    if tenant is None or pegawai_id is None or not username:
        log.warning("pegawai event without instansi, id or NIP/NIK", extra={"pegawai_id": pegawai.id})
        return
    accounts = AccountRepository(tx.session)
    account = accounts.get_by_pegawai(pegawai_id)
    changed = False
    if account is None:
        claimed = _claim_username(tx, accounts, tenant, pegawai_id, username, nama, reclaim=reactivate)
        if isinstance(claimed, _Handled):
            return
        if claimed is None:
            created = Account(
                id=new_id(), instansi_id=tenant, username=username, nama=nama, pegawai_id=pegawai_id
            )
            accounts.add(created)
            emit_account_event(tx, created, identity_pb2.AccountCreated(account=account_message(created)))
            return
        account, changed = claimed, True
    if account.nama != nama:
        account.nama, changed = nama, True
    if account.username != username:
        entry = accounts.directory_entry(username)
        if entry is not None and entry.account_id != account.id:
            log.warning(
                "NIP/NIK already belongs to another account; username kept",
                extra={"account_id": str(account.id), "other_account_id": str(entry.account_id)},
            )
        else:
            account.username, changed = username, True
    if ROLE_PEGAWAI not in account.roles:
        account.roles, changed = account.roles | {ROLE_PEGAWAI}, True
    if reactivate and not account.active:
        account.active, changed = True, True
    if changed:
        account.version += 1
        accounts.save(account)
        emit_account_event(tx, account, identity_pb2.AccountUpdated(account=account_message(account)))


def _relink(tx: Transaction, accounts: AccountRepository, account: Account, pegawai_id: uuid.UUID) -> None:
    """The account of a removed pegawai follows the person's new pegawai record.

    It keeps its id (login history and audit stay with it), its username and password; it is enabled
    again with the pegawai role only (admin roles were given to the old record and are granted anew),
    and every session still open ends, since those tokens name the old pegawai. The events of the two
    pegawai may arrive in either order (different keys): a PegawaiRemoved of the old record arriving
    afterwards finds no account linked to it and does nothing.
    """
    log.info(
        "account relinked to the pegawai added again",
        extra={"account_id": str(account.id), "old_pegawai_id": str(account.pegawai_id)},
    )
    account.pegawai_id = pegawai_id
    account.roles = frozenset({ROLE_PEGAWAI})
    account.active = True
    account.failed_attempts = 0
    account.locked_until = None
    RefreshTokenRepository(tx.session).revoke_account(account.id, utcnow(), "pegawai_relinked")


class _Handled:
    """Marker: nothing more to do (the account moved here, or the username must not be taken over)."""


_HANDLED = _Handled()


def _claim_username(
    tx: Transaction,
    accounts: AccountRepository,
    tenant: uuid.UUID,
    pegawai_id: uuid.UUID,
    username: str,
    nama: str,
    *,
    reclaim: bool,
) -> Account | _Handled | None:
    """An account of this instansi the pegawai takes over, None when the username is free, or _HANDLED.

    Same instansi: an account without pegawai (e.g. created by hand) is linked; with `reclaim` (a
    PegawaiCreated), so is an account of another pegawai with this NIP/NIK: org keeps a NIP/NIK unique
    among active pegawai, so that pegawai was removed and this is the same person added again. Other
    instansi: the
    account moves only when it belongs to this very pegawai or was disabled (the same person, NIP
    being national, moved); an active account of another pegawai is never taken over.
    """
    entry = accounts.directory_entry(username)
    if entry is None:
        return None
    if entry.instansi_id == tenant:
        existing = accounts.get(entry.account_id, for_update=True)
        if existing is not None and existing.pegawai_id in (None, pegawai_id):
            existing.pegawai_id = pegawai_id
            return existing
        if existing is not None and reclaim:
            _relink(tx, accounts, existing, pegawai_id)
            return existing
        log.warning("NIP/NIK taken by another pegawai's account", extra={"account_id": str(entry.account_id)})
        return _HANDLED
    tx.set_tenant(entry.instansi_id)
    other = accounts.get(entry.account_id, for_update=True)
    if other is None or (other.active and other.pegawai_id != pegawai_id):
        tx.set_tenant(tenant)
        log.warning(
            "NIP/NIK belongs to an active account of another instansi",
            extra={"account_id": str(entry.account_id), "instansi_id": str(entry.instansi_id)},
        )
        return _HANDLED
    accounts.remove(other)
    other.version += 1
    emit_account_event(
        tx, other, identity_pb2.AccountDisabled(account_id=str(other.id), reason="moved_instansi")
    )
    tx.set_tenant(tenant)
    moved = dataclasses.replace(
        other,
        instansi_id=tenant,
        pegawai_id=pegawai_id,
        nama=nama,
        roles=frozenset({ROLE_PEGAWAI}),
        active=True,
        failed_attempts=0,
        locked_until=None,
        version=other.version + 1,
    )
    accounts.add(moved)
    emit_account_event(tx, moved, identity_pb2.AccountCreated(account=account_message(moved)))
    return _HANDLED
