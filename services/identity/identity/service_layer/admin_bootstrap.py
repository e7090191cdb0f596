"""The first admin BKN, created on start from settings when its username is not taken yet."""

from __future__ import annotations

import logging

from sqlalchemy import text

from identity.adapters.repository import AccountRepository
from identity.domain.model import Account
from identity.domain.usernames import is_nip_or_nik, normalize_username
from identity.service_layer.deps import Deps
from identity.service_layer.messages import account_message, emit_account_event
from kinerja.identity.v1 import identity_pb2
from kinerja_kit.context import ROLE_ADMIN_BKN, SYSTEM
from kinerja_kit.errors import Violations
from kinerja_kit.ids import NATIONAL_INSTANSI_ID, new_id

log = logging.getLogger(__name__)

# Any constant shared by every identity replica: two replicas starting together create one admin.
_BOOTSTRAP_LOCK = 0x1D_B007


def ensure_bootstrap_admin(deps: Deps, username: str, password: str, nama: str) -> Account | None:
    """Creates the admin BKN account when no account has `username`; returns it when created."""
    name = normalize_username(username)
    if not name or not password:
        return None
    if not is_nip_or_nik(name):
        log.warning("bootstrap admin username is not a NIP/NIK", extra={"username": name})
    violations = Violations()
    deps.password_policy.check(password, username=name, violations=violations, field="password", nama=nama)
    if violations:
        log.warning("bootstrap admin password does not meet the password policy")
    with deps.uow.transaction(tenant=NATIONAL_INSTANSI_ID, actor=SYSTEM) as tx:
        tx.session.execute(text("select pg_advisory_xact_lock(:k)"), {"k": _BOOTSTRAP_LOCK})
        accounts = AccountRepository(tx.session)
        if accounts.directory_entry(name) is not None:
            return None
        account = Account(
            id=new_id(),
            instansi_id=NATIONAL_INSTANSI_ID,
            username=name,
            nama=nama,
            roles=frozenset({ROLE_ADMIN_BKN}),
            password_hash=deps.hasher.hash(password),
        )
        accounts.add(account)
        emit_account_event(tx, account, identity_pb2.AccountCreated(account=account_message(account)))
        tx.commit()
    log.info("bootstrap admin BKN created", extra={"username": name})
    return account
