"""Matriks peran hasil handlers: an atasan splits one RHK into columns (produk / layanan) and gives bawahan
a role in the team (ketua or anggota) and a peran per column; bawahan list what they were given."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kinerja.skp.v1 import skp_pb2
from kinerja_kit import fields
from kinerja_kit.db import Transaction
from kinerja_kit.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound, Violations
from kinerja_kit.handlers import caller, parse_id
from kinerja_kit.ids import new_id, parse_uuid
from kinerja_kit.paging import decode_page_position, fingerprint, page_size, split_page
from skp.adapters.orm import MphAnggotaRow, MphRow
from skp.adapters.proto import mph_pb, pejabat_from_json, pejabat_pb
from skp.adapters.repository import SkpRepository
from skp.domain import rules
from skp.domain.model import Rhk, Skp
from skp.domain.values import PeranTim
from skp.service_layer.common import TOPIC_MPH, Deps, load_skp, own_pegawai, skp_for_write
from skp.service_layer.content import RHK_NOT_FOUND
from skp.service_layer.roles import pejabat
from skp.service_layer.skp import get_skp

KOLOM_MAX = 20
KOLOM_NAMA_MAX = 255
PERAN_MAX = 1000
NIP_MAX = 32  # a NIP (18 digits) with the spaces people type; org judges the digits
ANGGOTA_NOT_FOUND = ("ANGGOTA_NOT_FOUND", "Anggota tim tidak ditemukan pada matriks ini.")


@dataclass(frozen=True)
class AnggotaInput:
    nip: str
    peran_tim: int
    peran: list[tuple[str, str]] = field(default_factory=list)  # (kolom id, peran)


def _rhk(skp: Skp, rhk_id: str) -> Rhk:
    found = skp.rhk(parse_id(rhk_id, *RHK_NOT_FOUND))
    if found is None:
        raise NotFound(*RHK_NOT_FOUND)
    return found


@contextlib.contextmanager
def _mph_for_write(
    deps: Deps, skp_id: str, rhk_id: str, *, create: bool
) -> Iterator[tuple[Transaction, SkpRepository, Skp, MphRow | None]]:
    """The owner's SKP (locked) and the matriks of one of its RHK (created when `create`)."""
    with skp_for_write(deps, skp_id) as (tx, repo, _, skp):
        rules.require_owner(skp, caller().pegawai_id)
        rhk = _rhk(skp, rhk_id)
        mph = repo.mph_row(skp.id, rhk.id, for_update=True)
        if mph is None and create:
            mph = MphRow(
                instansi_id=repo.tenant,
                id=new_id(),
                skp_id=skp.id,
                rhk_id=rhk.id,
                pemilik_pegawai_id=skp.pegawai_id,
                tahun=skp.tahun,
                unor_id=skp.unor_id,
                rhk_teks=rhk.teks,
                pemilik=skp.pegawai.model_dump(mode="json"),
                kolom=[],
                version=0,
            )
            tx.session.add(mph)
        if mph is not None:
            mph.rhk_teks = rhk.teks
        yield tx, repo, skp, mph


def _save(tx: Transaction, repo: SkpRepository, mph: MphRow) -> skp_pb2.MatriksPeranHasil:
    mph.version += 1
    mph.updated_at = datetime.now(UTC)
    tx.session.flush()
    result = mph_pb(mph, repo.anggota_rows([mph.id]))
    tx.emit(
        TOPIC_MPH,
        skp_pb2.MatriksPeranHasilChanged(matriks=result),
        aggregate_type="mph",
        aggregate_id=mph.id,
        aggregate_version=mph.version,
    )
    tx.commit()
    return result


def get_mph(deps: Deps, skp_id: str, rhk_id: str) -> skp_pb2.MatriksPeranHasil:
    """The matriks of one RHK (an empty one, without id, when none was made yet)."""
    skp = get_skp(deps, skp_id)
    rhk = _rhk(skp, rhk_id)
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        mph = repo.mph_row(skp.id, rhk.id)
        if mph is not None:
            return mph_pb(mph, repo.anggota_rows([mph.id]))
    return skp_pb2.MatriksPeranHasil(
        skp_id=str(skp.id),
        rhk_id=str(rhk.id),
        rhk_teks=rhk.teks,
        pemilik=pejabat_pb(skp.pegawai),
        tahun=skp.tahun,
        unor_id=str(skp.unor_id),
        instansi_id=str(skp.instansi_id),
    )


def set_kolom(
    deps: Deps, skp_id: str, rhk_id: str, kolom: list[tuple[str, str]]
) -> skp_pb2.MatriksPeranHasil:
    """Sets the whole list of columns (id, nama): known ids keep their peran, new columns have no id;
    a column left out takes its peran with it."""
    v = Violations()
    if not kolom:
        v.add("kolom", "REQUIRED", "Matriks peran hasil memerlukan paling sedikit satu kolom produk/layanan.")
    if len(kolom) > KOLOM_MAX:
        v.add("kolom", "TOO_MANY", f"Kolom produk/layanan paling banyak {KOLOM_MAX}.")
    cleaned = []
    for i, (kolom_id, nama) in enumerate(kolom):
        text = fields.text(
            v, f"kolom[{i}].nama", "Nama produk/layanan", nama, max_len=KOLOM_NAMA_MAX, required=True
        )
        cleaned.append((kolom_id.strip(), text))
    v.raise_if_any()
    with _mph_for_write(deps, skp_id, rhk_id, create=True) as (tx, repo, _, mph):
        assert mph is not None
        known = {k["id"] for k in mph.kolom}
        result = []
        for i, (kolom_id, nama) in enumerate(cleaned):
            if kolom_id and kolom_id not in known:
                v.add(f"kolom[{i}].id", "KOLOM_NOT_FOUND", "Kolom tidak ditemukan pada matriks ini.")
            result.append({"id": kolom_id or str(new_id()), "nama": nama})
        v.raise_if_any()
        mph.kolom = result
        kept = {k["id"] for k in result}
        for anggota in repo.anggota_rows([mph.id]):
            anggota.peran = {k: p for k, p in anggota.peran.items() if k in kept}
        return _save(tx, repo, mph)


def _peran(v: Violations, mph: MphRow, raw: AnggotaInput) -> tuple[PeranTim | None, dict[str, str]]:
    try:
        peran_tim: PeranTim | None = PeranTim(raw.peran_tim)
    except ValueError:
        v.add(
            "anggota.peran_tim", "REQUIRED", "Jabatan tim kerja wajib dipilih (ketua tim atau anggota tim)."
        )
        peran_tim = None
    columns = {k["id"] for k in mph.kolom}
    peran: dict[str, str] = {}
    for i, (kolom_id, text) in enumerate(raw.peran):
        cleaned = fields.text(v, f"anggota.peran[{i}].peran", "Peran", text, max_len=PERAN_MAX)
        if kolom_id.strip() not in columns:
            v.add(f"anggota.peran[{i}].kolom_id", "KOLOM_NOT_FOUND", "Kolom produk/layanan tidak ditemukan.")
        elif cleaned:
            peran[kolom_id.strip()] = cleaned
    if not peran:
        v.add("anggota.peran", "REQUIRED", "Isi peran pegawai pada paling sedikit satu kolom produk/layanan.")
    return peran_tim, peran


def _one_ketua(
    repo: SkpRepository, mph: MphRow, peran_tim: PeranTim | None, except_id: uuid.UUID | None
) -> None:
    if peran_tim != PeranTim.KETUA:
        return
    for other in repo.anggota_rows([mph.id]):
        if other.peran_tim == PeranTim.KETUA.name and other.id != except_id:
            raise FailedPrecondition(
                "KETUA_SUDAH_ADA", f"Tim ini sudah memiliki ketua tim: {other.pegawai.get('nama', '')}."
            )


def add_anggota(deps: Deps, skp_id: str, rhk_id: str, raw: AnggotaInput) -> skp_pb2.MatriksPeranHasil:
    """Adds a bawahan (found by NIP) to the matriks of one of the owner's RHK."""
    v = Violations()
    nip = "".join(
        (fields.checked(v, "anggota.nip", "NIP", raw.nip, max_len=NIP_MAX, code=True) or "").split()
    )
    if not nip and not v:
        v.add("anggota.nip", "REQUIRED", "NIP pegawai wajib diisi.")
    v.raise_if_any()
    person = deps.org.pegawai_by_nip(nip)
    owned = load_skp(deps, skp_id)
    rules.require_owner(owned, caller().pegawai_id)
    relations = deps.org.relations([owned.pegawai_id], deps.clock()).get(owned.pegawai_id)
    if person is None:
        raise InvalidArgument(
            [FieldViolation("anggota.nip", "PEGAWAI_NOT_FOUND", f"Pegawai dengan NIP {nip} tidak ditemukan.")]
        )
    if relations is None or person.id not in relations.bawahan_ids:
        raise InvalidArgument(
            [
                FieldViolation(
                    "anggota.nip",
                    "BUKAN_BAWAHAN",
                    f"{person.nama} bukan bawahan Anda; peran hanya dibagi kepada bawahan.",
                )
            ]
        )
    unit = deps.org.unor([person.unor_id]).get(person.unor_id)
    with _mph_for_write(deps, skp_id, rhk_id, create=True) as (tx, repo, _, mph):
        assert mph is not None
        if not mph.kolom:
            raise FailedPrecondition(
                "MPH_TANPA_KOLOM", "Tentukan kolom produk/layanan matriks terlebih dahulu."
            )
        peran_tim, peran = _peran(v, mph, raw)
        v.raise_if_any()
        if any(a.pegawai_id == person.id for a in repo.anggota_rows([mph.id])):
            raise FailedPrecondition(
                "ANGGOTA_SUDAH_ADA", f"{person.nama} sudah ada pada matriks ini; ubah perannya."
            )
        _one_ketua(repo, mph, peran_tim, None)
        assert peran_tim is not None
        tx.session.add(
            MphAnggotaRow(
                instansi_id=repo.tenant,
                id=new_id(),
                mph_id=mph.id,
                pegawai_id=person.id,
                pegawai=pejabat(person, unit).model_dump(mode="json"),
                peran_tim=peran_tim.name,
                peran=peran,
                created_at=datetime.now(UTC),
            )
        )
        return _save(tx, repo, mph)


def _anggota(repo: SkpRepository, mph: MphRow | None, anggota_id: str) -> MphAnggotaRow:
    wanted = parse_uuid(anggota_id.strip())
    found = next((a for a in repo.anggota_rows([mph.id]) if a.id == wanted), None) if mph else None
    if found is None:
        raise NotFound(*ANGGOTA_NOT_FOUND)
    return found


def update_anggota(
    deps: Deps, skp_id: str, rhk_id: str, anggota_id: str, raw: AnggotaInput
) -> skp_pb2.MatriksPeranHasil:
    """Changes a member's role in the team and their peran (the pegawai stays; the NIP is not read)."""
    v = Violations()
    with _mph_for_write(deps, skp_id, rhk_id, create=False) as (tx, repo, _, mph):
        anggota = _anggota(repo, mph, anggota_id)
        assert mph is not None
        peran_tim, peran = _peran(v, mph, raw)
        v.raise_if_any()
        _one_ketua(repo, mph, peran_tim, anggota.id)
        assert peran_tim is not None
        anggota.peran_tim, anggota.peran = peran_tim.name, peran
        return _save(tx, repo, mph)


def remove_anggota(deps: Deps, skp_id: str, rhk_id: str, anggota_id: str) -> skp_pb2.MatriksPeranHasil:
    with _mph_for_write(deps, skp_id, rhk_id, create=False) as (tx, repo, _, mph):
        anggota = _anggota(repo, mph, anggota_id)
        assert mph is not None
        tx.session.delete(anggota)
        return _save(tx, repo, mph)


@dataclass(frozen=True)
class MphPage:
    """One page of matriks peran hasil."""

    matriks: list[skp_pb2.MatriksPeranHasil]
    next_page_token: str
    # Counted up to kinerja_kit.paging.COUNT_LIMIT: exact is False when the count stopped there.
    total_count: int
    total_count_exact: bool


def list_mph(deps: Deps, unor_id: str, tahun: int, size: int = 0, page_token: str = "") -> MphPage:
    """The matriks of the instansi or of a unit (and year), a page at a time, newest year and matriks
    first (002 §2.11: the units' and teams' list, a unit printed by paging to the end); visible to the
    instansi's pegawai."""
    caller()
    unit = parse_uuid(unor_id.strip()) if unor_id.strip() else None
    if unor_id.strip() and unit is None:
        raise InvalidArgument([FieldViolation("unor_id", "INVALID_ID", "Unit kerja tidak valid.")])
    limit = page_size(size)
    filters = fingerprint("mph", str(unit or ""), tahun)
    after = decode_page_position(page_token, filters, _year) if page_token else None
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        rows, total, exact = repo.mph_page(unit, tahun, after, limit + 1)
        shown, token = split_page(rows, limit, lambda r: (str(r.tahun), r.id), filters)
        members: dict[uuid.UUID, list[MphAnggotaRow]] = {}
        for anggota in repo.anggota_rows([r.id for r in shown]):
            members.setdefault(anggota.mph_id, []).append(anggota)
        matriks = [mph_pb(r, members.get(r.id, [])) for r in shown]
    return MphPage(matriks, token, total, exact)


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        raise ValueError(text)
    return int(text)


def list_peran_ditugaskan(deps: Deps, tahun: int) -> list[skp_pb2.PeranDitugaskan]:
    """The peran given to the caller on atasan's matriks, one per column, to copy into their RHK."""
    me = own_pegawai(caller())
    result = []
    with deps.uow.transaction() as tx:
        found = SkpRepository(tx.session, tx.tenant).peran_of(me, tahun)
        for anggota, mph in found:
            for kolom in mph.kolom:
                text = anggota.peran.get(kolom["id"])
                if not text:
                    continue
                result.append(
                    skp_pb2.PeranDitugaskan(
                        mph_id=str(mph.id),
                        kolom_id=kolom["id"],
                        kolom_nama=kolom["nama"],
                        peran=text,
                        peran_tim=int(PeranTim[anggota.peran_tim]),  # type: ignore[arg-type]
                        atasan_skp_id=str(mph.skp_id),
                        atasan_rhk_id=str(mph.rhk_id),
                        atasan_rhk_teks=mph.rhk_teks,
                        atasan=pejabat_from_json(mph.pemilik),
                        tahun=mph.tahun,
                    )
                )
    return result
