"""SKP handlers: create (snapshots from org), change, delete, refresh, reads and lists, and the workflow."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam, func, or_
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from kinerja.skp.v1 import skp_pb2
from kinerja_kit.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied
from kinerja_kit.handlers import caller, parse_id, parse_ids, require_admin
from kinerja_kit.ids import new_id, parse_uuid
from kinerja_kit.paging import (
    bad_argument,
    decode_page_token,
    escape_like,
    fingerprint,
    page_size,
    search_term,
    split_page,
)
from skp.adapters.orm import SkpRow, skp_search
from skp.adapters.proto import pejabat_pb, skp_pb
from skp.adapters.repository import (
    SkpRepository,
    new_skp_row,
    now,
    periode_from_row,
    prefix_end,
    skp_from_row,
)
from skp.domain import rules
from skp.domain.model import Skp
from skp.domain.periode import HariTahun
from skp.domain.values import StatusSkp
from skp.service_layer.common import (
    TOPIC_SKP,
    Authority,
    Deps,
    drop_matriks,
    load_skp,
    own_pegawai,
    penilai_act,
    save_skp,
    skp_for_write,
)
from skp.service_layer.roles import SkpRoles, resolve_roles

SCOPE_SAYA, SCOPE_BAWAHAN, SCOPE_INSTANSI = 1, 2, 3
# ListSkp's conditions are on the view skp_search (so the name and NIP searches reach their indexes)
LISTED = skp_search.c


def _apply_roles(skp: Skp, roles: SkpRoles) -> None:
    skp.pegawai = roles.pegawai
    skp.unor_id = roles.unor_id
    skp.model = roles.model
    skp.mandiri = roles.mandiri
    rules.follow_penilai(skp, roles.penilai, roles.penilai_unor_id, roles.atasan_penilai)


def _range_text(skp: SkpRow | Skp) -> str:
    return f"{skp.tanggal_mulai:%d-%m-%Y} s.d. {skp.tanggal_selesai:%d-%m-%Y}"


def _refuse_overlap(repo: SkpRepository, skp: Skp) -> None:
    """A pegawai holds one SKP per unit (own unor, or a PLT unor) for any day."""
    for other in repo.skp_rows_of(skp.pegawai_id, skp.tahun):
        if other.id == skp.id or other.unor_id != skp.unor_id:
            continue
        if other.tanggal_mulai <= skp.tanggal_selesai and skp.tanggal_mulai <= other.tanggal_selesai:
            raise AlreadyExists(
                "SKP_SUDAH_ADA",
                f"Anda sudah memiliki SKP untuk unit kerja ini pada masa {_range_text(other)}. "
                "Masa SKP tidak boleh bertumpang tindih.",
            )


def create_skp(deps: Deps, raw: rules.SkpHeaderInput) -> Skp:
    """A new draft SKP for the caller (or for the unor they lead as PLT/PLH), snapshots taken from org."""
    principal = caller()
    me = own_pegawai(principal)
    header = rules.validate_header(raw, deps.clock())
    roles = resolve_roles(deps.org, me, header.plt_id, deps.clock())
    assignment = roles.plt
    if assignment is not None and (
        assignment.tanggal_mulai > header.tanggal_selesai or header.tanggal_mulai > assignment.tanggal_selesai
    ):
        raise FailedPrecondition(
            "PLT_DI_LUAR_MASA_SKP",
            f"Masa SKP berada di luar masa penugasan PLT/PLH ({assignment.tanggal_mulai:%d-%m-%Y} s.d. "
            f"{assignment.tanggal_selesai:%d-%m-%Y}).",
        )
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        repo.lock(f"pegawai:{me}")
        stamp = now()
        skp = Skp(
            id=new_id(),
            instansi_id=repo.tenant,
            pegawai_id=me,
            unor_id=roles.unor_id,
            plt_id=roles.plt_id,
            tahun=header.tahun,
            tanggal_mulai=header.tanggal_mulai,
            tanggal_selesai=header.tanggal_selesai,
            pendekatan=header.pendekatan,
            model=roles.model,
            pegawai=roles.pegawai,
            created_at=stamp,
            updated_at=stamp,
        )
        _apply_roles(skp, roles)
        _refuse_overlap(repo, skp)
        row = new_skp_row(skp)
        row.created_at = row.updated_at = stamp
        tx.session.add(row)
        tx.session.flush()
        tx.emit(
            TOPIC_SKP,
            skp_pb2.SkpCreated(skp=skp_pb(skp)),
            aggregate_type="skp",
            aggregate_id=skp.id,
            aggregate_version=1,
        )
        tx.commit()
    return skp


def update_skp(deps: Deps, skp_id: str, raw: rules.SkpHeaderInput, expected_version: int) -> Skp:
    """Changes a draft's dates (within its year, keeping its rencana aksi and monthly targets inside) or
    its pendekatan."""
    principal = caller()
    header = rules.validate_header(raw, deps.clock())
    with skp_for_write(deps, skp_id, expected_version) as (tx, repo, row, skp):
        rules.require_owner(skp, principal.pegawai_id)
        rules.require_draft(skp)
        if header.tahun != skp.tahun:
            raise FailedPrecondition(
                "TAHUN_TIDAK_DAPAT_DIUBAH",
                f"Tahun SKP ({skp.tahun}) tidak dapat diubah; buat SKP baru untuk tahun lain.",
            )
        if (header.tanggal_mulai, header.tanggal_selesai, header.pendekatan) == (
            skp.tanggal_mulai, skp.tanggal_selesai, skp.pendekatan,
        ):  # fmt: skip
            return skp
        skp.tanggal_mulai, skp.tanggal_selesai, skp.pendekatan = (
            header.tanggal_mulai, header.tanggal_selesai, header.pendekatan,
        )  # fmt: skip
        _refuse_overlap(repo, skp)
        periode = {r.id: periode_from_row(r) for r in repo.periode_rows()}
        outside = rules.planning_outside_dates(skp, periode)
        if outside:
            raise FailedPrecondition(
                "PERENCANAAN_DI_LUAR_MASA",
                "Masa SKP tidak dapat dipersempit karena masih ada rencana aksi atau target bulanan di luar "
                "masa yang baru. Hapus atau pindahkan terlebih dahulu.",
                outside,
            )
        return save_skp(tx, row, skp, lambda pb: skp_pb2.SkpUpdated(skp=pb))


def delete_skp(deps: Deps, skp_id: str) -> None:
    """Deletes a draft (its matriks peran hasil with it), unless bawahan already intervene its RHK."""
    principal = caller()
    with skp_for_write(deps, skp_id) as (tx, repo, row, skp):
        rules.require_owner(skp, principal.pegawai_id)
        rules.require_draft(skp)
        holders = repo.intervening(skp.id)
        if holders:
            raise FailedPrecondition(
                "SKP_DIINTERVENSI",
                f"SKP tidak dapat dihapus karena RHK-nya diintervensi oleh {len(holders)} SKP bawahan.",
            )
        row.deleted_at = now()
        drop_matriks(tx, repo, skp.id)
        save_skp(tx, row, skp, lambda pb: skp_pb2.SkpDeleted(skp=pb))


def refresh_snapshot(deps: Deps, skp_id: str) -> Skp:
    """Takes the pegawai, pejabat penilai and atasan pejabat penilai again from org (owner or admin, draft)."""
    principal = caller()
    found = load_skp(deps, skp_id)
    if not (principal.is_admin or found.pegawai_id == principal.pegawai_id):
        raise PermissionDenied(
            "BUKAN_PEMILIK_SKP", "Hanya pemilik SKP atau admin yang dapat memperbarui data SKP."
        )
    rules.require_draft(found)
    roles = resolve_roles(deps.org, found.pegawai_id, found.plt_id, deps.clock())
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        rules.require_draft(skp)
        _apply_roles(skp, roles)
        return save_skp(tx, row, skp, lambda pb: skp_pb2.SkpSnapshotRefreshed(skp=pb))


# ---- reads ----


def get_skp(deps: Deps, skp_id: str) -> Skp:
    """One SKP, for whoever may see it (owner, penilai and their PLT/PLH, atasan penilai, penilai perilaku, admins)."""
    authority = Authority(deps, caller())
    skp = load_skp(deps, skp_id)
    authority.require_read(skp)
    return skp


def batch_get_skp(deps: Deps, ids: list[str]) -> list[Skp]:
    """The SKPs found among `ids` that the caller may see, in the order asked (for DataLoaders)."""
    authority = Authority(deps, caller())
    wanted = parse_ids(ids)
    if not wanted:
        return []
    with deps.uow.transaction() as tx:
        rows = {r.id: r for r in SkpRepository(tx.session, tx.tenant).skp_rows(wanted)}
        found = [skp_from_row(rows[i]) for i in wanted if i in rows]
    return authority.readable(found)


def uuid_array(ids: list[uuid.UUID]) -> Any:
    """The ids as one array parameter (`= ANY(:ids)`), not one parameter each: a head's bawahan are
    thousands."""
    return bindparam(None, ids, type_=ARRAY(UUID(as_uuid=True)))


def _day_of_skp_year(day: HariTahun) -> ColumnElement[Any]:
    """`day` in the SKP's year, in SQL, like HariTahun.in_year: 02-29 is 02-28 in common years."""
    if (day.bulan, day.hari) == (2, 29):
        return func.make_date(LISTED.tahun, 3, 1) - 1
    return func.make_date(LISTED.tahun, day.bulan, day.hari)


@dataclass(frozen=True)
class ListRequest:
    scope: int = SCOPE_SAYA
    tahun: int = 0
    status: int = 0
    periode_id: str = ""
    query: str = ""
    unor_id: str = ""
    page_size: int = 0
    page_token: str = ""


@dataclass(frozen=True)
class SkpPage:
    skp: list[Skp]
    next_page_token: str
    # Counted up to kinerja_kit.paging.COUNT_LIMIT: exact is False when the count stopped there.
    total_count: int
    total_count_exact: bool = True


def list_skp(deps: Deps, request: ListRequest) -> SkpPage:
    """My SKPs, my bawahan's, or the instansi's (admin). Bawahan: the SKPs of the pegawai whose atasan
    langsung I am today (org's relations), and those whose snapshot names me pejabat penilai or names a
    penilai's unor I lead today (PLT SKPs, SKPs waiting for the head I replace or act for, what I rated)."""
    principal = caller()
    conditions: list[ColumnElement[bool]] = []
    scope = request.scope or SCOPE_SAYA
    if scope == SCOPE_SAYA:
        conditions.append(LISTED.pegawai_id == own_pegawai(principal))
    elif scope == SCOPE_BAWAHAN:
        me = own_pegawai(principal)
        # one org read: my bawahan today and the unor I lead today (definitively or as PLT/PLH in force)
        relations = deps.org.relations([me], deps.clock()).get(me)
        bawahan = list(relations.bawahan_ids) if relations else []
        led = list(relations.memimpin_unor_ids) if relations else []
        conditions.append(
            or_(
                LISTED.penilai_pegawai_id == me,
                LISTED.penilai_unor_id == any_(uuid_array(led)),
                LISTED.plt_id.is_(None) & (LISTED.pegawai_id == any_(uuid_array(bawahan))),
            )
        )
        conditions.append(LISTED.pegawai_id != me)
    elif scope == SCOPE_INSTANSI:
        if not principal.is_admin:
            raise PermissionDenied("ADMIN_REQUIRED", "Hanya admin yang dapat melihat seluruh SKP instansi.")
    else:
        raise bad_argument("scope", "SCOPE_INVALID", "Cakupan daftar SKP tidak dikenal.")
    if request.tahun:
        conditions.append(LISTED.tahun == request.tahun)
    if request.status:
        try:
            conditions.append(LISTED.status == StatusSkp(request.status).name)
        except ValueError as exc:
            raise bad_argument("status", "STATUS_INVALID", "Status SKP tidak dikenal.") from exc
    term = search_term(request.query)
    by_nip = term is not None and term[0] == "nip"
    if term is not None and by_nip:
        # a NIP prefix is a range of the NIP index (byte order; comparisons, unlike LIKE, are leakproof
        # and so reach the index): the list is then in NIP order
        conditions.append(LISTED.nip >= term[1])
        conditions.append(LISTED.nip < prefix_end(term[1]))
    elif term is not None:
        conditions.append(LISTED.pegawai_nama.ilike(f"%{escape_like(term[1])}%", escape="\\"))
    if request.unor_id.strip():
        unor_id = parse_uuid(request.unor_id.strip())
        if unor_id is None:
            raise bad_argument("unor_id", "INVALID_ID", "Unit kerja tidak valid.")
        conditions.append(LISTED.unor_id == unor_id)
    size = page_size(request.page_size)
    filters = fingerprint(
        scope, request.tahun, request.status, request.periode_id.strip(), term, request.unor_id.strip()
    )
    after = decode_page_token(request.page_token, filters) if request.page_token else None
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        if request.periode_id.strip():
            periode_row = repo.periode_row(
                parse_id(request.periode_id, "PERIODE_NOT_FOUND", "Periode tidak ditemukan.")
            )
            if periode_row is None:
                raise NotFound("PERIODE_NOT_FOUND", "Periode tidak ditemukan.")
            periode = periode_from_row(periode_row)
            # the periode of the SKP's own year must touch the SKP's dates
            start, end = _day_of_skp_year(periode.mulai), _day_of_skp_year(periode.selesai)
            conditions.append((LISTED.tanggal_mulai <= end) & (LISTED.tanggal_selesai >= start))
        rows, total, exact = repo.list_skp(conditions, after, size + 1, by_nip=by_nip)
        position = (lambda r: (r.pegawai_nip, r.id)) if by_nip else (lambda r: (r.pegawai_nama, r.id))
        shown, next_token = split_page(rows, size, position, filters)
        page = [skp_from_row(r) for r in shown]
    return SkpPage(page, next_token, total, exact)


def list_rhk_atasan(deps: Deps, skp_id: str) -> list[Skp]:
    """The pejabat penilai's SKPs of the same year, to choose the RHK an RHK intervenes (owner only)."""
    principal = caller()
    owned = get_skp(deps, skp_id)
    rules.require_owner(owned, principal.pegawai_id)
    if owned.penilai is None:
        return []
    with deps.uow.transaction() as tx:
        rows = SkpRepository(tx.session, tx.tenant).skp_rows_of(owned.penilai.pegawai_id, owned.tahun)
        return [skp_from_row(r) for r in rows]


# ---- workflow ----


def submit_skp(deps: Deps, skp_id: str) -> Skp:
    """Owner sends a complete draft to the pejabat penilai (a mandiri head's SKP is approved at once)."""
    principal = caller()
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        rules.require_owner(skp, principal.pegawai_id)
        automatic = rules.submit(skp, now())
        if automatic:
            return save_skp(
                tx,
                row,
                skp,
                lambda pb: skp_pb2.SkpApproved(skp=pb, otomatis=True, disetujui_oleh=pejabat_pb(skp.pegawai)),
            )
        return save_skp(tx, row, skp, lambda pb: skp_pb2.SkpSubmitted(skp=pb))


def approve_skp(deps: Deps, skp_id: str) -> Skp:
    """The pejabat penilai of today (or the PLT/PLH of their unor) approves a submitted SKP; when that is
    not the penilai on the snapshot, the snapshot follows them. The event names who approved."""
    authority = Authority(deps, caller())
    act = penilai_act(deps, authority, load_skp(deps, skp_id))
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        rules.approve(skp, now())
        act.apply(skp)
        by = pejabat_pb(act.actor)
        return save_skp(
            tx, row, skp, lambda pb: skp_pb2.SkpApproved(skp=pb, otomatis=False, disetujui_oleh=by)
        )


def return_skp(deps: Deps, skp_id: str, alasan: str) -> Skp:
    """The pejabat penilai of today (or the PLT/PLH of their unor) sends a submitted SKP back to draft
    with a reason; the snapshot follows them as on approval."""
    authority = Authority(deps, caller())
    reason = rules.alasan(alasan, required=True)
    act = penilai_act(deps, authority, load_skp(deps, skp_id))
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        rules.return_to_draft(skp, reason, now())
        act.apply(skp)
        by = pejabat_pb(act.actor)
        return save_skp(
            tx, row, skp, lambda pb: skp_pb2.SkpReturned(skp=pb, alasan=reason, dikembalikan_oleh=by)
        )


def reset_skp(deps: Deps, skp_id: str, alasan: str) -> Skp:
    """Admin returns a submitted or approved SKP to draft."""
    require_admin(caller())
    reason = rules.alasan(alasan, required=False)
    with skp_for_write(deps, skp_id) as (tx, _, row, skp):
        previous = rules.reset(skp, reason, now())
        return save_skp(
            tx,
            row,
            skp,
            lambda pb: skp_pb2.SkpReset(skp=pb, alasan=reason, status_sebelumnya=int(previous)),  # type: ignore[arg-type]
        )
