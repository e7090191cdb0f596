"""Who may give which role to whom."""

from __future__ import annotations

from collections.abc import Iterable

from identity.domain.model import Account
from kinerja_kit.context import ALL_ROLES, ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.errors import PermissionDenied, Violations

ADMIN_ROLES = frozenset({ROLE_ADMIN_INSTANSI, ROLE_ADMIN_BKN})


def is_admin(roles: Iterable[str]) -> bool:
    return bool(ADMIN_ROLES & set(roles))


def check_may_administer(actor_roles: frozenset[str], target: Account) -> None:
    """Admins manage accounts of their tenant; only an admin BKN touches an admin BKN account."""
    if not is_admin(actor_roles):
        raise PermissionDenied("ADMIN_REQUIRED", "Hanya admin yang dapat melakukan ini.")
    if target.is_admin_bkn and ROLE_ADMIN_BKN not in actor_roles:
        raise PermissionDenied("ACCOUNT_PROTECTED", "Akun admin BKN hanya dapat diubah oleh admin BKN.")


def new_roles(actor_roles: frozenset[str], target: Account, requested: Iterable[str]) -> frozenset[str]:
    """The roles `target` ends up with when `actor` asks for `requested`; raises when not allowed.

    An account linked to a pegawai always keeps the pegawai role. Granting or revoking admin BKN
    is reserved to admin BKN.
    """
    check_may_administer(actor_roles, target)
    wanted = set(requested)
    violations = Violations()
    unknown = sorted(wanted - set(ALL_ROLES))
    if unknown:
        violations.add("roles", "ROLE_UNKNOWN", f"Peran tidak dikenal: {', '.join(unknown)}.")
    if target.pegawai_id is not None:
        wanted.add(ROLE_PEGAWAI)
    if not wanted:
        violations.add("roles", "ROLES_EMPTY", "Akun harus memiliki setidaknya satu peran.")
    violations.raise_if_any()
    result = frozenset(wanted)
    if ROLE_ADMIN_BKN in (result ^ target.roles) and ROLE_ADMIN_BKN not in actor_roles:
        raise PermissionDenied("ROLE_FORBIDDEN", "Hanya admin BKN yang dapat memberikan peran admin BKN.")
    return result
