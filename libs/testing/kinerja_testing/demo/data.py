"""Loads the demo instansi, their org structure, demo logins, SKP planning, assessment and angka kredit through
the public gRPC APIs."""

from __future__ import annotations

import time
from dataclasses import dataclass

import grpc

from kinerja.angka_kredit.v1 import angka_kredit_pb2_grpc
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2_grpc
from kinerja_testing.demo.angka_kredit import load_angka_kredit_demo
from kinerja_testing.demo.assessment import load_assessment_demo
from kinerja_testing.demo.org import demo_structure, load_structure
from kinerja_testing.demo.skp import load_skp_demo


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: which pegawai (by demo key) of which variant, its password and extra role."""

    role: str
    variant: int
    key: str
    password: str
    admin_instansi: bool = False

    @property
    def username(self) -> str:
        return _person(self.variant, self.key).nip


def _person(variant: int, key: str):  # type: ignore[no-untyped-def]
    return next(p for p in demo_structure(variant).pegawai if p.key == key)


# One password for every demo login; it has to pass identity's password policy (set by ChangePassword).
DEMO_PASSWORD = "Sawah-Hijau-Pagi-17"

DEMO_LOGINS = [
    DemoLogin("admin instansi (BKD Jateng)", 1, "data_kepegawaian", DEMO_PASSWORD, admin_instansi=True),
    DemoLogin("kepala badan (JPT, penilai)", 1, "kepala", DEMO_PASSWORD),
    DemoLogin("kepala bidang + Plt (atasan)", 1, "kabid_informasi", DEMO_PASSWORD),
    DemoLogin("staf JF (pranata komputer)", 1, "prakom_1", DEMO_PASSWORD),
    DemoLogin("staf JF (penilaian dibuka)", 1, "prakom_2", DEMO_PASSWORD),
    DemoLogin("staf JF (penilaian dinilai)", 1, "analis_informasi", DEMO_PASSWORD),
    DemoLogin("admin instansi (Kab. Sleman)", 2, "analis_jabatan", DEMO_PASSWORD, admin_instansi=True),
]


def _wait_account(
    stub: identity_pb2_grpc.IdentityServiceStub, username: str, metadata: list[tuple[str, str]]
) -> identity_pb2.Account:
    """Accounts follow org's PegawaiCreated events; wait until identity has applied them."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return stub.GetAccountByUsername(
                identity_pb2.GetAccountByUsernameRequest(username=username), metadata=metadata
            )
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _ensure_login(
    identity: identity_pb2_grpc.IdentityServiceStub, demo: DemoLogin, acting: list[tuple[str, str]]
) -> bool:
    """Gives a demo account its password (and admin role) unless it has one; returns whether it did."""
    account = _wait_account(identity, demo.username, acting)
    if account.has_password and not account.must_change_password:
        return False
    # As in real life: the admin issues a temporary password, the pegawai replaces it.
    temporary = identity.ResetPassword(
        identity_pb2.ResetPasswordRequest(account_id=account.id), metadata=acting
    ).temporary_password
    own = identity.Login(identity_pb2.LoginRequest(username=demo.username, password=temporary))
    identity.ChangePassword(
        identity_pb2.ChangePasswordRequest(old_password=temporary, new_password=demo.password),
        metadata=[("authorization", f"Bearer {own.tokens.access_token}")],
    )
    if demo.admin_instansi:
        identity.SetRoles(
            identity_pb2.SetRolesRequest(
                account_id=account.id,
                roles=[identity_pb2.ROLE_PEGAWAI, identity_pb2.ROLE_ADMIN_INSTANSI],
            ),
            metadata=acting,
        )
    return True


def load_demo_data(
    identity_addr: str,
    org_addr: str,
    skp_addr: str,
    assessment_addr: str,
    admin_username: str,
    admin_password: str,
    angka_kredit_addr: str = "",
) -> bool:
    """Creates what is missing of the demo data (each part is skipped when it exists; angka kredit when its
    address is given); returns whether anything was loaded."""
    identity = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(identity_addr))
    org = org_pb2_grpc.OrgServiceStub(grpc.insecure_channel(org_addr))
    skp = skp_pb2_grpc.SkpServiceStub(grpc.insecure_channel(skp_addr))
    assessment = assessment_pb2_grpc.AssessmentServiceStub(grpc.insecure_channel(assessment_addr))
    login = identity.Login(identity_pb2.LoginRequest(username=admin_username, password=admin_password))
    auth = [("authorization", f"Bearer {login.tokens.access_token}")]
    instansi_ids = {
        i.kode: i.id for i in org.ListInstansi(org_pb2.ListInstansiRequest(), metadata=auth).instansi
    }
    loaded = False
    variants = {v: demo_structure(v) for v in (1, 2)}
    for structure in variants.values():
        if structure.instansi.kode in instansi_ids:
            continue
        print(f"Loading demo instansi {structure.instansi.nama} ...", flush=True)
        instansi = org.CreateInstansi(
            org_pb2.CreateInstansiRequest(
                kode=structure.instansi.kode, nama=structure.instansi.nama, jenis=structure.instansi.jenis
            ),
            metadata=auth,
        )
        instansi_ids[instansi.kode] = instansi.id
        load_structure(org, structure, instansi.id, [*auth, ("x-instansi-id", instansi.id)])
        loaded = True
    for demo in DEMO_LOGINS:
        acting = [*auth, ("x-instansi-id", instansi_ids[variants[demo.variant].instansi.kode])]
        loaded = _ensure_login(identity, demo, acting) or loaded
    passwords = {demo.key: demo.password for demo in DEMO_LOGINS if demo.variant == 1}
    loaded = load_skp_demo(identity, org, skp, passwords) or loaded
    loaded = load_assessment_demo(identity, org, skp, assessment, passwords) or loaded
    if angka_kredit_addr:
        angka_kredit = angka_kredit_pb2_grpc.AngkaKreditServiceStub(grpc.insecure_channel(angka_kredit_addr))
        loaded = load_angka_kredit_demo(identity, angka_kredit, passwords) or loaded
    if not loaded:
        print("Demo data already loaded.")
    return loaded
