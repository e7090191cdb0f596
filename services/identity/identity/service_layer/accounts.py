"""Account queries and role changes."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

from identity.adapters.repository import AccountRepository
from identity.domain.model import Account
from identity.domain.roles import new_roles
from identity.domain.usernames import normalize_username, username_problem
from identity.service_layer.deps import Deps
from identity.service_layer.messages import emit_account_event, roles_to_proto
from identity.service_layer.passwords import account_not_found
from identity.service_layer.permissions import (
    account_id_arg,
    own_account_id,
    require_admin,
    require_principal,
)
from kinerja.identity.v1 import identity_pb2
from kinerja_kit import fields
from kinerja_kit.context import Principal
from kinerja_kit.errors import FieldViolation, InvalidArgument, PermissionDenied, Violations

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_QUERY_LENGTH = 100
MAX_BATCH = 1000


def _forbidden() -> PermissionDenied:
    return PermissionDenied("ACCOUNT_FORBIDDEN", "Anda hanya dapat melihat akun Anda sendiri.")


def get_current_account(deps: Deps) -> Account:
    """The caller's own account."""
    principal = require_principal()
    account_id = own_account_id(principal)
    if account_id is None:
        raise account_not_found()
    with deps.uow.transaction(tenant=principal.instansi_id) as tx:
        account = AccountRepository(tx.session).get(account_id)
    if account is None:
        raise account_not_found()
    return account


def _in_own_instansi(principal: Principal) -> bool:
    """False while an admin BKN acts on another instansi (their own account is not there)."""
    return principal.tenant_id == principal.instansi_id


def get_account(deps: Deps, account_id: str) -> Account:
    """An account of the caller's instansi (admins), or the caller's own."""
    principal = require_principal()
    target = account_id_arg(account_id)
    if not principal.is_admin and not (_in_own_instansi(principal) and own_account_id(principal) == target):
        raise _forbidden()
    with deps.uow.transaction() as tx:
        account = AccountRepository(tx.session).get(target)
    if account is None:
        raise account_not_found()
    return account


def get_account_by_username(deps: Deps, username: str) -> Account:
    """An account of the caller's instansi by NIP/NIK (admins), or the caller's own."""
    principal = require_principal()
    name = normalize_username(username)
    violations = Violations()
    if problem := username_problem(name):
        violations.add("username", *problem)
    violations.raise_if_any()
    if not principal.is_admin and not (_in_own_instansi(principal) and principal.username == name):
        raise _forbidden()
    with deps.uow.transaction() as tx:
        account = AccountRepository(tx.session).get_by_username(name)
    if account is None:
        raise account_not_found()
    return account


def batch_get_accounts(deps: Deps, usernames: Iterable[str]) -> list[Account]:
    """Accounts of the caller's instansi by NIP/NIK, in the order asked, with the visibility of
    `get_account_by_username`: admins see every one, anyone else only their own. Unknown, malformed
    and invisible usernames are skipped, not refused."""
    principal = require_principal()
    asked = list(usernames)
    if len(asked) > MAX_BATCH:
        raise InvalidArgument(
            [FieldViolation("usernames", "TOO_MANY_IDS", f"Paling banyak {MAX_BATCH} NIP sekaligus.")]
        )
    names = list(dict.fromkeys(n for n in map(normalize_username, asked) if username_problem(n) is None))
    if not principal.is_admin:
        own = principal.username if _in_own_instansi(principal) else None
        names = [n for n in names if n == own]
    if not names:
        return []
    with deps.uow.transaction() as tx:
        found = AccountRepository(tx.session).by_usernames(names)
    return [found[n] for n in names if n in found]


@dataclass(frozen=True)
class AccountPage:
    accounts: list[Account]
    next_page_token: str


def _encode_token(username: str) -> str:
    return base64.urlsafe_b64encode(username.encode("utf-8")).decode("ascii")


def _decode_token(token: str) -> str | None:
    try:
        value = base64.b64decode(token.encode("ascii"), altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if fields.has_forbidden_character(value):
        return None  # made up: it would reach the keyset comparison
    return value or None


def list_accounts(deps: Deps, page_size: int, page_token: str, query: str) -> AccountPage:
    """Accounts of the caller's instansi ordered by NIP, filtered by NIP prefix or part of the name."""
    principal = require_principal()
    require_admin(principal)
    violations = Violations()
    if page_size < 0 or page_size > MAX_PAGE_SIZE:
        violations.add("page_size", "OUT_OF_RANGE", f"Ukuran halaman harus antara 1 dan {MAX_PAGE_SIZE}.")
    after = _decode_token(page_token) if page_token else None
    if page_token and after is None:
        violations.add("page_token", "INVALID", "Penanda halaman tidak valid.")
    query = fields.checked(violations, "query", "Kata kunci", query, max_len=MAX_QUERY_LENGTH) or ""
    violations.raise_if_any()
    size = page_size or DEFAULT_PAGE_SIZE
    with deps.uow.transaction() as tx:
        rows = AccountRepository(tx.session).list(query=query, after_username=after, limit=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    return AccountPage(rows, _encode_token(rows[-1].username) if more and rows else "")


def set_roles(deps: Deps, account_id: str, roles: Iterable[str]) -> Account:
    """An admin changes an account's roles (admin BKN alone grants or revokes admin BKN)."""
    principal = require_principal()
    require_admin(principal)
    target = account_id_arg(account_id)
    with deps.uow.transaction() as tx:
        accounts = AccountRepository(tx.session)
        account = accounts.get(target, for_update=True)
        if account is None:
            raise account_not_found()
        wanted = new_roles(principal.roles, account, roles)
        if wanted != account.roles:
            account.roles = wanted
            account.version += 1
            accounts.save(account)
            emit_account_event(
                tx,
                account,
                identity_pb2.RolesChanged(account_id=str(account.id), roles=roles_to_proto(wanted)),
            )
            tx.commit()
    return account
