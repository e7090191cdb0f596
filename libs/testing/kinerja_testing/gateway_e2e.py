"""End-to-end helpers: two instansi built through the gateway over the real identity and org services."""

from __future__ import annotations

import datetime
import random
import string
import time
from dataclasses import dataclass, field
from typing import Any

from kinerja_testing.gateway import Gql
from kinerja_testing.platform import random_nip

# Passwords must pass identity's policy (no common words, years or names).
TEMPORARY_PASSWORD = "Daun-Jati-Gugur-31"
PASSWORD = "Kopi-Tubruk-Pahit-42"
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
    # SKP planning data (build_skp_data): the JPT heading the root unit, the SKP year, ids by name
    jpt: dict[str, str] = field(default_factory=dict)
    jpt_token: str = ""
    staff1_token: str = ""
    tahun: int = 0
    skp: dict[str, str] = field(default_factory=dict)

    def markers(self) -> set[str]:
        """Strings that appear only in this instansi's data."""
        values = {self.tag, self.instansi_id, self.plt_id, self.head_account_id, self.staff_account_id}
        values |= set(self.unor_ids) | set(self.skp.values())
        for pegawai in [self.head, *self.staff, *([self.jpt] if self.jpt else [])]:
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


def wait_for_accounts(gql: Gql, bkn: str, tenant: Tenant, nips: set[str] | None = None) -> dict[str, str]:
    """Account id by NIP (default: head and staff), once identity has followed org's pegawai events."""
    wanted = nips or {tenant.head["nip"], *(s["nip"] for s in tenant.staff)}
    return accounts_by_nip(gql, bkn, tenant.instansi_id, wanted)


def accounts_by_nip(gql: Gql, bkn: str, instansi_id: str, wanted: set[str]) -> dict[str, str]:
    """Account id by NIP for `wanted`, waiting until identity has made their accounts."""
    deadline = time.monotonic() + ACCOUNT_WAIT_SECONDS
    while True:
        body = gql(
            "query($i: ID!) { accounts(first: 50, instansiId: $i) { edges { node { id username } } } }",
            {"i": instansi_id},
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


def set_password(gql: Gql, bkn: str, instansi_id: str, account_id: str, nip: str) -> None:
    """Admin BKN resets the account's password; its holder logs in and changes it to PASSWORD (until
    then every call but the change is refused with PASSWORD_CHANGE_REQUIRED)."""
    ok(
        gql(
            """mutation($a: ID!, $p: String!, $i: ID!) {
                 resetPassword(accountId: $a, newPassword: $p, instansiId: $i) { errors { field code message } }
               }""",
            {"a": account_id, "p": TEMPORARY_PASSWORD, "i": instansi_id},
            token=bkn,
        ),
        "resetPassword",
    )
    token, _ = login(gql, nip, TEMPORARY_PASSWORD)
    ok(
        gql(
            """mutation($o: String!, $n: String!) {
                 changePassword(oldPassword: $o, newPassword: $n) { ok errors { field code message } }
               }""",
            {"o": TEMPORARY_PASSWORD, "n": PASSWORD},
            token=token,
        ),
        "changePassword",
    )


def give_logins(gql: Gql, bkn: str, tenant: Tenant) -> None:
    """The head becomes admin instansi; head and first staff get a password and log in."""
    accounts = wait_for_accounts(gql, bkn, tenant)
    tenant.head_account_id = accounts[tenant.head["nip"]]
    tenant.staff_account_id = accounts[tenant.staff[0]["nip"]]
    for account_id, nip in (
        (tenant.head_account_id, tenant.head["nip"]),
        (tenant.staff_account_id, tenant.staff[0]["nip"]),
    ):
        set_password(gql, bkn, tenant.instansi_id, account_id, nip)
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


def create_pegawai(gql: Gql, bkn: str, instansi_id: str, pegawai: dict[str, Any]) -> dict[str, str]:
    """A pegawai created by admin BKN (a fresh NIP unless given): {id, nip, nama}."""
    nip = pegawai.get("nip") or random_nip()
    payload = ok(
        gql(
            """mutation($p: PegawaiInput!, $i: ID!) {
                 createPegawai(input: $p, instansiId: $i) { pegawai { id } errors { field code message } }
               }""",
            {"p": {"tmtJabatan": "2022-01-03", **pegawai, "nip": nip}, "i": instansi_id},
            token=bkn,
        ),
        "createPegawai",
    )
    return {"id": payload["pegawai"]["id"], "nip": nip, "nama": pegawai["nama"]}


def give_login(
    gql: Gql, bkn: str, instansi_id: str, account_id: str, nip: str, roles: list[str] | None = None
) -> str:
    """A password (and roles) for one account, set by admin BKN; the access token of its login."""
    set_password(gql, bkn, instansi_id, account_id, nip)
    if roles:
        ok(
            gql(
                """mutation($a: ID!, $r: [Role!]!, $i: ID!) {
                     setRoles(accountId: $a, roles: $r, instansiId: $i) { errors { code message } }
                   }""",
                {"a": account_id, "r": roles, "i": instansi_id},
                token=bkn,
            ),
            "setRoles",
        )
    token, _ = login(gql, nip, PASSWORD)
    return token


def mutate(gql: Gql, document: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    """The payload of a one-field mutation that must succeed."""
    body = gql(document, variables, token=token)
    assert not body.get("errors"), body
    (name,) = body["data"]
    return ok(body, name)


# ---- SKP planning data of an instansi, built through GraphQL (for the isolation tests) ----


def op(variables: str, call: str, selection: str) -> str:
    """A one-field mutation document: `mutation(variables) { call { selection } }`."""
    return "mutation(" + variables + ") { " + call + " { " + selection + " } }"


SKP_CONTENT = "skp { id status rhk { id indikator { id } rencanaAksi { id } } } errors { field code message }"
_CREATE_SKP = op(
    "$a: Date!, $b: Date!",
    "createSkp(tanggalMulai: $a, tanggalSelesai: $b, pendekatan: KUANTITATIF)",
    SKP_CONTENT,
)
_ADD_RHK = op("$s: ID!, $r: RhkInput!", "addRhk(skpId: $s, input: $r)", SKP_CONTENT)
_ADD_INDIKATOR = op(
    "$s: ID!, $r: ID!, $i: IndikatorInput!", "addIndikator(skpId: $s, rhkId: $r, input: $i)", SKP_CONTENT
)
_PENILAI_ATASAN = op(
    "$s: ID!, $n: NilaiPerilaku!",
    "setPenilaiPerilaku(skpId: $s, nilai: $n, penilaiJenis: ATASAN)",
    SKP_CONTENT,
)
_SUBMIT = op("$s: ID!", "submitSkp(id: $s)", SKP_CONTENT)
_APPROVE = op("$s: ID!", "approveSkp(id: $s)", SKP_CONTENT)
NILAI_PERILAKU = [
    "BERORIENTASI_PELAYANAN", "AKUNTABEL", "KOMPETEN", "HARMONIS", "LOYAL", "ADAPTIF", "KOLABORATIF",
]  # fmt: skip


def _skp_of_year(gql: Gql, token: str, year: int) -> dict[str, Any]:
    skp: dict[str, Any] = mutate(gql, _CREATE_SKP, {"a": f"{year}-01-01", "b": f"{year}-12-31"}, token)["skp"]
    return skp


def _penilai_atasan(gql: Gql, token: str, skp_id: str) -> None:
    for nilai in NILAI_PERILAKU:
        mutate(gql, _PENILAI_ATASAN, {"s": skp_id, "n": nilai}, token)


def build_skp_data(gql: Gql, bkn: str, tenant: Tenant) -> None:
    """SKP planning of this year in the instansi, through GraphQL, its ids kept in `tenant.skp`.

    A JPT heads the root unit (a JPT_PRATAMA unit: their SKP is JPT-model) and writes a perjanjian
    kinerja, copies it into an SKP (draft: the root unit is not mandiri and has no atasan) and splits
    its RHK in a matriks peran hasil with the head as ketua tim; the head copies that peran into an
    SKP with indikator and a rencana aksi of the current quarter, which the JPT approves, and logs a
    kinerja harian today; staff 1 has a complete SKP waiting for the head's approval; staff 0 a draft
    with an RHK tambahan. Every text carries the tenant's tag, so a leak of any of them shows.
    """
    today = datetime.date.today()
    year = tenant.tahun = today.year
    tag, ids = tenant.tag, tenant.skp
    tenant.jpt = create_pegawai(
        gql,
        bkn,
        tenant.instansi_id,
        {
            "nama": f"Sekretaris Daerah {tag}",
            "unorId": tenant.unor_ids[0],
            "pimpinan": True,
            "jabatan": {"nama": "Sekretaris Daerah", "jenis": "JPT"},
            "golongan": "IV/c",
        },
    )
    staff1 = tenant.staff[1]
    accounts = wait_for_accounts(gql, bkn, tenant, {tenant.jpt["nip"], staff1["nip"]})
    tenant.jpt_token = give_login(
        gql, bkn, tenant.instansi_id, accounts[tenant.jpt["nip"]], tenant.jpt["nip"]
    )
    tenant.staff1_token = give_login(gql, bkn, tenant.instansi_id, accounts[staff1["nip"]], staff1["nip"])
    jpt, head, staff0 = tenant.jpt_token, tenant.admin_token, tenant.pegawai_token

    periode = mutate(
        gql,
        "mutation { createPeriodeSet(pola: TRIWULAN) { periode { id nama } errors { field code message } } }",
        {},
        tenant.admin_token,
    )["periode"]
    ids["periode"] = periode[(today.month - 1) // 3]["id"]  # this quarter: its batas pengisian is ahead

    pk = mutate(
        gql,
        "mutation($t: Int!) { createPerjanjianKinerja(tahun: $t) { perjanjianKinerja { id } errors { code } } }",
        {"t": year},
        jpt,
    )
    pk = mutate(
        gql,
        """mutation($p: ID!, $s: SasaranInput!) { addSasaranStrategis(perjanjianKinerjaId: $p, input: $s) {
             perjanjianKinerja { id sasaran { id } } errors { field code message } } }""",
        {
            "p": pk["perjanjianKinerja"]["id"],
            "s": {
                "teks": f"Meningkatnya kualitas layanan kepegawaian {tag}",
                "indikator": [
                    {"teks": f"Indeks kepuasan layanan {tag}", "target": "3.5", "satuan": "Indeks"}
                ],
            },
        },
        jpt,
    )["perjanjianKinerja"]
    ids["pk"], ids["sasaran"] = pk["id"], pk["sasaran"][0]["id"]

    skp = _skp_of_year(gql, jpt, year)
    skp = mutate(
        gql,
        op("$s: ID!, $x: ID!", "copySasaranToSkp(skpId: $s, sasaranId: $x)", SKP_CONTENT),
        {"s": skp["id"], "x": ids["sasaran"]},
        jpt,
    )["skp"]
    ids["skp_jpt"], ids["rhk_jpt"] = skp["id"], skp["rhk"][0]["id"]
    ids["indikator_jpt"] = skp["rhk"][0]["indikator"][0]["id"]
    mph_fields = "matriksPeranHasil { id kolom { id } anggota { id } } errors { field code message }"
    mph = mutate(
        gql,
        op(
            "$s: ID!, $r: ID!, $k: [MphKolomInput!]!",
            "setMphKolom(skpId: $s, rhkId: $r, kolom: $k)",
            mph_fields,
        ),
        {"s": ids["skp_jpt"], "r": ids["rhk_jpt"], "k": [{"nama": f"Layanan mutasi {tag}"}]},
        jpt,
    )["matriksPeranHasil"]
    ids["mph"], ids["kolom"] = mph["id"], mph["kolom"][0]["id"]
    mph = mutate(
        gql,
        op(
            "$s: ID!, $r: ID!, $a: MphAnggotaInput!",
            "addMphAnggota(skpId: $s, rhkId: $r, input: $a)",
            mph_fields,
        ),
        {
            "s": ids["skp_jpt"],
            "r": ids["rhk_jpt"],
            "a": {
                "nip": tenant.head["nip"],
                "peranTim": "KETUA",
                "peran": [{"kolomId": ids["kolom"], "peran": f"Terlaksananya layanan mutasi {tag}"}],
            },
        },
        jpt,
    )["matriksPeranHasil"]
    ids["anggota"] = mph["anggota"][0]["id"]

    skp = _skp_of_year(gql, head, year)
    skp = mutate(
        gql,
        op("$s: ID!, $m: ID!, $k: ID!", "copyPeranToSkp(skpId: $s, mphId: $m, kolomId: $k)", SKP_CONTENT),
        {"s": skp["id"], "m": ids["mph"], "k": ids["kolom"]},
        head,
    )["skp"]
    ids["skp_head"], ids["rhk_head"] = skp["id"], skp["rhk"][0]["id"]
    skp = mutate(
        gql,
        _ADD_INDIKATOR,
        {
            "s": ids["skp_head"],
            "r": ids["rhk_head"],
            "i": {
                "teks": f"Jumlah layanan mutasi {tag}",
                "aspek": "KUANTITAS",
                "target": {"min": "12", "satuan": "Layanan"},
            },
        },
        head,
    )["skp"]
    ids["indikator_head"] = skp["rhk"][0]["indikator"][0]["id"]
    skp = mutate(
        gql,
        op("$s: ID!, $r: RencanaAksiInput!", "addRencanaAksi(skpId: $s, input: $r)", SKP_CONTENT),
        {
            "s": ids["skp_head"],
            "r": {
                "rhkId": ids["rhk_head"],
                "periodeId": ids["periode"],
                "teks": f"Menyusun jadwal layanan {tag}",
                "target": "3",
                "satuan": "Layanan",
            },
        },
        head,
    )["skp"]
    ids["rencana_aksi"] = skp["rhk"][0]["rencanaAksi"][0]["id"]
    _penilai_atasan(gql, head, ids["skp_head"])
    assert mutate(gql, _SUBMIT, {"s": ids["skp_head"]}, head)["skp"]["status"] == "DIAJUKAN"
    assert mutate(gql, _APPROVE, {"s": ids["skp_head"]}, jpt)["skp"]["status"] == "DISETUJUI"
    harian = mutate(
        gql,
        """mutation($s: ID!, $k: KinerjaHarianInput!) { addKinerjaHarian(skpId: $s, input: $k) {
             kinerjaHarian { id } errors { field code message } } }""",
        {
            "s": ids["skp_head"],
            "k": {
                "tanggal": str(today),
                "uraian": f"Memproses usul mutasi {tag}",
                "indikatorId": ids["indikator_head"],
                "realisasi": "1",
            },
        },
        head,
    )
    ids["kinerja_harian"] = harian["kinerjaHarian"]["id"]

    skp = _skp_of_year(gql, tenant.staff1_token, year)
    skp = mutate(
        gql,
        _ADD_RHK,
        {
            "s": skp["id"],
            "r": {
                "jenis": "UTAMA",
                "teks": f"Terverifikasinya berkas mutasi {tag}",
                "atasanRhkId": ids["rhk_head"],
            },
        },
        tenant.staff1_token,
    )["skp"]
    ids["skp_diajukan"], ids["rhk_diajukan"] = skp["id"], skp["rhk"][0]["id"]
    mutate(
        gql,
        _ADD_INDIKATOR,
        {
            "s": ids["skp_diajukan"],
            "r": ids["rhk_diajukan"],
            "i": {
                "teks": f"Jumlah berkas {tag}",
                "aspek": "KUANTITAS",
                "target": {"min": "40", "satuan": "Berkas"},
            },
        },
        tenant.staff1_token,
    )
    _penilai_atasan(gql, tenant.staff1_token, ids["skp_diajukan"])
    assert (
        mutate(gql, _SUBMIT, {"s": ids["skp_diajukan"]}, tenant.staff1_token)["skp"]["status"] == "DIAJUKAN"
    )

    skp = _skp_of_year(gql, staff0, year)
    skp = mutate(
        gql,
        _ADD_RHK,
        {"s": skp["id"], "r": {"jenis": "TAMBAHAN", "teks": f"Tertatanya arsip {tag}"}},
        staff0,
    )["skp"]
    ids["skp_draft"], ids["rhk_draft"] = skp["id"], skp["rhk"][0]["id"]


SNAPSHOT = """
query($i: ID!) {
  unorTree(instansiId: $i) { id nama parentId indukId jenis kota mandiri version }
  pegawaiList(first: 100, instansiId: $i) {
    totalCount edges { node { id nama nip unorId pimpinan golongan tmtJabatan active version jabatan { nama jenis } } }
  }
  pltList(first: 100, instansiId: $i) {
    totalCount edges { node { id pegawaiId unorId jabatan aktif version tanggalMulai tanggalSelesai } }
  }
  accounts(first: 100, instansiId: $i) { edges { node { id username roles active version } } }
}
"""


SKP_SNAPSHOT = """
query($jpt: ID!, $t: Int!, $skp: ID!) {
  periodeList { id nama mulai selesai batasPengisian jenis version }
  perjanjianKinerjaList(pegawaiId: $jpt) { id tahun version sasaran { id teks indikator { id teks target satuan } } }
  skpList(scope: INSTANSI, first: 100) {
    totalCount
    edges { node {
      id pegawaiId status version tanggalMulai tanggalSelesai pendekatan alasanDikembalikan updatedAt
      rhk {
        id jenis teks atasanRhkId atasanRhkTeks tahapan
        indikator { id teks aspek perspektif target { min max satuan } manual { definisi } targetBulanan }
        rencanaAksi { id periodeId teks target satuan }
      }
      perilaku { nilai ekspektasi penilaiJenis penilaiPegawaiId }
      lampiran { dukunganSumberDaya skemaPertanggungjawaban konsekuensi }
    } }
  }
  matriksPeranHasilList(tahun: $t, first: 20) {
    totalCount
    edges { node {
      id version rhkTeks kolom { id nama } anggota { id peranTim peran { kolomId peran } pegawai { pegawaiId } }
    } }
  }
  kinerjaHarian(skpId: $skp) { id tanggal uraian indikatorId realisasi version }
  peranDitugaskan(tahun: $t) { mphId kolomId peran peranTim }
}
"""


def snapshot(gql: Gql, bkn: str, tenant: Tenant) -> dict[str, Any]:
    """Everything of the instansi: org data as admin BKN sees it; SKP planning (when built) as its admin."""
    body = gql(SNAPSHOT, {"i": tenant.instansi_id}, token=bkn)
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    if tenant.skp:
        variables = {"jpt": tenant.jpt["id"], "t": tenant.tahun, "skp": tenant.skp["skp_head"]}
        body = gql(SKP_SNAPSHOT, variables, token=tenant.admin_token)
        assert not body.get("errors"), body
        data["skp"] = body["data"]
    return data
