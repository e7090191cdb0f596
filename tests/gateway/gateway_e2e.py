"""End-to-end helpers: two instansi built through the gateway over the real identity and org services."""

from __future__ import annotations

import datetime
import random
import string
import time
from dataclasses import dataclass, field
from typing import Any

from gateway_testing import Gql
from platform_testing import random_nip

PASSWORD = "Sandi12345"
ACCOUNT_WAIT_SECONDS = 45.0


def ok(body: dict[str, Any], field: str) -> dict[str, Any]:
    """The payload of a mutation that must have succeeded."""
    assert not body.get("errors"), body
    payload: dict[str, Any] = body["data"][field]
    assert payload.get("errors") == [], payload
    return payload


@dataclass
class Tenant:
    """One instansi built through the gateway, with what a test needs to aim at it."""

    tag: str
    instansi_id: str = ""
    unor_ids: list[str] = field(default_factory=list)
    head: dict[str, str] = field(default_factory=dict)
    staff: list[dict[str, str]] = field(default_factory=list)
    plt_id: str = ""
    head_account_id: str = ""
    staff_account_id: str = ""
    admin_token: str = ""
    pegawai_token: str = ""
    admin_refresh_token: str = ""

    def markers(self) -> set[str]:
        """Strings that appear only in this instansi's data."""
        values = {self.tag, self.instansi_id, self.plt_id, self.head_account_id, self.staff_account_id}
        values |= set(self.unor_ids)
        for pegawai in [self.head, *self.staff]:
            values |= {pegawai["id"], pegawai["nip"]}
        return {v for v in values if v}


def build_tenant(gql: Gql, bkn: str) -> Tenant:
    """Creates an instansi, a three-level unor tree, a head, staff and an active PLT, as admin BKN."""
    tag = "".join(random.choices(string.ascii_lowercase, k=8))
    tenant = Tenant(tag=tag)
    payload = ok(
        gql(
            "mutation($i: CreateInstansiInput!) { createInstansi(input: $i) { instansi { id } errors { code } } }",
            {"i": {"kode": f"GW-{tag.upper()}", "nama": f"Pemkab {tag}", "jenis": "DAERAH"}},
            token=bkn,
        ),
        "createInstansi",
    )
    tenant.instansi_id = payload["instansi"]["id"]
    parent = None
    for nama, jenis in (
        (f"Sekretariat {tag}", "JPT_PRATAMA"),
        (f"Bagian Umum {tag}", "ADMINISTRATOR"),
        (f"Subbagian TU {tag}", "PENGAWAS"),
    ):
        payload = ok(
            gql(
                """mutation($u: UnorInput!, $i: ID!) {
                     createUnor(input: $u, instansiId: $i) { unor { id } errors { field code message } }
                   }""",
                {
                    "u": {"nama": nama, "jenis": jenis, "parentId": parent, "kota": "Blora"},
                    "i": tenant.instansi_id,
                },
                token=bkn,
            ),
            "createUnor",
        )
        parent = payload["unor"]["id"]
        tenant.unor_ids.append(parent)
    people = [(f"Kepala {tag}", True, {"nama": "Kepala Bagian Umum", "jenis": "ADMINISTRATOR"}, "IV/a")] + [
        (
            f"Staf {i} {tag}",
            False,
            {"nama": "Analis Kebijakan", "jenis": "FUNGSIONAL", "jenjang": "Ahli Pertama"},
            "III/a",
        )
        for i in range(3)
    ]
    for nama, pimpinan, jabatan, golongan in people:
        nip = random_nip()
        payload = ok(
            gql(
                """mutation($p: PegawaiInput!, $i: ID!) {
                     createPegawai(input: $p, instansiId: $i) { pegawai { id } errors { field code message } }
                   }""",
                {
                    "p": {
                        "nip": nip,
                        "nama": nama,
                        "unorId": tenant.unor_ids[1],
                        "pimpinan": pimpinan,
                        "jabatan": jabatan,
                        "golongan": golongan,
                        "tmtJabatan": "2022-01-03",
                    },
                    "i": tenant.instansi_id,
                },
                token=bkn,
            ),
            "createPegawai",
        )
        record = {"id": payload["pegawai"]["id"], "nip": nip, "nama": nama}
        if pimpinan:
            tenant.head = record
        else:
            tenant.staff.append(record)
    today = datetime.date.today()
    payload = ok(
        gql(
            """mutation($p: PltInput!, $i: ID!) { createPlt(input: $p, instansiId: $i) { plt { id } errors { field code message } } }""",
            {
                "p": {
                    "pegawaiId": tenant.staff[0]["id"],
                    "unorId": tenant.unor_ids[2],
                    "jabatan": "Plt. Kepala Subbagian TU",
                    "jenis": "PLT",
                    "tanggalMulai": str(today - datetime.timedelta(days=10)),
                    "tanggalSelesai": str(today + datetime.timedelta(days=60)),
                    "aktif": True,
                },
                "i": tenant.instansi_id,
            },
            token=bkn,
        ),
        "createPlt",
    )
    tenant.plt_id = payload["plt"]["id"]
    return tenant


def wait_for_accounts(gql: Gql, bkn: str, tenant: Tenant) -> dict[str, str]:
    """Account id by NIP, once identity has followed org's pegawai events for this instansi."""
    wanted = {tenant.head["nip"], *(s["nip"] for s in tenant.staff)}
    deadline = time.monotonic() + ACCOUNT_WAIT_SECONDS
    while True:
        body = gql(
            "query($i: ID!) { accounts(first: 50, instansiId: $i) { edges { node { id username } } } }",
            {"i": tenant.instansi_id},
            token=bkn,
        )
        assert not body.get("errors"), body
        found = {e["node"]["username"]: e["node"]["id"] for e in body["data"]["accounts"]["edges"]}
        if wanted <= set(found):
            return found
        assert time.monotonic() < deadline, f"identity did not create accounts for {wanted - set(found)}"
        time.sleep(0.2)


def login(gql: Gql, username: str, password: str) -> tuple[str, str]:
    payload = ok(
        gql(
            """mutation($u: String!, $p: String!) {
                 login(username: $u, password: $p) { tokens { accessToken refreshToken } errors { code message } }
               }""",
            {"u": username, "p": password},
        ),
        "login",
    )
    return payload["tokens"]["accessToken"], payload["tokens"]["refreshToken"]


def give_logins(gql: Gql, bkn: str, tenant: Tenant) -> None:
    """The head becomes admin instansi; head and first staff get a password and log in."""
    accounts = wait_for_accounts(gql, bkn, tenant)
    tenant.head_account_id = accounts[tenant.head["nip"]]
    tenant.staff_account_id = accounts[tenant.staff[0]["nip"]]
    for account_id in (tenant.head_account_id, tenant.staff_account_id):
        ok(
            gql(
                """mutation($a: ID!, $p: String!, $i: ID!) {
                     resetPassword(accountId: $a, newPassword: $p, instansiId: $i) { errors { field code message } }
                   }""",
                {"a": account_id, "p": PASSWORD, "i": tenant.instansi_id},
                token=bkn,
            ),
            "resetPassword",
        )
    ok(
        gql(
            """mutation($a: ID!, $i: ID!) {
                 setRoles(accountId: $a, roles: [PEGAWAI, ADMIN_INSTANSI], instansiId: $i) { errors { code message } }
               }""",
            {"a": tenant.head_account_id, "i": tenant.instansi_id},
            token=bkn,
        ),
        "setRoles",
    )
    tenant.admin_token, tenant.admin_refresh_token = login(gql, tenant.head["nip"], PASSWORD)
    tenant.pegawai_token, _ = login(gql, tenant.staff[0]["nip"], PASSWORD)


SNAPSHOT = """
query($i: ID!) {
  unorTree(instansiId: $i) { id nama parentId indukId jenis kota mandiri version }
  pegawaiList(first: 100, instansiId: $i) {
    totalCount edges { node { id nama nip unorId pimpinan golongan tmtJabatan active version jabatan { nama jenis } } }
  }
  pltList(instansiId: $i) { id pegawaiId unorId jabatan aktif version tanggalMulai tanggalSelesai }
  accounts(first: 100, instansiId: $i) { edges { node { id username roles active version } } }
}
"""


def snapshot(gql: Gql, bkn: str, tenant: Tenant) -> dict[str, Any]:
    """Everything of the instansi, as admin BKN sees it."""
    body = gql(SNAPSHOT, {"i": tenant.instansi_id}, token=bkn)
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data
