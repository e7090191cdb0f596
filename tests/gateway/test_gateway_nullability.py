"""The schema says what the server enforces: a mutation input the server always requires is non-null in
GraphQL, and one GraphQL lets a portal leave out is accepted absent by the server.

Nothing here lists today's required fields. Each mutation is sent once to the real platform with the
least GraphQL allows, built from the schema itself: every nullable or defaulted field left out, every
non-null text or id inside an input sent empty (the proto's "absent"), and once more with one minimal
element in each list of inputs and each optional nested input filled. The server's REQUIRED answers
(code REQUIRED or *_REQUIRED, with a field) are then held against the schema:

- a REQUIRED at a field (or below it) that GraphQL lets a portal leave out is a mismatch, unless the
  field is in CONDITIONAL: the server requires it only in some states, so GraphQL cannot;
- a non-null text or id sent empty that the server accepted without a REQUIRED is a mismatch (GraphQL
  forces the portal to send what the server does not need), unless it is in NOT_REPORTED;
- a REQUIRED at a path GraphQL does not have is a broken error path.

A mutation with something to check (an optional field, or a non-null text or id in an input) needs an
entry in PROBES naming whose token it runs with and which records it aims at; a new one without an
entry fails the test. Non-null enums, dates and numbers cannot be sent absent through GraphQL; for
them the server's rule is not probed here (a proto-level test of each service covers its validator).
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
    is_input_object_type,
    is_list_type,
    is_non_null_type,
)
from graphql.pyutils import Undefined

from gateway.api.schema import schema
from kinerja_testing.assessment import (
    Quarter,
    build_assessment_data,
    build_pending_assessment,
    build_quarter,
)
from kinerja_testing.gateway import Gql
from kinerja_testing.gateway_e2e import (
    Tenant,
    accounts_by_nip,
    build_skp_data,
    build_tenant,
    give_logins,
)

GRAPHQL = schema._schema
MUTATIONS: dict[str, GraphQLField] = dict(GRAPHQL.mutation_type.fields)  # type: ignore[union-attr]

# Arguments whose rule is the platform's, not a form's: `instansiId` is the gateway's tenancy rule
# (admin BKN must give it, anyone else may leave it out); `expectedVersion` 0 means "do not check";
# `clientMutationId` is a create's idempotency key, never required.
PLATFORM_ARGS = {"instansiId", "expectedVersion", "clientMutationId"}

# Fields the server requires only in some states: GraphQL must leave them optional.
CONDITIONAL: dict[str, str] = {
    "UnorInput.parentId": "required once the instansi has a top unor (PARENT_REQUIRED)",
    "JabatanInput.jenjang": "required for, and only for, jabatan fungsional",
    "IndikatorInput.aspek": "required on a JA/JF kuantitatif SKP only",
    "IndikatorInput.perspektif": "required on a JPT SKP only",
    "IndikatorInput.target": "required on a kuantitatif SKP only",
    "TargetInput.min": "required on a kuantitatif SKP, or when max is given",
    "TargetInput.satuan": "required when a target value is given",
    "PkIndikatorInput.satuan": "required when a target value is given",
    "RencanaAksiInput.target": "required on a kuantitatif SKP only",
    "RencanaAksiInput.satuan": "required when a target is given",
    "setPenilaiPerilaku.penilaiPegawaiId": "required for BAWAHAN and REKAN_KERJA; ATASAN is the pejabat penilai",
    "RealisasiInput.nilai": "required on a kuantitatif SKP only",
    "RealisasiInput.teks": "required on a kualitatif SKP only",
    "setUmpanBalik.indikatorId": "exactly one of indikatorId and nilai (TARGET_REQUIRED)",
    "setUmpanBalik.nilai": "exactly one of indikatorId and nilai (TARGET_REQUIRED)",
    "ratePenilaian.ratingHasilKerja": "left out for the head of a JPT/mandiri unit: the unit's capaian gives it",
    "extendBatas.pegawaiId": "exactly one of pegawaiId and unorId (TARGET_REQUIRED)",
    "extendBatas.unorId": "exactly one of pegawaiId and unorId (TARGET_REQUIRED)",
    "ajukanPak.nomorSk": "required in manual numbering only, refused in automatic (NOMOR_SK_WAJIB)",
    "ajukanPak.tempat": "defaults to the instansi's tempat; required only when it has none",
    "aturPengaturanPak.formatNomor": "the format of automatic numbering (default {nomor}/PAK/{tahun})",
    "IntegrasiInput.golongan": "defaults to the pegawai's golongan today",
}

# Non-null texts the server refuses empty, but with one general refusal rather than at the field.
NOT_REPORTED: dict[str, str] = {
    "refreshToken.refreshToken": "an unknown refresh token is one refusal (REFRESH_TOKEN_INVALID)",
    "logout.refreshToken": "any token is accepted: ending an unknown session is harmless and says nothing",
}


@dataclass(frozen=True)
class Probe:
    """Who sends a mutation's probe, at which records (`targets`: non-null id arguments), values it
    must carry to reach the checks (`fill`: error path -> value), fields the mutation does not read
    (`ignored`, with why) and the general refusals (no field) that still show its fields were checked."""

    token: str
    targets: dict[str, Callable[[World], str]] = field(default_factory=dict)
    general: frozenset[str] = frozenset()
    fill: dict[str, Callable[[World], Any]] = field(default_factory=dict)
    ignored: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    """An instansi with SKP planning data (gateway_e2e.build_skp_data), another with a quarter of
    assessment (kinerja_testing.assessment: build_quarter, build_assessment_data and
    build_pending_assessment), and the tokens to act in them."""

    tenant: Tenant
    tokens: dict[str, str]
    spare_pegawai_id: str
    spare_account_id: str
    quarter: Quarter


def _skp(key: str) -> Callable[[World], str]:
    return lambda w: w.tenant.skp[key]


def _quarter(key: str) -> Callable[[World], str]:
    """An id of the quarter's assessment records (or its SKPs), by its key in `Quarter.skp`."""
    return lambda w: w.quarter.skp[key]


def _nobody(world: World) -> str:
    """An id no record has."""
    return str(uuid.uuid4())


def _indikator(person: str) -> Callable[[World], str]:
    return lambda w: w.quarter.indikator[person][0]


# Records aimed at are the world's; a probe never succeeds in changing what a later probe needs.
PROBES: dict[str, Probe] = {
    "login": Probe("anonymous"),
    "refreshToken": Probe("anonymous", general=frozenset({"REFRESH_TOKEN_INVALID"})),
    "logout": Probe("anonymous"),
    "changePassword": Probe("pegawai"),
    "resetPassword": Probe("admin", {"accountId": lambda w: w.spare_account_id}),
    "createInstansi": Probe("bkn"),
    "createUnor": Probe("admin"),
    "updateUnor": Probe("admin", {"id": lambda w: w.tenant.unor_ids[2]}),
    "createPegawai": Probe("admin"),
    "updatePegawai": Probe("admin", {"id": lambda w: w.spare_pegawai_id}),
    "addJptNonAsn": Probe("admin"),
    "createPlt": Probe("admin"),
    "updatePlt": Probe("admin", {"id": lambda w: w.tenant.plt_id}),
    "setProfileRelations": Probe("admin", {"pegawaiId": lambda w: w.spare_pegawai_id}),
    "createPeriode": Probe("admin"),
    "updatePeriode": Probe("admin", {"id": _skp("periode")}),
    "createPeriodeSet": Probe("admin", general=frozenset({"PERIODE_OVERLAP"})),
    "addSasaranStrategis": Probe("jpt", {"perjanjianKinerjaId": _skp("pk")}),
    "updateSasaranStrategis": Probe("jpt", {"perjanjianKinerjaId": _skp("pk"), "sasaranId": _skp("sasaran")}),
    "createSkp": Probe("pegawai", general=frozenset({"SKP_SUDAH_ADA"})),
    "addRhk": Probe("pegawai", {"skpId": _skp("skp_draft")}),
    "updateRhk": Probe("pegawai", {"skpId": _skp("skp_draft"), "rhkId": _skp("rhk_draft")}),
    "addIndikator": Probe("pegawai", {"skpId": _skp("skp_draft"), "rhkId": _skp("rhk_draft")}),
    "updateIndikator": Probe("jpt", {"skpId": _skp("skp_jpt"), "indikatorId": _skp("indikator_jpt")}),
    "setManualIndikator": Probe("jpt", {"skpId": _skp("skp_jpt"), "indikatorId": _skp("indikator_jpt")}),
    "setPenilaiPerilaku": Probe("pegawai", {"skpId": _skp("skp_draft")}),
    "setLampiran": Probe("pegawai", {"skpId": _skp("skp_draft")}),
    "setEkspektasi": Probe("admin", {"skpId": _skp("skp_diajukan")}),
    "returnSkp": Probe("admin", {"id": _skp("skp_diajukan")}),
    # A draft cannot be reset: the refusal comes after the alasan is checked.
    "resetSkp": Probe("admin", {"id": _skp("skp_draft")}, frozenset({"SKP_SUDAH_DRAFT"})),
    "addRencanaAksi": Probe("admin", {"skpId": _skp("skp_head")}),
    "updateRencanaAksi": Probe("admin", {"skpId": _skp("skp_head"), "rencanaAksiId": _skp("rencana_aksi")}),
    "setMphKolom": Probe("jpt", {"skpId": _skp("skp_jpt"), "rhkId": _skp("rhk_jpt")}),
    # An empty NIP is refused alone; a bawahan's NIP lets the server check the peran.
    "addMphAnggota": Probe(
        "jpt",
        {"skpId": _skp("skp_jpt"), "rhkId": _skp("rhk_jpt")},
        fill={"input.nip": lambda w: w.tenant.head["nip"]},
    ),
    "updateMphAnggota": Probe(
        "jpt",
        {"skpId": _skp("skp_jpt"), "rhkId": _skp("rhk_jpt"), "anggotaId": _skp("anggota")},
        ignored={"input.nip": "the anggota is named by anggotaId; the input is shared with addMphAnggota"},
    ),
    "addKinerjaHarian": Probe("admin", {"skpId": _skp("skp_head")}),
    "updateKinerjaHarian": Probe("admin", {"id": _skp("kinerja_harian")}),
    # Assessment, in the quarter: analis's penilaian of the final periode is open (realisasi, feedback
    # and umpan balik); kasubag's is rated without a keberatan; analis's keberatan is explained.
    "setRealisasi": Probe(
        "analis", {"penilaianId": _quarter("penilaian_dibuka"), "indikatorId": _indikator("analis")}
    ),
    # The atasan is the penilai perilaku of the first value (BERORIENTASI_PELAYANAN).
    "setFeedbackPerilaku": Probe("kabag", {"penilaianId": _quarter("penilaian_dibuka")}),
    # With neither indikatorId nor nilai the target is refused alone; an indikator lets the text be checked.
    "setUmpanBalik": Probe(
        "kabag",
        {"penilaianId": _quarter("penilaian_dibuka")},
        fill={"indikatorId": _indikator("analis")},
    ),
    "ratePenilaian": Probe("kabag", {"penilaianId": _quarter("penilaian_kasubag")}),
    "extendBatas": Probe("assessment_admin", {"periodeId": lambda w: w.quarter.periode}),
    "setCapaian": Probe("assessment_admin"),
    "fileKeberatan": Probe("kasubag", {"penilaianId": _quarter("penilaian_kasubag")}),
    "explainKeberatan": Probe("kabag", {"id": _quarter("keberatan")}),
    "decideKeberatan": Probe("sekda", {"id": _quarter("keberatan_dijelaskan")}),
    # Angka kredit: aimed at PAK no one has (the texts are checked before the PAK is looked up).
    "ajukanPak": Probe("admin", {"id": _nobody}, general=frozenset({"PAK_NOT_FOUND"})),
    "unggahSkPak": Probe("admin", {"id": _nobody}, general=frozenset({"PAK_NOT_FOUND"})),
    "kembalikanPakKeDraft": Probe(
        "admin",
        {"id": _nobody},
        general=frozenset({"PAK_NOT_FOUND"}),
        ignored={"alasan": "read once the PAK is found; the end-to-end workflow test refuses an empty one"},
    ),
    "catatIntegrasiAngkaKredit": Probe(
        "admin",
        general=frozenset({"BUKAN_JABATAN_FUNGSIONAL"}),
        fill={"input.pegawaiId": lambda w: w.spare_pegawai_id, "input.tahun": lambda w: 2022},
    ),
    "aturPengaturanPak": Probe("admin"),
}


# ---- reading the schema ----


def required(item: GraphQLArgument | GraphQLInputField) -> bool:
    """Required in GraphQL: non-null and without a default (a portal must send it)."""
    return is_non_null_type(item.type) and item.default_value is Undefined


def _is_text(kind: GraphQLInputType) -> bool:
    named = get_named_type(kind)
    return (
        isinstance(named, GraphQLScalarType)
        and named.name in {"String", "ID"}
        and not is_list_type(kind.of_type if isinstance(kind, GraphQLNonNull) else kind)
    )


def _key(owner: str, name: str) -> str:
    return f"{owner}.{name}"


def probed_fields(name: str, mutation: GraphQLField) -> Iterator[str]:
    """The keys a mutation's probe checks: optional fields, and non-null texts and ids of its inputs
    (and its non-null text arguments that are not the records it aims at)."""
    for arg_name, arg in mutation.args.items():
        if arg_name in PLATFORM_ARGS:
            continue
        if not required(arg) or (_is_text(arg.type) and get_named_type(arg.type).name == "String"):
            yield _key(name, arg_name)
        yield from _input_fields(get_named_type(arg.type), set())


def _input_fields(kind: Any, seen: set[str]) -> Iterator[str]:
    if not isinstance(kind, GraphQLInputObjectType) or kind.name in seen:
        return
    seen.add(kind.name)
    for field_name, item in kind.fields.items():
        if not required(item) or _is_text(item.type):
            yield _key(kind.name, field_name)
        yield from _input_fields(get_named_type(item.type), seen)


def resolve(name: str, path: str) -> list[tuple[str, GraphQLArgument | GraphQLInputField]] | None:
    """The chain of arguments and input fields an error path names (list indexes dropped)."""
    segments = re.sub(r"\[\d+\]", "", path).split(".")
    arg = MUTATIONS[name].args.get(segments[0])
    if arg is None:
        return None
    chain: list[tuple[str, GraphQLArgument | GraphQLInputField]] = [(_key(name, segments[0]), arg)]
    current: Any = get_named_type(arg.type)
    for segment in segments[1:]:
        if not isinstance(current, GraphQLInputObjectType) or segment not in current.fields:
            return None
        item = current.fields[segment]
        chain.append((_key(current.name, segment), item))
        current = get_named_type(item.type)
    return chain


# ---- the least GraphQL allows ----


def minimal(kind: GraphQLInputType, expand: bool, today: datetime.date) -> Any:
    """The least value of a type: empty texts, first enum value, today, empty lists and objects with
    only their required fields (`expand`: one element in lists of inputs, optional inputs filled)."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        item = kind.of_type
        return [minimal(item, expand, today)] if expand and is_input_object_type(get_named_type(item)) else []
    if isinstance(kind, GraphQLInputObjectType):
        value = {}
        for name, item in kind.fields.items():
            nested = is_input_object_type(get_named_type(item.type))
            if required(item) or (expand and nested):
                value[name] = minimal(item.type, expand, today)
        return value
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    assert isinstance(kind, GraphQLScalarType)
    return {"String": "", "ID": "", "Int": 0, "Float": 0.0, "Boolean": False, "Date": today.isoformat()}[
        kind.name
    ]


def probe_request(name: str, probe: Probe, world: World, expand: bool) -> tuple[str, dict[str, Any]]:
    mutation = MUTATIONS[name]
    today = datetime.date.today()
    variables: dict[str, Any] = {}
    for arg_name, arg in mutation.args.items():
        if arg_name in probe.targets:
            variables[arg_name] = probe.targets[arg_name](world)
        elif required(arg) or (expand and is_input_object_type(get_named_type(arg.type))):
            assert not (required(arg) and str(arg.type) == "ID!"), f"{name}: no target for {arg_name}"
            variables[arg_name] = minimal(arg.type, expand, today)
    for path, value in probe.fill.items():
        *parents, last = path.split(".")
        target = variables
        for segment in parents:
            target = target[segment]
        target[last] = value(world)
    declared = ", ".join(f"${a}: {mutation.args[a].type}" for a in variables)
    passed = ", ".join(f"{a}: ${a}" for a in variables)
    head = f"mutation({declared})" if declared else "mutation"
    call = f"{name}({passed})" if passed else name
    return head + " { " + call + " { errors { field code message } } }", variables


def _filled_texts(name: str, variables: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, error path) of every non-null text or id the request sends empty."""
    mutation = MUTATIONS[name]

    def walk(kind: Any, value: Any, owner: str, path: str) -> Iterator[tuple[str, str]]:
        named = get_named_type(kind)
        if isinstance(value, list):
            for i, element in enumerate(value):
                yield from walk(named, element, owner, f"{path}[{i}]")
        elif isinstance(named, GraphQLInputObjectType) and isinstance(value, dict):
            for field_name, field_value in value.items():
                item = named.fields[field_name]
                where = f"{path}.{field_name}"
                if field_value == "" and _is_text(item.type) and required(item):
                    yield _key(named.name, field_name), where
                yield from walk(item.type, field_value, named.name, where)

    for arg_name, value in variables.items():
        arg = mutation.args[arg_name]
        if value == "" and get_named_type(arg.type).name == "String" and required(arg):
            yield _key(name, arg_name), arg_name
        yield from walk(arg.type, value, name, arg_name)


def is_required_code(code: str) -> bool:
    return code == "REQUIRED" or code.endswith("_REQUIRED")


def mismatches(name: str, probe: Probe, world: World, gql: Gql) -> list[str]:
    found: list[str] = []
    for expand in (False, True):
        document, variables = probe_request(name, probe, world, expand)
        body = gql(document, variables, token=world.tokens.get(probe.token))
        if body.get("errors"):
            found.append(f"{name}: {body['errors']}")
            continue
        errors = body["data"][name]["errors"]
        if {e["code"] for e in errors if e["field"] is None} - probe.general:
            found.append(f"{name}: refused before its fields were checked: {errors}")
        refused = {e["field"] for e in errors if e["field"]}
        for path in sorted(e["field"] for e in errors if e["field"] and is_required_code(e["code"])):
            chain = resolve(name, path)
            if chain is None:
                found.append(f"{name}: REQUIRED at {path}, which is not a GraphQL path")
                continue
            if any(key in CONDITIONAL for key, _ in chain):
                continue
            # Below a list only the element's own fields are required: the list may stay empty.
            segments = path.split(".")
            listed = max((i for i, s in enumerate(segments) if s.endswith("]")), default=-1)
            for key, item in chain[listed + 1 :]:
                if not required(item):
                    found.append(f"{key} is optional in GraphQL, the server requires it ({name}: {path})")
        for key, path in _filled_texts(name, variables):
            if key in NOT_REPORTED or path in probe.ignored:
                continue
            if not any(r == path or r.startswith(path + ".") for r in refused):
                found.append(f"{key} is required in GraphQL, the server accepts it empty ({name})")
    return found


# ---- the tests ----


def test_every_mutation_with_something_to_check_has_a_probe() -> None:
    missing = [n for n, m in MUTATIONS.items() if any(probed_fields(n, m)) and n not in PROBES]
    assert not missing, f"add a Probe for {missing}"
    assert set(PROBES) <= set(MUTATIONS), set(PROBES) - set(MUTATIONS)


def test_declared_exceptions_name_fields_the_schema_has() -> None:
    keys = {k for n, m in MUTATIONS.items() for k in probed_fields(n, m)}
    assert set(CONDITIONAL) <= keys, set(CONDITIONAL) - keys
    assert set(NOT_REPORTED) <= keys, set(NOT_REPORTED) - keys
    for key in CONDITIONAL:
        owner, _, name = key.partition(".")
        item = MUTATIONS[owner].args[name] if owner in MUTATIONS else GRAPHQL.type_map[owner].fields[name]  # type: ignore[attr-defined]
        assert not required(item), f"{key} is conditional on the server, so GraphQL must not require it"


@pytest.fixture(scope="module")
def world(e2e_gql: Gql, bkn_token: str) -> World:
    tenant = build_tenant(e2e_gql, bkn_token)
    give_logins(e2e_gql, bkn_token, tenant)
    build_skp_data(e2e_gql, bkn_token, tenant)
    spare = tenant.staff[2]
    account = accounts_by_nip(e2e_gql, bkn_token, tenant.instansi_id, {spare["nip"]})[spare["nip"]]
    quarter = build_quarter(e2e_gql, bkn_token)
    build_assessment_data(e2e_gql, quarter)
    build_pending_assessment(e2e_gql, quarter)
    tokens = {
        "bkn": bkn_token,
        "admin": tenant.admin_token,
        "pegawai": tenant.pegawai_token,
        "jpt": tenant.jpt_token,
        "assessment_admin": quarter["admin"].token,
        **{key: quarter[key].token for key in ("analis", "kasubag", "kabag", "sekda")},
    }
    return World(tenant, tokens, spare["id"], account, quarter)


@pytest.mark.integration
def test_the_schema_requires_what_the_server_requires(e2e_gql: Gql, world: World) -> None:
    found = [m for name, probe in sorted(PROBES.items()) for m in mismatches(name, probe, world, e2e_gql)]
    assert not found, "\n".join(dict.fromkeys(found))
