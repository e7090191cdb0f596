"""WeasyPrint candidate: HTML + CSS (paged media) rendered by WeasyPrint; the chart is inline SVG."""

from __future__ import annotations

from html import escape

import forms_data as fd
from weasyprint import HTML

CSS = """
@page { size: A4; margin: 15mm 12mm 18mm 12mm;
        @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font-size: 8pt; } }
body { font-family: 'DejaVu Sans'; font-size: 8.5pt; }
h1 { font-size: 11pt; text-align: center; margin: 0 0 2pt 0; }
h2 { font-size: 9.5pt; text-align: center; margin: 0 0 8pt 0; font-weight: normal; }
table { width: 100%; border-collapse: collapse; }
table.grid td, table.grid th { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: top; }
table.grid th { background: #e6e6e6; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.sec { font-weight: bold; background: #f2f2f2; }
table.kv td { padding: 1pt 3pt; vertical-align: top; }
table.kv td.k { width: 32%; } table.kv td.c { width: 2%; }
.sig { break-inside: avoid; margin-top: 14pt; }
.sig td { width: 50%; text-align: center; vertical-align: top; }
.space { height: 48pt; }
ul { margin: 0; padding-left: 10pt; }
.chart { text-align: center; margin: 6pt 0; }
"""


def _e(s: str) -> str:
    return escape(s)


def _person_rows(p: fd.Person) -> str:
    rows = [
        ("NAMA", p.nama),
        ("NIP", p.nip),
        ("PANGKAT/GOL RUANG", p.pangkat),
        ("JABATAN", p.jabatan),
        ("UNIT KERJA", p.unit_kerja),
    ]
    return "".join(f'<tr><td class="k">{k}</td><td class="c">:</td><td>{_e(v)}</td></tr>' for k, v in rows)


def _sig(left_head: str, left: fd.Person, right_head: str, right: fd.Person) -> str:
    return (
        '<table class="sig"><tr>'
        f"<td>{left_head}</td><td>{right_head}</td></tr>"
        '<tr><td class="space"></td><td class="space"></td></tr>'
        f"<tr><td><u>{_e(left.nama)}</u><br>NIP. {left.nip}</td>"
        f"<td><u>{_e(right.nama)}</u><br>NIP. {right.nip}</td></tr></table>"
    )


def rencana_html(d: fd.Rencana) -> str:
    head = (
        '<table class="grid"><tr><th style="width:50%">PEGAWAI YANG DINILAI</th>'
        "<th>PEJABAT PENILAI KINERJA</th></tr><tr>"
        f'<td><table class="kv">{_person_rows(d.pegawai)}</table></td>'
        f'<td><table class="kv">{_person_rows(d.penilai)}</table></td></tr></table><br>'
    )
    rows = []
    for title, group in (("A. UTAMA", d.utama), ("B. TAMBAHAN", d.tambahan)):
        rows.append(f'<tr><td class="sec" colspan="6">{title}</td></tr>')
        for n, r in enumerate(group, start=1):
            span = len(r.indikator)
            for k, ind in enumerate(r.indikator):
                lead = (
                    f'<td rowspan="{span}">{n}</td><td rowspan="{span}">{_e(r.rhk_pimpinan)}</td>'
                    f'<td rowspan="{span}">{_e(r.rhk)}</td>'
                    if k == 0
                    else ""
                )
                rows.append(
                    f"<tr>{lead}<td>{ind.aspek}</td><td>{_e(ind.teks)}</td><td>{_e(ind.target)}</td></tr>"
                )
    rhk = (
        '<table class="grid"><thead><tr><th colspan="6">HASIL KERJA</th></tr>'
        '<tr><th style="width:4%">NO</th><th style="width:22%">RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI</th>'
        '<th style="width:22%">RENCANA HASIL KERJA</th><th style="width:9%">ASPEK</th>'
        '<th>INDIKATOR KINERJA INDIVIDU</th><th style="width:10%">TARGET</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    beh = "".join(
        f'<tr><td style="width:4%">{n}</td><td style="width:56%"><b>{b.nama}</b><ul>'
        + "".join(f"<li>{_e(x)}</li>" for x in b.butir)
        + f"</ul></td><td>{_e(b.ekspektasi)}</td></tr>"
        for n, b in enumerate(d.perilaku, start=1)
    )
    perilaku = (
        '<table class="grid"><thead><tr><th colspan="3">PERILAKU KERJA</th></tr></thead>'
        f"<tbody>{beh}</tbody></table>"
    )
    sig = _sig(
        "Pegawai yang Dinilai<br>&nbsp;",
        d.pegawai,
        f"{d.lokasi}, {d.tanggal}<br>Pejabat Penilai Kinerja",
        d.penilai,
    )
    return (
        f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"
        f"<h1>SASARAN KINERJA PEGAWAI</h1><h2>PENDEKATAN HASIL KERJA KUANTITATIF BAGI PEJABAT ADMINISTRASI "
        f"DAN PEJABAT FUNGSIONAL</h2>"
        f'<table class="kv"><tr><td>{d.instansi}</td><td style="text-align:right">PERIODE PENILAIAN: '
        f"{d.periode}</td></tr></table>{head}{rhk}<br>{perilaku}{sig}</body></html>"
    )


def evaluasi_html(d: fd.Evaluasi) -> str:
    blocks = [
        ("1. PEGAWAI YANG DINILAI", d.pegawai),
        ("2. PEJABAT PENILAI KINERJA", d.penilai),
        ("3. ATASAN PEJABAT PENILAI KINERJA", d.atasan_penilai),
    ]
    rows = "".join(f'<tr><td colspan="3"><b>{t}</b></td></tr>{_person_rows(p)}' for t, p in blocks)
    rows += (
        '<tr><td colspan="3"><b>4. EVALUASI KINERJA</b></td></tr>'
        f'<tr><td class="k">CAPAIAN KINERJA ORGANISASI</td><td class="c">:</td><td>{d.capaian_organisasi}</td></tr>'
        f'<tr><td class="k">PREDIKAT KINERJA PEGAWAI</td><td class="c">:</td><td>{d.predikat}</td></tr>'
        '<tr><td colspan="3"><b>5. CATATAN/REKOMENDASI</b></td></tr>'
        f'<tr><td colspan="3">{_e(d.catatan)}</td></tr>'
    )
    sig = _sig(
        f"{d.lokasi_pegawai}, {d.tanggal_pegawai}<br>7. Pegawai yang Dinilai",
        d.pegawai,
        f"{d.lokasi_penilai}, {d.tanggal_penilai}<br>6. Pejabat Penilai Kinerja",
        d.penilai,
    )
    return (
        f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"
        f"<h1>DOKUMEN EVALUASI KINERJA PEGAWAI</h1><h2>PERIODE : {d.periode}<br>{d.instansi}</h2>"
        f'<p style="text-align:right">PERIODE PENILAIAN:<br>{d.periode_penilaian}</p>'
        f'<table class="grid"><tr><td><table class="kv">{rows}</table></td></tr></table>'
        f'<div class="chart">{fd.chart_svg(d)}</div>{sig}</body></html>'
    )


def render_rencana(d: fd.Rencana) -> bytes:
    return bytes(HTML(string=rencana_html(d)).write_pdf())


def render_evaluasi(d: fd.Evaluasi) -> bytes:
    return bytes(HTML(string=evaluasi_html(d)).write_pdf())
