"""What assessment's lists cost at national scale, by hand: EXPLAIN (ANALYZE, BUFFERS) of every list query
the store issues, on generated tables (not a test; the figures go to the service README).

    .venv/bin/python tests/services/assessment/explain_lists.py [--url SUPERUSER_URL] [--plans] [NAME...]

Without --url it starts a throwaway embedded PostgreSQL. It creates the database `kinerja_assessment_explain`
(owner and runtime roles as the service has them), migrates it, fills it once (SQL as a superuser, in
seconds) and then, for each list (or those whose name contains a NAME), reads it through the service's
own store (SqlStore, the runtime role, RLS on) and prints the statements, the shared buffers they
touched (EXPLAIN: what a page reads, independent of the machine) and the median time of 7 plain runs.

The data: instansi A has 40,000 pegawai, each with an approved SKP in 2025 and 2026 and a penilaian in
the four periode of 2025 (three rated) and the first of 2026: 200,000 penilaian; the open ones (76,000)
have their tasks: 204,000 tugas. A head H leads a unit of 2,500 pegawai (their bawahan today; a tenth
of their SKPs still name a former penilai); 1,000 unor in 100 unit kerja; 832 keberatan; 300 capaian.
Instansi B (10,000 pegawai) shares the tables.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

import assessment.bootstrap
from assessment.adapters.repository import SqlStore
from assessment.domain.model import JenisTugas, Periode
from assessment.domain.records import KeberatanQuery, Lingkup, PenilaianQuery
from kinerja_kit.db import UnitOfWork, provision_service_database
from kinerja_testing.infra.postgres import EmbeddedPostgres

SERVICE = "assessment_explain"
FIRST = ["Sari", "Budi", "Siti", "Agus", "Dewi", "Eko", "Rina", "Joko", "Wahyu", "Nur"]
FIRST += ["Indah", "Hadi", "Putri", "Rudi", "Ayu", "Bambang", "Lestari", "Yusuf", "Fitri", "Dian"]
MID = ["Ratna", "Adi", "Kusuma", "Tri", "Puspita", "Hendra", "Maya", "Arif", "Wulan", "Bayu", "Citra"]
MID += ["Gita", "Rahmat", "Sri", "Teguh", "Umar", "Vina", "Yanti", "Zainal", "Asih", "Bagus", "Candra"]
MID += ["Dwi", "Endah", "Fajar"]
LAST = ["Pratama", "Saputra", "Wijaya", "Santoso", "Hidayat", "Nugroho", "Lestari", "Purnomo", "Setiawan"]
LAST += ["Kurniawan", "Rahayu", "Utami", "Susanto", "Wibowo", "Permata", "Gunawan", "Handayani"]
LAST += ["Sulistyo", "Anggraini", "Firmansyah", "Maharani", "Syahputra", "Ramadhan", "Pangestu"]
LAST += ["Hartono", "Suryani", "Prasetyo", "Yulianti", "Siregar", "Nasution"]
TODAY = date(2026, 1, 5)
PAGE = 21  # a page of 20 and the row that says another follows


def md5(value: str) -> uuid.UUID:
    return uuid.UUID(hashlib.md5(value.encode()).hexdigest())


def _array(words: list[str]) -> str:
    return "array[" + ",".join(f"'{w}'" for w in words) + "]"


def fill(engine: Engine, tag: str, pegawai: int, bawahan: int, unor: int) -> None:
    """One instansi (id md5(tag)); every id is md5 of a name, so the cases below can name them."""
    i = f"md5('{tag}')::uuid"
    nama = (
        f"({_array(FIRST)})[1 + k % {len(FIRST)}] || ' ' || ({_array(MID)})[1 + (k / {len(FIRST)}) % {len(MID)}]"
        f" || ' ' || ({_array(LAST)})[1 + (k / {len(FIRST) * len(MID)}) % {len(LAST)}]"
    )
    unor_k = f"(case when k < {bawahan} then 1 else 2 + k % {unor - 2} end)"
    moved = f"k < {bawahan} and k % 10 = 0"
    penilai = (
        f"(case when {moved} then md5('{tag}old' || (k % 7)) else md5('{tag}head' || {unor_k}) end)::uuid"
    )
    penilai_unor = f"(case when {moved} then md5('{tag}unor5') else md5('{tag}unor' || {unor_k}) end)::uuid"
    unit = f"md5('{tag}unor' || ({unor_k} - {unor_k} % 10))::uuid"
    nip = (
        "(1960 + k % 40)::text || lpad((1 + k % 12)::text, 2, '0') || lpad((1 + k % 28)::text, 2, '0')"
        " || (1985 + k % 38)::text || lpad((1 + k % 12)::text, 2, '0') || (1 + k % 2)::text"
        " || lpad((k % 1000)::text, 3, '0')"
    )
    statements = [
        f"""insert into periode_proyeksi (instansi_id, id, nama, mulai, selesai, batas_pengisian, jenis, version)
            select {i}, md5('{tag}periode' || j)::uuid, (array['TW I','TW II','TW III','Tahunan'])[j],
                   (array['01-01','04-01','07-01','01-01'])[j], (array['03-31','06-30','09-30','12-31'])[j],
                   (array['04-10','07-10','10-10','01-10'])[j], case when j = 4 then 'FINAL' else 'BIASA' end, 1
            from generate_series(1, 4) j""",
        f"""insert into unor_proyeksi (instansi_id, id, nama, jenis, induk_id, version)
            select {i}, md5('{tag}unor' || u)::uuid,
                   case when u % 10 = 0 then 'Biro ' else 'Bagian ' end || ({_array(MID)})[1 + u % {len(MID)}] || ' ' || u,
                   case when u % 10 = 0 then 3 else 4 end,
                   case when u % 10 = 0 then null else md5('{tag}unor' || (u - u % 10))::uuid end, 1
            from generate_series(0, {unor - 1}) u""",
        f"""insert into skp_proyeksi (instansi_id, id, pegawai_id, unor_id, tahun, tanggal_mulai, tanggal_selesai,
                 status, model, pendekatan, penilai_pegawai_id, penilai_unor_id, pegawai_nip, pegawai_nama,
                 unit_kerja_id, isi, version)
            select {i}, md5('{tag}skp' || k || '-' || t)::uuid, md5('{tag}peg' || k)::uuid,
                   md5('{tag}unor' || {unor_k})::uuid, t, make_date(t, 1, 1), make_date(t, 12, 31), 'DISETUJUI',
                   'JA_JF', 'KUANTITATIF', {penilai}, {penilai_unor}, nip, nama, {unit},
                   jsonb_build_object(
                       'pegawai', jsonb_build_object('pegawai_id', md5('{tag}peg' || k)::uuid, 'nip', nip, 'nama', nama),
                       'penilai', jsonb_build_object('pegawai_id', {penilai}, 'nama', 'Kepala'),
                       'rhk', '[]'::jsonb, 'perilaku', '[]'::jsonb), 1
            from (select k, {nama} as nama, {nip} as nip from generate_series(0, {pegawai - 1}) k) p,
                 generate_series(2025, 2026) t""",
        f"""insert into penilaian (instansi_id, id, skp_id, periode_id, tahun, pegawai_id, pegawai_nama, pegawai_nip,
                 unit_kerja_id, penilai_pegawai_id, status, rating_hasil_kerja, rating_perilaku_kerja, predikat, isi)
            select s.instansi_id, md5('{tag}pen' || s.id || j)::uuid, s.id, md5('{tag}periode' || j)::uuid, s.tahun,
                   s.pegawai_id, s.pegawai_nama, s.pegawai_nip, s.unit_kerja_id, s.penilai_pegawai_id, st,
                   case when st = 'DINILAI' then 2 end, case when st = 'DINILAI' then 2 end,
                   case when st = 'DINILAI' then (case right(s.pegawai_nip, 1) when '0' then 1 when '9' then 3
                                                  else 2 end) end,
                   '{{}}'::jsonb
            from skp_proyeksi s, generate_series(1, 4) j,
                 lateral (select case when s.tahun = 2025 and (j < 4 or right(s.pegawai_nip, 1) = '0')
                                      then 'DINILAI' else 'DIBUKA' end as st) x
            where s.instansi_id = {i} and (s.tahun = 2025 or j = 1)""",
        # the column the service keeps from the SKP (penilaian rows are written by the service otherwise)
        f"""update penilaian p set penilai_unor_id = s.penilai_unor_id from skp_proyeksi s
            where p.instansi_id = {i} and s.instansi_id = p.instansi_id and s.id = p.skp_id""",
        # the open penilaian's tasks: realisasi (2026's, and 30% of 2025's final), rating, one feedback
        f"""insert into tugas (instansi_id, id, jenis, assignee_pegawai_id, assignee_unor_id, subject_pegawai_id,
                 penilaian_id, skp_id, periode_id, periode_nama, batas, keterangan, pegawai)
            select p.instansi_id, md5(p.id::text || jenis)::uuid, jenis,
                   case jenis when 1 then p.pegawai_id when 3 then p.penilai_pegawai_id
                        else md5('{tag}peg' || (('x' || substr(p.pegawai_id::text, 1, 6))::bit(24)::int % {pegawai}))::uuid
                   end,
                   case when jenis = 3 then p.penilai_unor_id end, p.pegawai_id, p.id, p.skp_id, p.periode_id, 'TW',
                   case when jenis in (1, 2) then (case when p.tahun = 2025 then date '2026-01-10'
                                                   else date '2026-04-10' end) end,
                   '', jsonb_build_object('pegawai_id', p.pegawai_id, 'nama', p.pegawai_nama)
            from penilaian p, generate_series(1, 3) jenis
            where p.instansi_id = {i} and p.status = 'DIBUKA'
              and (jenis <> 1 or p.tahun = 2026 or right(p.pegawai_nip, 1) in ('1', '2', '3'))""",
        f"""insert into keberatan (instansi_id, id, penilaian_id, skp_id, periode_id, tahun, pegawai_id, pegawai_nama,
                 pegawai_nip, penilai_pegawai_id, status, alasan, sebelum, diminta, diajukan_at, batas_pengajuan,
                 updated_at)
            select instansi_id, md5('{tag}keb' || id)::uuid, id, skp_id, periode_id, tahun, pegawai_id, pegawai_nama,
                   pegawai_nip, penilai_pegawai_id,
                   case when right(pegawai_nip, 2) < '50' then 'DIAJUKAN' else 'DITOLAK' end, 'x',
                   '{{"rating_hasil_kerja": 2, "rating_perilaku_kerja": 2, "predikat": 2}}',
                   '{{"rating_hasil_kerja": 1, "rating_perilaku_kerja": 2, "predikat": 2}}', now(),
                   date '2025-11-01', now()
            from penilaian where instansi_id = {i} and periode_id = md5('{tag}periode3')::uuid and tahun = 2025
              and ('x' || substr(pegawai_id::text, 1, 6))::bit(24)::int % 50 = 0""",
        f"""insert into capaian_organisasi (instansi_id, id, tahun, periode_id, unor_id, unor_nama, capaian, diubah_oleh)
            select {i}, md5('{tag}cap' || u.id || '-' || j)::uuid, 2025, md5('{tag}periode' || j)::uuid, u.id,
                   u.nama, 2, '{{}}'
            from unor_proyeksi u, generate_series(1, 3) j where u.instansi_id = {i} and u.induk_id is null""",
        f"""insert into perpanjangan_batas (instansi_id, id, periode_id, tahun, pegawai_id, batas_baru, alasan, oleh)
            select {i}, md5('{tag}ext' || k)::uuid, md5('{tag}periode' || (1 + k % 4))::uuid, 2025,
                   md5('{tag}peg' || (k * 97))::uuid, date '2026-02-01', 'x', '{{}}' from generate_series(0, 49) k""",
    ]
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))


class Explained:
    """Runs one store call in the instansi's transaction: EXPLAIN (ANALYZE, BUFFERS) of each statement it
    issues, then the median time of plain runs."""

    def __init__(self, engine: Engine, tenant: uuid.UUID, plans: bool) -> None:
        self.uow = UnitOfWork.from_engine(engine)
        self.tenant = tenant
        self.plans = plans
        self.capturing = False
        self.found: list[dict[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._explain)

    def _explain(self, conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not (self.capturing and statement.lstrip().lower().startswith("select")):
            return
        cursor.execute("explain (analyze, buffers, format json) " + statement, parameters)
        self.found.append(cursor.fetchone()[0][0])
        if self.plans:
            cursor.execute("explain (analyze, buffers, costs off, summary off) " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # an array of 2,500 ids is shown as its size
            print(
                re.sub(
                    r"'\{[^}]{200,}\}'::uuid\[\]", lambda m: f"'{{{m.group(0).count(',') + 1} ids}}'", plan
                )
            )

    def run(self, call: Callable[[SqlStore], Any]) -> tuple[int, int, float, Any]:
        """(statements, shared buffers, median ms, result)."""
        with self.uow.transaction(tenant=self.tenant) as tx:
            store = SqlStore(tx)
            call(store)
            self.capturing, self.found = True, []
            try:
                result = call(store)
            finally:
                self.capturing = False
            times = []
            for _ in range(7):
                start = time.perf_counter()
                call(store)
                times.append((time.perf_counter() - start) * 1000)
        buffers = sum(
            p["Plan"].get("Shared Hit Blocks", 0) + p["Plan"].get("Shared Read Blocks", 0) for p in self.found
        )
        return len(self.found), buffers, statistics.median(times), result


def _listed(name: str, query: PenilaianQuery | KeberatanQuery) -> list[tuple[str, Callable[[SqlStore], Any]]]:
    """A page of the list and its count."""
    if isinstance(query, PenilaianQuery):
        wanted = query
        return [
            (name, lambda s: s.list_penilaian(wanted, None, PAGE)),
            ("  its count", lambda s: s.count_penilaian(wanted)),
        ]
    asked = query
    return [
        (name, lambda s: s.list_keberatan(asked, None, PAGE)),
        ("  its count", lambda s: s.count_keberatan(asked)),
    ]


def _periode(store: SqlStore, periode_id: uuid.UUID) -> Periode:
    found = store.periode(periode_id)
    assert found is not None
    return found


def cases() -> list[tuple[str, Callable[[SqlStore], Any]]]:
    head, unit_h = md5("Ahead1"), md5("Aunor1")
    bawahan = frozenset(md5(f"Apeg{k}") for k in range(2500))
    staff = md5("Apeg7777")
    p1, p3, p4 = md5("Aperiode1"), md5("Aperiode3"), md5("Aperiode4")
    unit = md5("Aunor0")
    instansi = Lingkup(kind="INSTANSI")
    theirs = {"pegawai_id": head, "units": frozenset({unit_h}), "bawahan": bawahan}
    penilaian: list[tuple[str, dict[str, Any]]] = [
        ("penilaian INSTANSI (admin), no filter", {"lingkup": instansi}),
        ("penilaian INSTANSI tahun", {"lingkup": instansi, "tahun": 2026}),
        ("penilaian INSTANSI tahun+periode", {"lingkup": instansi, "tahun": 2025, "periode_id": p4}),
        (
            "penilaian INSTANSI tahun+periode+status",
            {"lingkup": instansi, "tahun": 2025, "periode_id": p4, "status": "DINILAI"},
        ),
        ("penilaian INSTANSI tahun+status", {"lingkup": instansi, "tahun": 2025, "status": "DIBUKA"}),
        ("penilaian INSTANSI unit kerja", {"lingkup": instansi, "unit_kerja_id": unit}),
        ("penilaian SAYA (staff)", {"lingkup": Lingkup(kind="SAYA", pegawai_id=staff)}),
        ("penilaian BAWAHAN (head, 2,500), no filter", {"lingkup": Lingkup(kind="BAWAHAN", **theirs)}),
        (
            "penilaian BAWAHAN (head, 2,500) tahun+periode",
            {"lingkup": Lingkup(kind="BAWAHAN", **theirs), "tahun": 2025, "periode_id": p4},
        ),
        (
            "kalibrasi (unit kerja of 4,000, a periode)",
            {"lingkup": instansi, "tahun": 2025, "periode_id": p3, "unit_kerja_id": unit},
        ),
        (
            "kalibrasi, one predikat",
            {"lingkup": instansi, "tahun": 2025, "periode_id": p3, "unit_kerja_id": unit, "predikat": 2},
        ),
    ]
    found: list[tuple[str, Callable[[SqlStore], Any]]] = []
    for name, given in penilaian:
        found += _listed(name, PenilaianQuery(**given))
    inbox_head = Lingkup(kind="INBOX", **theirs)
    inbox_staff = Lingkup(kind="INBOX", pegawai_id=staff)
    found += [
        ("statistik of a unit kerja (pola distribusi)", lambda s: s.statistik(unit, _periode(s, p3), 2025)),
        ("inbox counts, head", lambda s: s.inbox_counts(inbox_head, None, TODAY)),
        (
            "inbox page NILAI_BAWAHAN, head",
            lambda s: s.inbox_page(inbox_head, JenisTugas.NILAI_BAWAHAN, None, TODAY, None, PAGE),
        ),
        (
            "inbox page FEEDBACK_PERILAKU, head (none)",
            lambda s: s.inbox_page(inbox_head, JenisTugas.FEEDBACK_PERILAKU, None, TODAY, None, PAGE),
        ),
        ("inbox counts, staff", lambda s: s.inbox_counts(inbox_staff, None, TODAY)),
        (
            "inbox page ISI_REALISASI, staff",
            lambda s: s.inbox_page(inbox_staff, JenisTugas.ISI_REALISASI, None, TODAY, None, PAGE),
        ),
    ]
    keberatan: list[tuple[str, KeberatanQuery]] = [
        ("keberatan INSTANSI", KeberatanQuery(lingkup=instansi)),
        ("keberatan INSTANSI name 'sari'", KeberatanQuery(lingkup=instansi, term=("nama", "sari"))),
        ("keberatan INSTANSI NIP '1990'", KeberatanQuery(lingkup=instansi, term=("nip", "1990"))),
        ("keberatan DIJAWAB, head", KeberatanQuery(lingkup=Lingkup(kind="DIJAWAB", **theirs))),
    ]
    for name, query in keberatan:
        found += _listed(name, query)
    found += [
        ("capaian", lambda s: s.list_capaian(0, None, "", None, PAGE)),
        ("  its count", lambda s: s.count_capaian(0, None, "")),
        ("capaian tahun+periode, name 'biro'", lambda s: s.list_capaian(2025, p1, "biro", None, PAGE)),
        ("  its count", lambda s: s.count_capaian(2025, p1, "biro")),
        ("perpanjangan batas", lambda s: s.list_perpanjangan(None, 0, None, PAGE)),
        ("  its count", lambda s: s.count_perpanjangan(None, 0)),
    ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="superuser URL of a PostgreSQL (default: an embedded one, thrown away)")
    parser.add_argument("--plans", action="store_true", help="print each plan")
    parser.add_argument("names", nargs="*", help="only the lists whose name contains one of these")
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="kinerja-explain-")) / "data", durable=False)
        url = server.start()
    try:
        database = provision_service_database(url, SERVICE)
        assessment.bootstrap.migrate(database.owner_url)
        admin = create_engine(make_url(url).set(database=database.name), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            filled = conn.execute(text("select count(*) from penilaian")).scalar()
        if not filled:
            print("filling (about a minute) ...", flush=True)
            fill(admin, "A", 40_000, 2_500, 1_000)
            fill(admin, "B", 10_000, 500, 250)
            with admin.connect() as conn:
                conn.execute(text("vacuum analyze"))
        explained = Explained(create_engine(database.app_url), md5("A"), args.plans)
        print(f"{'list':48s} {'stmts':>5s} {'buffers':>8s} {'median ms':>10s}  rows")
        last = ""
        for name, call in cases():
            last = name if not name.startswith(" ") else last
            if args.names and not any(n in last for n in args.names):
                continue
            statements, buffers, ms, result = explained.run(call)
            shown = len(result) if isinstance(result, list) else result
            print(f"{name:48s} {statements:5d} {buffers:8d} {ms:10.2f}  {str(shown)[:40]}", flush=True)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
