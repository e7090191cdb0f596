"""`make bench` (second part): one full SKP through GraphQL against one direct gRPC GetSkp.

One run starts PostgreSQL and the broker, identity, org and skp in this process and the gateway under
uvicorn in a subprocess; builds an instansi through org's gRPC API and, as a pegawai logged in through
identity, one SKP of 10 RHK with 2 indikator each (targets, target bulanan), 2 rencana aksi per RHK and
the 7 perilaku with penilai and ekspektasi; checks that both paths return the same SKP; then measures
each from a separate load process with one request in flight (latency, not throughput) and prints
p50/p95 and the GraphQL/gRPC p50 ratio. Nothing here asserts a time.

    .venv/bin/python tests/bench/bench_skp.py [--duration 10] [--concurrency 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import grpc
import grpc.aio
from bench_gateway import (
    _checked,
    _drive,
    _nip,
    bench_platform,
    drive,
    graphql_data,
    load_data,
    measure,
    print_rows,
    running_gateway,
)

# Passwords must pass identity's policy (no common words, years or names).
TEMPORARY_PASSWORD = "Daun-Jati-Gugur-31"
PASSWORD = "Kopi-Tubruk-Pahit-42"
RHK, INDIKATOR_PER_RHK, RENCANA_PER_RHK = 10, 2, 2
STAFF, HEAD = 6, 1  # pegawai 6 works in Bidang 1, which pegawai 1 heads (see bench_gateway.load_data)
YEAR = date.today().year + 1  # a year whose periode deadlines are all ahead

GRAPHQL = "GraphQL skp(id) (whole SKP)"
GRPC = "gRPC GetSkp (direct)"

PEJABAT = "pegawaiId nip nama golongan pangkat jabatan unorId unorNama"
GRAPHQL_QUERY = f"""
query FullSkp($id: ID!) {{
  skp(id: $id) {{
    id instansiId pegawaiId unorId pltId tahun tanggalMulai tanggalSelesai pendekatan model status mandiri
    pegawai {{ {PEJABAT} }} penilai {{ {PEJABAT} }} atasanPenilai {{ {PEJABAT} }}
    rhk {{
      id jenis teks atasanRhkId atasanRhkTeks atasanSkpId tahapan sumberSasaranId sumberMphId
      indikator {{
        id rhkId teks aspek perspektif target {{ min max satuan }} targetBulanan
        manual {{ deskripsiRencanaKerja definisi formula tujuan satuanPengukuran jenisIku penanggungJawab
                  penyediaData sumberData periodePelaporan }}
      }}
      rencanaAksi {{ id rhkId periodeId teks target satuan }}
    }}
    perilaku {{ nilai nama panduan ekspektasi penilaiJenis penilaiPegawaiId penilaiNama }}
    lampiran {{ dukunganSumberDaya skemaPertanggungjawaban konsekuensi }}
    alasanDikembalikan diajukanAt disetujuiAt dikembalikanAt createdAt updatedAt version jumlahRhk jumlahIndikator
  }}
}}
"""


# ---- the load process ----


async def _drive_get_skp(skp_addr: str, skp_id: str, token: str, duration: float, concurrency: int,
                         warmup: float) -> dict[str, Any]:  # fmt: skip
    from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc

    metadata = (("authorization", f"Bearer {token}"),)
    async with grpc.aio.insecure_channel(skp_addr) as channel:
        stub = skp_pb2_grpc.SkpServiceStub(channel)

        async def request() -> bool:
            await stub.GetSkp(skp_pb2.GetSkpRequest(id=skp_id), metadata=metadata)
            return True

        return await drive(request, duration, concurrency, warmup)


def load_main(spec: str) -> None:
    args = json.loads(spec)
    kind = args.pop("kind")
    result = asyncio.run(_drive_get_skp(**args) if kind == "grpc" else _drive(**args))
    print(json.dumps(result))


def run_load(spec: dict[str, Any]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--load", json.dumps(spec)], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# ---- the data ----


def _login_as(identity_addr: str, admin_token: str, instansi_id: str, nip: str) -> str:
    """Waits for identity to open the pegawai's account (from org's events), sets a password, logs in."""
    from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc

    admin = [("authorization", f"Bearer {admin_token}"), ("x-instansi-id", instansi_id)]
    with grpc.insecure_channel(identity_addr) as channel:
        stub = identity_pb2_grpc.IdentityServiceStub(channel)
        deadline = time.monotonic() + 60
        while True:
            try:
                account = stub.GetAccountByUsername(
                    identity_pb2.GetAccountByUsernameRequest(username=nip), metadata=tuple(admin), timeout=10
                )
                break
            except grpc.RpcError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        _checked(
            stub.ResetPassword,
            identity_pb2.ResetPasswordRequest(account_id=account.id, new_password=TEMPORARY_PASSWORD),
            admin,
        )
        # After a reset every call but the password change is refused until the holder changes it.
        login = stub.Login(identity_pb2.LoginRequest(username=nip, password=TEMPORARY_PASSWORD), timeout=10)
        changed = stub.ChangePassword(
            identity_pb2.ChangePasswordRequest(old_password=TEMPORARY_PASSWORD, new_password=PASSWORD),
            metadata=[("authorization", f"Bearer {login.tokens.access_token}")],
            timeout=10,
        )
    return str(changed.tokens.access_token)


def build_skp(addrs: dict[str, str], admin_token: str, instansi_id: str) -> tuple[str, str]:
    """The SKP of the benchmark; returns its id and the owner's token."""
    from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc

    staff = _login_as(addrs["identity"], admin_token, instansi_id, _nip(STAFF))
    head = _login_as(addrs["identity"], admin_token, instansi_id, _nip(HEAD))
    own = [("authorization", f"Bearer {staff}")]
    admin = [("authorization", f"Bearer {admin_token}"), ("x-instansi-id", instansi_id)]
    with grpc.insecure_channel(addrs["skp"]) as channel:
        stub = skp_pb2_grpc.SkpServiceStub(channel)
        periode = _checked(
            stub.CreatePeriodeSet, skp_pb2.CreatePeriodeSetRequest(pola=skp_pb2.POLA_PERIODE_TRIWULAN), admin
        ).periode
        skp = _checked(
            stub.CreateSkp,
            skp_pb2.CreateSkpRequest(
                tanggal_mulai=f"{YEAR}-01-01", tanggal_selesai=f"{YEAR}-12-31",
                pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
            ),
            own,
        )  # fmt: skip
        for r in range(RHK):
            skp = _checked(
                stub.AddRhk,
                skp_pb2.AddRhkRequest(
                    skp_id=skp.id,
                    rhk=skp_pb2.RhkInput(
                        jenis=skp_pb2.JENIS_RHK_UTAMA,
                        teks=f"Tersusunnya dokumen analisis kebutuhan pengembangan kompetensi tahap {r + 1}",
                        tahapan=["Pengumpulan data", "Analisis", "Penyusunan laporan"],
                    ),
                ),
                own,
            )
            rhk_id = skp.rhk[-1].id
            for i in range(INDIKATOR_PER_RHK):
                skp = _checked(
                    stub.AddIndikator,
                    skp_pb2.AddIndikatorRequest(
                        skp_id=skp.id, rhk_id=rhk_id,
                        indikator=skp_pb2.IndikatorInput(
                            teks=f"Jumlah dokumen analisis yang disahkan ({i + 1})", aspek=skp_pb2.ASPEK_KUANTITAS,
                            target=skp_pb2.Target(min="4", max="6", satuan="Dokumen"),
                        ),
                    ),
                    own,
                )  # fmt: skip
                indikator_id = next(r for r in skp.rhk if r.id == rhk_id).indikator[-1].id
                monthly = ["1" if m % 3 == 2 else "" for m in range(12)]
                skp = _checked(
                    stub.SetTargetBulanan,
                    skp_pb2.SetTargetBulananRequest(skp_id=skp.id, indikator_id=indikator_id, target=monthly),
                    own,
                )
            for q in range(RENCANA_PER_RHK):
                skp = _checked(
                    stub.AddRencanaAksi,
                    skp_pb2.AddRencanaAksiRequest(
                        skp_id=skp.id,
                        rencana_aksi=skp_pb2.RencanaAksiInput(
                            rhk_id=rhk_id, periode_id=periode[q].id, teks="Mengumpulkan dan memverifikasi data dukung",
                            target="1", satuan="Laporan",
                        ),
                    ),
                    own,
                )  # fmt: skip
        for nilai in range(1, 8):
            request = skp_pb2.SetPenilaiPerilakuRequest(
                skp_id=skp.id,
                nilai=nilai,
                penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN,  # type: ignore[arg-type]
            )
            _checked(stub.SetPenilaiPerilaku, request, own)
            expectation = skp_pb2.SetEkspektasiRequest(
                skp_id=skp.id,
                nilai=nilai,
                ekspektasi="Menyelesaikan tugas tepat waktu dan melayani dengan ramah",  # type: ignore[arg-type]
            )
            skp = _checked(stub.SetEkspektasi, expectation, [("authorization", f"Bearer {head}")])
    return skp.id, staff


def check_same_data(base: str, skp_addr: str, skp_id: str, token: str) -> tuple[int, int, int]:
    """GraphQL and gRPC return the same SKP: the same RHK, indikator, rencana aksi and perilaku."""
    from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc

    graphql = graphql_data(base, GRAPHQL_QUERY, {"id": skp_id}, token)["skp"]
    with grpc.insecure_channel(skp_addr) as channel:
        direct = skp_pb2_grpc.SkpServiceStub(channel).GetSkp(
            skp_pb2.GetSkpRequest(id=skp_id), metadata=(("authorization", f"Bearer {token}"),), timeout=10
        )
    assert [
        (r["id"], [i["id"] for i in r["indikator"]], [a["id"] for a in r["rencanaAksi"]])
        for r in graphql["rhk"]
    ] == [(r.id, [i.id for i in r.indikator], [a.id for a in r.rencana_aksi]) for r in direct.rhk], (
        "GraphQL and gRPC disagree on the SKP's content"
    )
    assert [p["ekspektasi"] for p in graphql["perilaku"]] == [p.ekspektasi for p in direct.perilaku]
    indikator = sum(len(r.indikator) for r in direct.rhk)
    rencana = sum(len(r.rencana_aksi) for r in direct.rhk)
    return len(direct.rhk), indikator, rencana


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load_main(args.load)
        return

    with bench_platform("kinerja-bench-skp-") as (workdir, addrs):
        admin_token, instansi_id = load_data(addrs["identity"], addrs["org"], 20)
        print("building one SKP through skp's gRPC API ...", flush=True)
        skp_id, token = build_skp(addrs, admin_token, instansi_id)
        with running_gateway(addrs, workdir) as (gateway, base):
            rhk, indikator, rencana = check_same_data(base, addrs["skp"], skp_id, token)
            print(
                f"both paths return the same SKP: {rhk} RHK, {indikator} indikator, {rencana} rencana aksi, 7 perilaku"
            )
            timing = {"duration": args.duration, "concurrency": args.concurrency, "warmup": 2.0}
            specs = {
                GRAPHQL: {"kind": "http", "method": "POST", "url": f"{base}/graphql",
                          "body": {"query": GRAPHQL_QUERY, "variables": {"id": skp_id}},
                          "headers": {"Authorization": f"Bearer {token}"}, **timing},
                GRPC: {"kind": "grpc", "skp_addr": addrs["skp"], "skp_id": skp_id, "token": token, **timing},
            }  # fmt: skip
            results = measure(specs, gateway.pid, run_load, through_gateway={GRAPHQL})
    print_rows(results, "path", 32)
    print()
    print(
        f"GraphQL/gRPC p50 ratio for one full SKP: {results[GRAPHQL]['p50_ms'] / results[GRPC]['p50_ms']:.2f}"
    )
    print("(GraphQL = gateway + one BatchGetSkp; gRPC = the same data straight from the skp service.)")


if __name__ == "__main__":
    main()
