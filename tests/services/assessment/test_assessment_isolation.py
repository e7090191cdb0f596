"""Isolation: a caller of instansi B (a pegawai, a head, the admin instansi, an admin BKN acting on B)
reaches nothing of instansi A through any AssessmentService method and any id-bearing field: reads answer
as they do for ids that exist nowhere (NOT_FOUND, a refusal, or an empty page), writes are refused and
change none of A's rows, GetPenilaian for A's own people answers the same before and after, and no answer
carries an id of A. Naming A in `x-instansi-id` is refused, and row-level security alone (the
application's filter bypassed) hides A from B's transactions as the runtime role."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from google.protobuf.message import Message
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from assessment.adapters.orm import TENANT_TABLES
from kinerja.assessment.v1 import assessment_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.db import ServiceDatabase, UnitOfWork, make_engine
from kinerja_kit.errors import from_rpc_error
from kinerja_testing.platform import proto_strings, rpc_error, wait_for
from kinerja_testing.skp import YEAR, SkpTenant, SkpWorld

from .conftest import FullQuarter, assessment_snapshot, batas_later, build_full_quarter

pytestmark = pytest.mark.integration

Stub = assessment_pb2_grpc.AssessmentServiceStub
Metadata = list[tuple[str, str]]
SERVICE = pb.DESCRIPTOR.services_by_name["AssessmentService"]
S, A = pb.RATING_SESUAI_EKSPEKTASI, pb.RATING_DI_ATAS_EKSPEKTASI
# The answers a refused call may give: never one that says a record of another instansi exists.
REFUSED = {
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.INVALID_ARGUMENT,
}


@dataclass
class Pair:
    a: FullQuarter
    b: SkpTenant  # demo structure 1 again: the same keys, other ids
    b_periode: list[skp_pb2.Periode]  # B's own quarterly periode, projected


@pytest.fixture(scope="module")
def pair(skp_world: SkpWorld, assessment_stub: Stub, assessment_inspect_engine: Engine) -> Pair:
    a = build_full_quarter(skp_world, assessment_stub, assessment_inspect_engine)
    b = skp_world.tenant(1)
    periode = skp_world.quarterly(b)

    def periode_known() -> bool:
        with assessment_inspect_engine.connect() as conn:
            found = conn.execute(
                text("select count(*) from periode_proyeksi where instansi_id = :i"), {"i": b.instansi_id}
            )
            return found.scalar() == len(periode)

    assert wait_for(periode_known, what="the projection of B's periode")
    return Pair(a, b, periode)


@dataclass(frozen=True)
class Ids:
    """The ids the calls aim at: A's, or ones that exist nowhere (`fresh`)."""

    open_p: str  # prakom_1's open penilaian
    kabid_p: str  # kabid_informasi's open penilaian, with a realisasi
    rated_p: str  # prakom_2's rated penilaian, with the keberatan
    indikator: str
    skp: str
    staff_skp: str
    periode: str
    unit: str  # the BKD: a unit kerja with a capaian
    bidang: str
    pegawai: str
    capaian: str
    keberatan: str
    nip: str

    @staticmethod
    def of(a: FullQuarter) -> Ids:
        t = a.t
        return Ids(
            open_p=a.open_p.id,
            kabid_p=a.kabid_p.id,
            rated_p=a.rated_p.id,
            indikator=a.kabid_p.realisasi[0].indikator_id,
            skp=a.q.kabid.id,
            staff_skp=a.staff1.id,
            periode=a.tw1,
            unit=t.unor("bkd"),
            bidang=t.unor("informasi"),
            pegawai=t.id("prakom_1"),
            capaian=a.capaian.id,
            keberatan=a.keberatan.id,
            nip=t.nip("prakom_2"),
        )

    def fresh(self) -> Ids:
        ids = {f.name: str(uuid.uuid4()) for f in dataclasses.fields(self) if f.name != "nip"}
        return dataclasses.replace(self, **ids, nip="199001012020011999")


def _requests(i: Ids, batas_baru: str) -> list[tuple[str, Message]]:
    """Every RPC, with each id-bearing field of its request aimed at `i` in at least one of its calls."""
    realisasi = pb.RealisasiInput(
        nilai="9", bukti_dukung=[pb.BuktiDukungInput(nama="Susupan", url="https://x.example/s")]
    )
    capaian = pb.CapaianInput(tahun=YEAR, periode_id=i.periode, unor_id=i.unit, capaian=pb.CAPAIAN_ISTIMEWA)
    penilaian_ids = [i.open_p, i.kabid_p, i.rated_p]
    return [
        ("OpenPenilaian", pb.OpenPenilaianRequest(skp_id=i.staff_skp, periode_id=i.periode)),
        ("OpenPenilaian", pb.OpenPenilaianRequest(skp_id=i.skp, periode_id=i.periode)),
        *(("GetPenilaian", pb.GetPenilaianRequest(id=p)) for p in penilaian_ids),
        ("BatchGetPenilaian", pb.BatchGetPenilaianRequest(ids=penilaian_ids)),
        *(("ListPenilaian", pb.ListPenilaianRequest(scope=s)) for s in (0, 1, 2, 3)),
        ("ListPenilaian", pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_INSTANSI, periode_id=i.periode)),
        ("ListPenilaian", pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_INSTANSI, skp_id=i.skp)),
        ("ListPenilaian", pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_INSTANSI, unit_kerja_id=i.unit)),
        ("ListPenilaian", pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_BAWAHAN, skp_id=i.staff_skp)),
        (
            "SetRealisasi",
            pb.SetRealisasiRequest(penilaian_id=i.kabid_p, indikator_id=i.indikator, realisasi=realisasi),
        ),
        ("SetFeedbackPerilaku", pb.SetFeedbackPerilakuRequest(penilaian_id=i.kabid_p, nilai=6, feedback="x")),  # type: ignore[arg-type]
        (
            "SetUmpanBalik",
            pb.SetUmpanBalikRequest(penilaian_id=i.kabid_p, indikator_id=i.indikator, umpan_balik="x"),
        ),
        ("SetUmpanBalik", pb.SetUmpanBalikRequest(penilaian_id=i.open_p, nilai=1, umpan_balik="x")),  # type: ignore[arg-type]
        (
            "RatePenilaian",
            pb.RatePenilaianRequest(penilaian_id=i.rated_p, rating_hasil_kerja=A, rating_perilaku_kerja=A),
        ),
        (
            "ExtendBatas",
            pb.ExtendBatasRequest(
                periode_id=i.periode, tahun=YEAR, pegawai_id=i.pegawai, batas_baru=batas_baru, alasan="x"
            ),
        ),
        (
            "ExtendBatas",
            pb.ExtendBatasRequest(
                periode_id=i.periode, tahun=YEAR, unor_id=i.bidang, batas_baru=batas_baru, alasan="x"
            ),
        ),
        ("ListPerpanjanganBatas", pb.ListPerpanjanganBatasRequest()),
        ("ListPerpanjanganBatas", pb.ListPerpanjanganBatasRequest(periode_id=i.periode, tahun=YEAR)),
        *(("GetInbox", pb.GetInboxRequest(jenis=j)) for j in (0, 1, 2, 3, 4)),  # type: ignore[arg-type]
        ("GetInbox", pb.GetInboxRequest(periode_id=i.periode, jenis=pb.JENIS_TUGAS_NILAI_BAWAHAN)),
        ("SetCapaian", pb.SetCapaianRequest(capaian=capaian)),
        ("SetCapaian", pb.SetCapaianRequest(id=i.capaian, capaian=capaian)),
        ("DeleteCapaian", pb.DeleteCapaianRequest(id=i.capaian)),
        ("FinaliseCapaian", pb.FinaliseCapaianRequest(id=i.capaian)),
        ("UnfinaliseCapaian", pb.UnfinaliseCapaianRequest(id=i.capaian)),
        ("ListCapaian", pb.ListCapaianRequest(tahun=YEAR)),
        ("ListCapaian", pb.ListCapaianRequest(periode_id=i.periode, query="kepegawaian")),
        ("GetPolaDistribusi", pb.GetPolaDistribusiRequest(unor_id=i.unit, periode_id=i.periode, tahun=YEAR)),
        ("ListKalibrasi", pb.ListKalibrasiRequest(unor_id=i.unit, periode_id=i.periode, tahun=YEAR)),
        (
            "ListKalibrasi",
            pb.ListKalibrasiRequest(
                unor_id=i.unit, periode_id=i.periode, tahun=YEAR, predikat=pb.PREDIKAT_BAIK
            ),
        ),
        ("FileKeberatan", pb.FileKeberatanRequest(penilaian_id=i.rated_p, alasan="x", rating_hasil_kerja=A)),
        ("ExplainKeberatan", pb.ExplainKeberatanRequest(id=i.keberatan, penjelasan="x")),
        (
            "DecideKeberatan",
            pb.DecideKeberatanRequest(id=i.keberatan, disetujui=True, keputusan="x", rating_hasil_kerja=A),
        ),
        ("DecideKeberatan", pb.DecideKeberatanRequest(id=i.keberatan, disetujui=False, keputusan="x")),
        ("GetKeberatan", pb.GetKeberatanRequest(id=i.keberatan)),
        *(("ListKeberatan", pb.ListKeberatanRequest(scope=s)) for s in (0, 1, 2, 3)),
        ("ListKeberatan", pb.ListKeberatanRequest(scope=pb.KEBERATAN_SCOPE_INSTANSI, query="irdian")),
        ("ListKeberatan", pb.ListKeberatanRequest(scope=pb.KEBERATAN_SCOPE_INSTANSI, query=i.nip)),
        ("ListKeberatan", pb.ListKeberatanRequest(scope=pb.KEBERATAN_SCOPE_DIJAWAB, tahun=YEAR)),
    ]


def _call(stub: Stub, name: str, request: Message, metadata: Metadata) -> Any:
    return getattr(stub, name)(request, metadata=metadata)


def _answer(stub: Stub, name: str, request: Message, metadata: Metadata) -> tuple[Any, Message | None]:
    """(code, reason) of a refusal, or ("OK", the response)."""
    try:
        return "OK", _call(stub, name, request, metadata)
    except grpc.RpcError as err:
        error = from_rpc_error(err)  # type: ignore[arg-type]
        assert error is not None, (name, err)
        violations = tuple(sorted(v.code for v in error.violations))
        return (err.code(), error.reason, violations), None  # type: ignore[attr-defined]


def _id_fields(descriptor: Any, prefix: str = "") -> set[str]:
    """The paths of the id-bearing fields of a request (id, ids, *_id), nested messages included."""
    found: set[str] = set()
    for f in descriptor.fields:
        if f.message_type is not None and not f.message_type.full_name.startswith("google."):
            found |= _id_fields(f.message_type, f"{prefix}{f.name}.")
        elif f.name in {"id", "ids"} or f.name.endswith("_id"):
            found.add(prefix + f.name)
    return found


def _value(message: Any, path: str) -> list[str]:
    head, _, rest = path.partition(".")
    value = getattr(message, head)
    if rest:
        return _value(value, rest)
    return list(value) if not isinstance(value, str) else [value]


def _b_callers(b: SkpTenant) -> dict[str, Metadata]:
    return {
        "pegawai": b.md("prakom_1"),
        "atasan": b.md("kabid_informasi"),  # heads a bidang, PLT of another, chosen penilai on nothing
        "pimpinan": b.md("kepala"),  # leads B's unit kerja, atasan of everyone in it
        "admin": b.admin,
        "bkn_acting_on_b": b.org.bkn,
    }


def _a_view(stub: Stub, a: FullQuarter) -> dict[str, Any]:
    """A's records as A's own people read them (none of these reads writes anything)."""
    t = a.t
    owner = {a.open_p.id: "prakom_1", a.kabid_p.id: "kabid_informasi", a.rated_p.id: "prakom_2"}
    return {
        **{p: stub.GetPenilaian(pb.GetPenilaianRequest(id=p), metadata=t.md(k)) for p, k in owner.items()},
        "keberatan": stub.GetKeberatan(pb.GetKeberatanRequest(id=a.keberatan.id), metadata=t.md("prakom_2")),
        "capaian": stub.ListCapaian(pb.ListCapaianRequest(tahun=YEAR), metadata=t.admin),
        "perpanjangan": stub.ListPerpanjanganBatas(pb.ListPerpanjanganBatasRequest(), metadata=t.admin),
        "inbox": stub.GetInbox(
            pb.GetInboxRequest(jenis=pb.JENIS_TUGAS_NILAI_BAWAHAN), metadata=t.md("kabid_informasi")
        ),
    }


def test_the_calls_cover_every_rpc_and_id_field(pair: Pair) -> None:
    a = pair.a
    ids = Ids.of(a)
    requests = _requests(ids, batas_later(a.q.periode[0], YEAR, days=30))
    assert {name for name, _ in requests} == {m.name for m in SERVICE.methods}
    aimed = set(dataclasses.asdict(ids).values())
    for method in SERVICE.methods:
        for path in _id_fields(method.input_type):
            values = [v for name, r in requests if name == method.name for v in _value(r, path)]
            assert set(values) & aimed, f"{method.name}.{path} is never aimed at instansi A"


def test_a_s_own_people_see_what_b_is_tested_against(pair: Pair, assessment_stub: Stub) -> None:
    """Positive control: the same calls by A's own people find A's records."""
    a, stub, t = pair.a, assessment_stub, pair.a.t
    ids = Ids.of(a)
    requests = _requests(ids, batas_later(a.q.periode[0], YEAR, days=30))
    aimed = set(dataclasses.asdict(ids).values())
    for name, who in (
        ("GetPenilaian", t.md("kepala")),
        ("BatchGetPenilaian", t.admin),
        ("ListPenilaian", t.admin),
        ("ListPerpanjanganBatas", t.admin),
        ("ListCapaian", t.admin),
        ("GetPolaDistribusi", t.md("kepala")),
        ("ListKalibrasi", t.admin),
        ("GetKeberatan", t.md("prakom_2")),
        ("ListKeberatan", t.admin),
        ("GetInbox", t.md("kabid_informasi")),
    ):
        found = [
            set(proto_strings(_answer(stub, n, r, who)[1] or pb.Penilaian()))
            for n, r in requests
            if n == name
        ]
        assert any(f & (aimed | a.ids()) for f in found), name


@pytest.mark.parametrize("role", ["pegawai", "atasan", "pimpinan", "admin", "bkn_acting_on_b"])
def test_b_reaches_nothing_of_a(
    pair: Pair, assessment_stub: Stub, assessment_inspect_engine: Engine, role: str
) -> None:
    a, b, stub = pair.a, pair.b, assessment_stub
    metadata = _b_callers(b)[role]
    ids = Ids.of(a)
    batas = batas_later(a.q.periode[0], YEAR, days=30)
    secret = a.ids()
    before = assessment_snapshot(assessment_inspect_engine, a.t.instansi_id)
    before_b = assessment_snapshot(assessment_inspect_engine, b.instansi_id)
    seen_before = _a_view(stub, a)
    for (name, aimed), (_, nowhere) in zip(_requests(ids, batas), _requests(ids.fresh(), batas), strict=True):
        outcome, response = _answer(stub, name, aimed, metadata)
        # the answer on A's ids is the answer on ids that exist nowhere: it tells nothing
        assert outcome == _answer(stub, name, nowhere, metadata)[0], (name, aimed)
        if response is None:
            assert outcome[0] in REFUSED, (name, outcome)
        else:
            assert not set(proto_strings(response)) & secret, (name, set(proto_strings(response)) & secret)
    assert assessment_snapshot(assessment_inspect_engine, a.t.instansi_id) == before
    assert assessment_snapshot(assessment_inspect_engine, b.instansi_id) == before_b
    assert _a_view(stub, a) == seen_before


def test_a_s_page_token_shows_b_nothing(pair: Pair, assessment_stub: Stub) -> None:
    a, b, stub = pair.a, pair.b, assessment_stub
    first = stub.ListPenilaian(
        pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_INSTANSI, page_size=1), metadata=a.t.admin
    )
    assert first.next_page_token
    request = pb.ListPenilaianRequest(
        scope=pb.PENILAIAN_SCOPE_INSTANSI, page_size=1, page_token=first.next_page_token
    )
    outcome, response = _answer(stub, "ListPenilaian", request, b.admin)
    assert response is not None or outcome[0] == grpc.StatusCode.INVALID_ARGUMENT, outcome
    assert response is None or not set(proto_strings(response)) & a.ids()


def test_a_s_ids_inside_b_s_own_requests_name_nothing(
    pair: Pair, assessment_stub: Stub, assessment_inspect_engine: Engine
) -> None:
    a, b, stub = pair.a, pair.b, assessment_stub
    tw1, unit = pair.b_periode[0].id, a.t.unor("bkd")
    before = assessment_snapshot(assessment_inspect_engine, a.t.instansi_id)
    before_b = assessment_snapshot(assessment_inspect_engine, b.instansi_id)
    capaian = pb.CapaianInput(tahun=YEAR, periode_id=tw1, unor_id=unit, capaian=pb.CAPAIAN_BAIK)
    code, error = rpc_error(stub.SetCapaian, pb.SetCapaianRequest(capaian=capaian), metadata=b.admin)
    assert (code, error.reason) == (grpc.StatusCode.NOT_FOUND, "UNOR_NOT_FOUND")
    pola = pb.GetPolaDistribusiRequest(unor_id=unit, periode_id=tw1, tahun=YEAR)
    code, error = rpc_error(stub.GetPolaDistribusi, pola, metadata=b.admin)
    assert (code, error.reason) == (grpc.StatusCode.NOT_FOUND, "UNOR_NOT_FOUND")
    kalibrasi = pb.ListKalibrasiRequest(unor_id=unit, periode_id=tw1, tahun=YEAR)
    assert list(stub.ListKalibrasi(kalibrasi, metadata=b.admin).items) == []
    listed = stub.ListPenilaian(
        pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_INSTANSI, periode_id=tw1, unit_kerja_id=unit),
        metadata=b.admin,
    )
    assert list(listed.penilaian) == []
    code, error = rpc_error(
        stub.OpenPenilaian,
        pb.OpenPenilaianRequest(skp_id=a.staff1.id, periode_id=tw1),
        metadata=b.md("prakom_1"),
    )
    assert (code, error.reason) == (grpc.StatusCode.NOT_FOUND, "SKP_NOT_FOUND")
    assert assessment_snapshot(assessment_inspect_engine, a.t.instansi_id) == before
    assert assessment_snapshot(assessment_inspect_engine, b.instansi_id) == before_b


@pytest.mark.parametrize("target", ["pegawai_id", "unor_id"])
def test_an_extension_cannot_name_a_pegawai_or_unit_of_another_instansi(
    pair: Pair, assessment_stub: Stub, assessment_inspect_engine: Engine, target: str
) -> None:
    a, b = pair.a, pair.b
    named = {"pegawai_id": a.t.id("prakom_1"), "unor_id": a.t.unor("informasi")}[target]
    request = pb.ExtendBatasRequest(
        periode_id=pair.b_periode[0].id,
        tahun=YEAR,
        batas_baru=batas_later(pair.b_periode[0], YEAR, days=5),
        alasan="Susupan",
        **{target: named},
    )
    before_b = assessment_snapshot(assessment_inspect_engine, b.instansi_id)
    try:
        assessment_stub.ExtendBatas(request, metadata=b.admin)
        refused = None
    except grpc.RpcError as err:
        refused = err.code()  # type: ignore[attr-defined]
    after_b = assessment_snapshot(assessment_inspect_engine, b.instansi_id)
    assert refused in {
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.FAILED_PRECONDITION,
    }
    assert after_b == before_b


def test_naming_another_instansi_is_refused_before_anything_runs(
    pair: Pair, assessment_stub: Stub, assessment_inspect_engine: Engine
) -> None:
    a, b = pair.a, pair.b
    ids = Ids.of(a)
    spoofed = [*b.admin, ("x-instansi-id", str(a.t.instansi_id))]
    spoofed_pegawai = [*b.md("kepala"), ("x-instansi-id", str(a.t.instansi_id))]
    before = assessment_snapshot(assessment_inspect_engine, a.t.instansi_id)
    for name, request in _requests(ids, batas_later(a.q.periode[0], YEAR, days=30)):
        for metadata in (spoofed, spoofed_pegawai):
            code, error = rpc_error(_call, assessment_stub, name, request, metadata)
            assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "INSTANSI_FORBIDDEN"), name
    assert assessment_snapshot(assessment_inspect_engine, a.t.instansi_id) == before


def test_no_token_no_access(pair: Pair, assessment_stub: Stub) -> None:
    a = pair.a
    for name, request in _requests(Ids.of(a), batas_later(a.q.periode[0], YEAR, days=30)):
        for metadata in ([], [("authorization", "Bearer palsu")]):
            code, _ = rpc_error(_call, assessment_stub, name, request, metadata)
            assert code == grpc.StatusCode.UNAUTHENTICATED, name


@pytest.fixture(scope="module")
def app_engine(service_database: Callable[[str], ServiceDatabase]) -> Iterator[Engine]:
    """The assessment runtime role (no BYPASSRLS), as the service connects."""
    engine = make_engine(service_database("assessment").app_url, pool_size=2)
    yield engine
    engine.dispose()


def test_row_level_security_without_the_application_filter(app_engine: Engine, pair: Pair) -> None:
    a, b = pair.a.t.instansi_id, pair.b.instansi_id
    tables = (*TENANT_TABLES, "idempotency_keys")
    uow = UnitOfWork.from_engine(app_engine)
    with uow.transaction(tenant=a) as tx:  # positive control: A has rows in every table
        for table in TENANT_TABLES:
            assert tx.session.execute(text(f"select count(*) from {table}")).scalar_one() > 0, table
    with uow.transaction(tenant=b) as tx:
        assert tx.session.execute(text("select current_user")).scalar_one() == "kinerja_assessment_app"
        for table in tables:
            tenants = {r[0] for r in tx.session.execute(text(f"select distinct instansi_id from {table}"))}
            assert tenants <= {b}, table
            changed = tx.session.execute(
                text(f"update {table} set instansi_id = instansi_id where instansi_id = :a"), {"a": a}
            )
            assert changed.rowcount == 0, table  # type: ignore[attr-defined]
            deleted = tx.session.execute(text(f"delete from {table} where instansi_id = :a"), {"a": a})
            assert deleted.rowcount == 0, table  # type: ignore[attr-defined]
    with uow.transaction(tenant=None) as tx:
        for table in tables:
            assert tx.session.execute(text(f"select count(*) from {table}")).scalar_one() == 0, table
    with pytest.raises(DBAPIError, match="row-level security"), uow.transaction(tenant=b) as tx:
        tx.session.execute(
            text(
                "insert into perpanjangan_batas (instansi_id, id, periode_id, tahun, pegawai_id, batas_baru, "
                "alasan, oleh, created_at) values (:a, :id, :id, 2030, :id, '2030-05-01', 'Susupan', '{}', now())"
            ),
            {"a": a, "id": uuid.uuid4()},
        )
