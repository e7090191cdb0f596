"""Unit tests of identity's pure rules: password policy, lockout schedule, roles, refresh tokens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from identity.domain import sessions
from identity.domain.lockout import LockoutPolicy, locked_message
from identity.domain.model import Account
from identity.domain.passwords import PasswordPolicy, temporary_password
from identity.domain.roles import new_roles
from identity.domain.usernames import is_nip_or_nik, normalize_username
from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.errors import InvalidArgument, PermissionDenied, Violations

NIP = "199001012020011001"


def violations_of(password: str, username: str = NIP) -> set[str]:
    v = Violations()
    PasswordPolicy().check(password, username=username, violations=v, field="new_password")
    assert all(item.field == "new_password" for item in v.items)
    return {item.code for item in v.items}


def test_password_policy_lists_every_broken_rule() -> None:
    assert violations_of("abc") == {"PASSWORD_TOO_SHORT", "PASSWORD_NEEDS_DIGIT"}
    assert violations_of("") == {"PASSWORD_TOO_SHORT", "PASSWORD_NEEDS_LETTER", "PASSWORD_NEEDS_DIGIT"}
    assert violations_of("12345678") == {"PASSWORD_NEEDS_LETTER"}
    assert violations_of(NIP) == {"PASSWORD_NEEDS_LETTER", "PASSWORD_EQUALS_USERNAME"}
    assert violations_of("x" * 200 + "1") == {"PASSWORD_TOO_LONG"}
    assert violations_of("Gunung-Merbabu-Sejuk-77") == set()
    assert violations_of("batik tulis lasem 9") == set()


def violations_named(password: str, nama: str) -> set[str]:
    v = Violations()
    PasswordPolicy().check(password, username=NIP, violations=v, field="new_password", nama=nama)
    return {item.code for item in v.items}


@pytest.mark.parametrize(
    "password",
    [
        "password1",
        "Password123",
        "qwerty123",
        "kinerja2026",
        "Kinerja2026",
        "Kinerja@2026",
        "eKinerja2025",
        "AdminBKN2026",
        "Bkn2026abc",
        "Sandi2026",
        "Indonesia2026",
        "a" + NIP,
    ],
)
def test_policy_refuses_common_passwords_and_platform_words_with_a_year(password: str) -> None:
    assert violations_of(password) == {"PASSWORD_TOO_COMMON"}


@pytest.mark.parametrize("password", ["aaaa1111", "abcd1234", "zxcvbnm1", "1q2w3e4r5t"])
def test_policy_refuses_weak_patterns(password: str) -> None:
    assert violations_of(password) & {"PASSWORD_TOO_WEAK", "PASSWORD_TOO_COMMON"}


def test_policy_refuses_the_holders_name() -> None:
    nama = "Budi Santoso, S.E."
    assert violations_named("BudiSantoso1", nama) == {"PASSWORD_CONTAINS_NAME"}
    assert violations_named("santoso#2019x", nama) == {"PASSWORD_CONTAINS_NAME"}
    # Short parts (a degree, a three-letter name) are not refused on their own.
    assert violations_named("Gunung-Merbabu-Sejuk-77", "Sri Ayu, S.E.") == set()


def test_policy_refuses_the_nip_itself_and_accepts_strong_passwords() -> None:
    assert violations_of(NIP) == {"PASSWORD_NEEDS_LETTER", "PASSWORD_EQUALS_USERNAME"}
    for strong in ("Sawah-Hijau-Pagi-17", "Xk7pQ2mZr9Lt", "Pilihan123", "BaruSekali99"):
        assert violations_of(strong) == set(), strong


def test_policy_judges_a_long_password_on_its_start() -> None:
    assert violations_of("Gunung-Merbabu-Sejuk-77 " * 5) == set()


def test_policy_rejects_password_equal_to_a_letter_username() -> None:
    assert "PASSWORD_EQUALS_USERNAME" in violations_of("admin123", username="admin123")


def test_temporary_passwords_satisfy_the_policy_and_differ() -> None:
    made = {temporary_password() for _ in range(50)}
    assert len(made) == 50
    assert all(violations_of(p) == set() for p in made)


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        (1, None),
        (4, None),
        (5, timedelta(minutes=15)),
        (6, None),
        (10, timedelta(minutes=30)),
        (15, timedelta(hours=1)),
        (30, timedelta(hours=8)),
        (35, timedelta(hours=16)),
        (40, timedelta(hours=24)),
        (500, timedelta(hours=24)),
    ],
)
def test_lockout_schedule_doubles_up_to_the_cap(failures: int, expected: timedelta | None) -> None:
    assert LockoutPolicy().lock_duration(failures) == expected


def test_lockout_policy_numbers_come_from_settings() -> None:
    policy = LockoutPolicy(threshold=3, base=timedelta(seconds=10), cap=timedelta(seconds=25))
    now = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    assert policy.after_failure(2, now) is None
    assert policy.after_failure(3, now) == now + timedelta(seconds=10)
    assert policy.after_failure(6, now) == now + timedelta(seconds=20)
    assert policy.after_failure(9, now) == now + timedelta(seconds=25)


def test_locked_message_tells_the_time_in_wib() -> None:
    now = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)  # 10:00 WIB
    assert locked_message(now + timedelta(minutes=15), now).endswith("Coba lagi setelah 10:15 WIB.")
    assert locked_message(now + timedelta(hours=24), now).endswith(
        "Coba lagi setelah 10:00 WIB tanggal 06-01-2026."
    )


def account(roles: set[str], pegawai: bool = True) -> Account:
    return Account(
        id=uuid.uuid4(),
        instansi_id=uuid.uuid4(),
        username=NIP,
        nama="A",
        pegawai_id=uuid.uuid4() if pegawai else None,
        roles=frozenset(roles),
    )


ADMIN_INSTANSI = frozenset({ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI})
ADMIN_BKN = frozenset({ROLE_ADMIN_BKN})


def test_admin_instansi_grants_admin_instansi_and_pegawai_is_kept() -> None:
    target = account({ROLE_PEGAWAI})
    assert new_roles(ADMIN_INSTANSI, target, [ROLE_ADMIN_INSTANSI]) == {ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI}
    assert new_roles(ADMIN_INSTANSI, target, []) == {ROLE_PEGAWAI}


def test_only_admin_bkn_grants_or_revokes_admin_bkn() -> None:
    with pytest.raises(PermissionDenied) as granted:
        new_roles(ADMIN_INSTANSI, account({ROLE_PEGAWAI}), [ROLE_PEGAWAI, ROLE_ADMIN_BKN])
    assert granted.value.reason == "ROLE_FORBIDDEN"
    with pytest.raises(PermissionDenied) as touched:
        new_roles(ADMIN_INSTANSI, account({ROLE_PEGAWAI, ROLE_ADMIN_BKN}), [ROLE_PEGAWAI])
    assert touched.value.reason == "ACCOUNT_PROTECTED"
    assert new_roles(ADMIN_BKN, account({ROLE_PEGAWAI}), [ROLE_ADMIN_BKN]) == {ROLE_PEGAWAI, ROLE_ADMIN_BKN}


def test_pegawai_cannot_change_roles() -> None:
    with pytest.raises(PermissionDenied):
        new_roles(frozenset({ROLE_PEGAWAI}), account({ROLE_PEGAWAI}), [ROLE_ADMIN_INSTANSI])


def test_bad_role_lists_are_reported() -> None:
    with pytest.raises(InvalidArgument) as bad:
        new_roles(ADMIN_BKN, account(set(), pegawai=False), ["role_0"])
    assert {v.code for v in bad.value.violations} == {"ROLE_UNKNOWN"}
    with pytest.raises(InvalidArgument) as empty:
        new_roles(ADMIN_BKN, account({ROLE_ADMIN_BKN}, pegawai=False), [])
    assert {v.code for v in empty.value.violations} == {"ROLES_EMPTY"}


def test_refresh_tokens_route_to_their_instansi_and_hash_stably() -> None:
    instansi = uuid.uuid4()
    issued = sessions.new_refresh_token(instansi)
    assert sessions.token_instansi(issued.value) == instansi
    assert sessions.hash_token(issued.value) == issued.token_hash
    assert len(issued.token_hash) == 32
    assert issued.value != sessions.new_refresh_token(instansi).value
    assert sessions.token_instansi("rt1.nothex.abc") is None
    assert sessions.token_instansi(f"rt1.{instansi.hex}.short") is None
    assert sessions.token_instansi("garbage") is None


def test_usernames() -> None:
    assert normalize_username(" 19900101 2020011001 ") == NIP
    assert is_nip_or_nik(NIP)
    assert is_nip_or_nik("3201012345678901")
    assert not is_nip_or_nik("12345")
    assert not is_nip_or_nik("１９９００１０１２０２０１１００１")  # full-width digits
