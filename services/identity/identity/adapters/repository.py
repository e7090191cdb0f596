"""Repositories: accounts (with the national username directory), refresh tokens and the login audit."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Text, any_, bindparam, delete, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Session

from identity.adapters.orm import (
    AccountDirectoryRow,
    AccountRow,
    LoginAuditRow,
    RefreshTokenRow,
    accounts_search,
)
from identity.domain.model import Account
from kinerja_kit.bulk import recordset_json
from kinerja_kit.ids import new_id
from kinerja_kit.paging import COUNT_LIMIT


@dataclass(frozen=True)
class DirectoryEntry:
    """Where a username lives."""

    username: str
    account_id: uuid.UUID
    instansi_id: uuid.UUID


def _to_domain(row: AccountRow) -> Account:
    return Account(
        id=row.id,
        instansi_id=row.instansi_id,
        username=row.username,
        nama=row.nama,
        pegawai_id=row.pegawai_id,
        roles=frozenset(row.roles),
        active=row.active,
        password_hash=row.password_hash,
        must_change_password=row.must_change_password,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
        version=row.version,
    )


def _copy(account: Account, row: AccountRow) -> None:
    row.username = account.username
    row.nama = account.nama
    row.pegawai_id = account.pegawai_id
    row.roles = sorted(account.roles)
    row.active = account.active
    row.password_hash = account.password_hash
    row.must_change_password = account.must_change_password
    row.failed_attempts = account.failed_attempts
    row.locked_until = account.locked_until
    row.last_login_at = account.last_login_at
    row.version = account.version


class AccountRepository:
    """Accounts of the transaction's tenant (RLS confines every query) plus the username directory."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- directory (national, no RLS) --
    def directory_entry(self, username: str) -> DirectoryEntry | None:
        row = self.session.get(AccountDirectoryRow, username)
        return None if row is None else DirectoryEntry(row.username, row.account_id, row.instansi_id)

    # -- accounts (tenant) --
    def get(self, account_id: uuid.UUID, *, for_update: bool = False) -> Account | None:
        stmt = select(AccountRow).where(AccountRow.id == account_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.session.scalars(stmt).first()
        return None if row is None else _to_domain(row)

    def get_by_username(self, username: str, *, for_update: bool = False) -> Account | None:
        stmt = select(AccountRow).where(AccountRow.username == username)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.session.scalars(stmt).first()
        return None if row is None else _to_domain(row)

    def by_usernames(self, usernames: list[str]) -> dict[str, Account]:
        """The accounts with these usernames, by username (one query; unknown ones are absent)."""
        if not usernames:
            return {}
        wanted = bindparam("usernames", value=usernames, type_=ARRAY(Text))
        stmt = select(AccountRow).where(AccountRow.username == any_(wanted))
        return {row.username: _to_domain(row) for row in self.session.scalars(stmt)}

    def get_by_pegawai(self, pegawai_id: uuid.UUID, *, for_update: bool = True) -> Account | None:
        stmt = select(AccountRow).where(AccountRow.pegawai_id == pegawai_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.session.scalars(stmt).first()
        return None if row is None else _to_domain(row)

    def add(self, account: Account) -> None:
        """Inserts the account and claims its username in the directory (unique nationally)."""
        row = AccountRow(id=account.id, instansi_id=account.instansi_id)
        _copy(account, row)
        self.session.add(row)
        self.session.add(
            AccountDirectoryRow(
                username=account.username, account_id=account.id, instansi_id=account.instansi_id
            )
        )
        self.session.flush()

    def taken_usernames(self, usernames: Sequence[str]) -> set[str]:
        """Which of `usernames` the national directory holds (one query)."""
        if not usernames:
            return set()
        wanted = bindparam("usernames", value=list(usernames), type_=ARRAY(Text))
        stmt = select(AccountDirectoryRow.username).where(AccountDirectoryRow.username == any_(wanted))
        return set(self.session.scalars(stmt))

    def linked_pegawai(self, pegawai_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Which of `pegawai_ids` already have an account in this tenant (one query)."""
        if not pegawai_ids:
            return set()
        wanted = bindparam("ids", value=list(pegawai_ids), type_=ARRAY(UUID(as_uuid=True)))
        stmt = select(AccountRow.pegawai_id).where(AccountRow.pegawai_id == any_(wanted))
        return {p for p in self.session.scalars(stmt) if p is not None}

    def add_new(self, accounts: Sequence[Account]) -> None:
        """Inserts accounts whose usernames and pegawai are known to be free, and their directory entries,
        in two statements whatever their number (the bulk form of `add`, for an import's PegawaiCreated)."""
        if not accounts:
            return
        rows = [
            {
                "id": a.id, "instansi_id": a.instansi_id, "username": a.username, "nama": a.nama,
                "pegawai_id": a.pegawai_id, "roles": sorted(a.roles), "active": a.active,
                "must_change_password": a.must_change_password, "version": a.version,
            }
            for a in accounts
        ]  # fmt: skip
        document = recordset_json(rows)
        self.session.execute(_INSERT_ACCOUNTS, {"rows": document})
        self.session.execute(_INSERT_DIRECTORY, {"rows": document})

    def save(self, account: Account) -> None:
        """Writes the account's fields back; moves its directory entry when the username changed."""
        row = self.session.scalars(select(AccountRow).where(AccountRow.id == account.id)).one()
        if row.username != account.username:
            self.session.execute(
                update(AccountDirectoryRow)
                .where(AccountDirectoryRow.account_id == account.id)
                .values(username=account.username)
            )
        _copy(account, row)
        row.updated_at = datetime.now(UTC)
        self.session.flush()

    def remove(self, account: Account) -> None:
        """Deletes the account row of this tenant and its directory entry (moving it elsewhere)."""
        self.session.execute(delete(AccountRow).where(AccountRow.id == account.id))
        self.session.execute(delete(AccountDirectoryRow).where(AccountDirectoryRow.account_id == account.id))
        self.session.flush()

    def list(self, *, query: str, after_username: str | None, limit: int) -> list[Account]:
        """Accounts ordered by username; `query` is a username prefix (digits) or part of the name.

        The page's ids come from the view `accounts_search`, whose conditions reach the trigram and prefix
        indexes, then its rows by primary key. A name fragment is read in two ways, each bounded: its matches
        from the trigram index when there are at most COUNT_LIMIT of them (then sorted here), else the walk in
        username order, where that many matches are dense enough to fill a page soon. The planner cannot
        choose between the two by itself: it guesses a fragment's matches from its length alone."""
        view = accounts_search
        q = query.strip()
        conditions: list[ColumnElement[bool]] = []
        if q.isdigit():
            conditions.append(view.c.username.startswith(q, autoescape=True))
        elif q:
            conditions.append(
                or_(view.c.nama.icontains(q, autoescape=True), view.c.username.startswith(q, autoescape=True))
            )
            few = self.session.execute(
                select(view.c.id, view.c.username).where(*conditions).limit(COUNT_LIMIT + 1)
            ).all()
            if len(few) <= COUNT_LIMIT:
                shown = sorted(
                    (r for r in few if after_username is None or r.username > after_username),
                    key=lambda r: r.username,
                )
                return self._by_ids([r.id for r in shown[:limit]])
        stmt = select(view.c.id).where(*conditions).order_by(view.c.username).limit(limit)
        if after_username is not None:
            stmt = stmt.where(view.c.username > after_username)
        return self._by_ids(list(self.session.scalars(stmt)))

    def _by_ids(self, ids: Sequence[uuid.UUID]) -> builtins.list[Account]:
        if not ids:
            return []
        rows = self.session.scalars(
            select(AccountRow).where(AccountRow.id.in_(ids)).order_by(AccountRow.username)
        )
        return [_to_domain(row) for row in rows]


_INSERT_ACCOUNTS = text(
    """
    insert into accounts (id, instansi_id, username, nama, pegawai_id, roles, active, must_change_password,
                          failed_attempts, version)
    select r.id, r.instansi_id, r.username, r.nama, r.pegawai_id,
           array(select jsonb_array_elements_text(r.roles)), r.active, r.must_change_password, 0, r.version
    from jsonb_to_recordset(cast(:rows as jsonb))
           as r(id uuid, instansi_id uuid, username text, nama text, pegawai_id uuid, roles jsonb,
                active boolean, must_change_password boolean, version bigint)
    """
)
_INSERT_DIRECTORY = text(
    """
    insert into account_directory (username, account_id, instansi_id)
    select r.username, r.id, r.instansi_id
    from jsonb_to_recordset(cast(:rows as jsonb)) as r(id uuid, instansi_id uuid, username text)
    """
)


class RefreshTokenRepository:
    """Refresh tokens of the transaction's tenant."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        account: Account,
        family_id: uuid.UUID,
        token_hash: bytes,
        now: datetime,
        expires_at: datetime,
    ) -> uuid.UUID:
        token_id = new_id()
        self.session.add(
            RefreshTokenRow(
                instansi_id=account.instansi_id,
                id=token_id,
                account_id=account.id,
                family_id=family_id,
                token_hash=token_hash,
                created_at=now,
                expires_at=expires_at,
            )
        )
        self.session.flush()
        return token_id

    def find(self, token_hash: bytes) -> RefreshTokenRow | None:
        """The token row with this hash, locked for the rest of the transaction."""
        stmt = select(RefreshTokenRow).where(RefreshTokenRow.token_hash == token_hash).with_for_update()
        return self.session.scalars(stmt).first()

    def family_alive(self, family_id: uuid.UUID, now: datetime) -> bool:
        """Whether the session still has a usable token (not ended by logout, reuse, a reset ...)."""
        stmt = (
            select(RefreshTokenRow.id)
            .where(
                RefreshTokenRow.family_id == family_id,
                RefreshTokenRow.revoked_at.is_(None),
                RefreshTokenRow.expires_at > now,
            )
            .limit(1)
        )
        return self.session.scalars(stmt).first() is not None

    def revoke_family(self, family_id: uuid.UUID, now: datetime, reason: str) -> int:
        result = self.session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.family_id == family_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def revoke_account(self, account_id: uuid.UUID, now: datetime, reason: str) -> int:
        result = self.session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.account_id == account_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class LoginAuditRepository:
    """The login audit of the transaction's tenant."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        *,
        instansi_id: uuid.UUID,
        account_id: uuid.UUID | None,
        username: str,
        outcome: str,
        reason: str,
        consecutive_failures: int,
        locked_until: datetime | None,
        request_id: str,
        now: datetime,
    ) -> None:
        self.session.add(
            LoginAuditRow(
                instansi_id=instansi_id,
                id=new_id(),
                account_id=account_id,
                username=username[:64],
                outcome=outcome,
                reason=reason,
                consecutive_failures=consecutive_failures,
                locked_until=locked_until,
                request_id=request_id,
                occurred_at=now,
            )
        )
        self.session.flush()
