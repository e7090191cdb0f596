"""ReportLab candidate: Platypus flowables (Table with repeatRows) and a native reportlab.graphics chart."""

from __future__ import annotations

import io
from typing import Any

import forms_data as fd
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
pdfmetrics.registerFont(TTFont("DejaVu", f"{FONT_DIR}/DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("DejaVu-Bold", f"{FONT_DIR}/DejaVuSans-Bold.ttf"))

BODY = ParagraphStyle("body", fontName="DejaVu", fontSize=7.5, leading=9.2)
BOLD = ParagraphStyle("bold", parent=BODY, fontName="DejaVu-Bold")
CENTER = ParagraphStyle("center", parent=BODY, alignment=TA_CENTER)
RIGHT = ParagraphStyle("right", parent=BODY, alignment=TA_RIGHT)
TITLE = ParagraphStyle(
    "title", parent=BODY, fontName="DejaVu-Bold", fontSize=11, leading=14, alignment=TA_CENTER
)
GRID = [
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]
WIDTH = A4[0] - 24 * mm


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), style)


def _person(p: fd.Person, w: float) -> Table:
    rows = [("NAMA", p.nama), ("NIP", p.nip), ("PANGKAT/GOL RUANG", p.pangkat)]
    rows += [("JABATAN", p.jabatan), ("UNIT KERJA", p.unit_kerja)]
    t = Table([[_p(k), _p(":"), _p(v)] for k, v in rows], colWidths=[w * 0.32, w * 0.04, w * 0.64])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 1)]))
    return t


def _footer(canvas: Any, doc: Any) -> None:
    canvas.setFont("DejaVu", 7.5)
    canvas.drawRightString(A4[0] - 12 * mm, 9 * mm, f"Halaman {doc.page}")


def _sig(lh: str, left: fd.Person, rh: str, right: fd.Person) -> KeepTogether:
    # the headings carry <br/> markup, so they are not escaped
    cells: list[list[Any]] = [
        [Paragraph(lh, CENTER), Paragraph(rh, CENTER)],
        [Spacer(1, 48), Spacer(1, 48)],
        [
            Paragraph(f"<u>{left.nama}</u><br/>NIP. {left.nip}", CENTER),
            Paragraph(f"<u>{right.nama}</u><br/>NIP. {right.nip}", CENTER),
        ],
    ]
    t = Table(cells, colWidths=[WIDTH / 2, WIDTH / 2])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 12), t])


def _build(story: list[Any]) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=15 * mm, bottomMargin=18 * mm
    )
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buf.getvalue()


def render_rencana(d: fd.Rencana) -> bytes:
    half = WIDTH / 2 - 6
    head = Table(
        [
            [_p("PEGAWAI YANG DINILAI", BOLD), _p("PEJABAT PENILAI KINERJA", BOLD)],
            [_person(d.pegawai, half), _person(d.penilai, half)],
        ],
        colWidths=[WIDTH / 2, WIDTH / 2],
    )
    head.setStyle(TableStyle([*GRID, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6"))]))
    rows: list[list[Any]] = [
        [_p("HASIL KERJA", BOLD), "", "", "", "", ""],
        [
            _p(x, BOLD)
            for x in (
                "NO",
                "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI",
                "RENCANA HASIL KERJA",
                "ASPEK",
                "INDIKATOR KINERJA INDIVIDU",
                "TARGET",
            )
        ],
    ]
    style = [
        *GRID,
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#e6e6e6")),
    ]
    for title, group in (("A. UTAMA", d.utama), ("B. TAMBAHAN", d.tambahan)):
        style += [
            ("SPAN", (0, len(rows)), (-1, len(rows))),
            ("BACKGROUND", (0, len(rows)), (-1, len(rows)), "#f2f2f2"),
        ]
        rows.append([_p(title, BOLD), "", "", "", "", ""])
        for n, r in enumerate(group, start=1):
            first = len(rows)
            for k, ind in enumerate(r.indikator):
                lead: list[Any] = [_p(str(n)), _p(r.rhk_pimpinan), _p(r.rhk)] if k == 0 else ["", "", ""]
                rows.append([*lead, _p(ind.aspek), _p(ind.teks), _p(ind.target)])
            last = len(rows) - 1
            if last > first:
                style += [("SPAN", (c, first), (c, last)) for c in range(3)]
    w = WIDTH
    rhk = Table(rows, colWidths=[w * 0.04, w * 0.22, w * 0.22, w * 0.09, w * 0.33, w * 0.10], repeatRows=2)
    rhk.setStyle(TableStyle(style))
    beh_rows: list[list[Any]] = [[_p("PERILAKU KERJA", BOLD), "", ""]]
    for n, b in enumerate(d.perilaku, start=1):
        text = f"<b>{b.nama}</b>" + "".join(f"<br/>• {x}" for x in b.butir)
        beh_rows.append([_p(str(n)), Paragraph(text, BODY), _p(b.ekspektasi)])
    beh = Table(beh_rows, colWidths=[w * 0.04, w * 0.56, w * 0.40], repeatRows=1)
    beh.setStyle(TableStyle([*GRID, ("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), "#e6e6e6")]))
    story = [
        _p("SASARAN KINERJA PEGAWAI", TITLE),
        _p("PENDEKATAN HASIL KERJA KUANTITATIF BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL", CENTER),
        Spacer(1, 6),
        Table([[_p(d.instansi), _p(f"PERIODE PENILAIAN: {d.periode}", RIGHT)]], colWidths=[w / 2, w / 2]),
        head,
        Spacer(1, 6),
        rhk,
        Spacer(1, 6),
        beh,
        _sig(
            "Pegawai yang Dinilai<br/>&nbsp;",
            d.pegawai,
            f"{d.lokasi}, {d.tanggal}<br/>Pejabat Penilai Kinerja",
            d.penilai,
        ),
    ]
    return _build(story)


def _chart(d: fd.Evaluasi, width: int = 440, height: int = 200) -> Drawing:
    dr = Drawing(width, height)
    pts = fd.chart_points(d, width, height)
    bottom = height - 38.0

    def y(v: float) -> float:  # the shared geometry has y pointing down; PDF points up
        return height - v

    title = "Kurva Pola Distribusi Predikat Kinerja Pegawai"
    dr.add(String(width / 2, y(16), title, fontName="DejaVu-Bold", fontSize=9, textAnchor="middle"))
    dr.add(Line(40, y(bottom), width - 20, y(bottom), strokeColor=colors.HexColor("#333333")))
    dr.add(Line(40, y(28), 40, y(bottom), strokeColor=colors.HexColor("#333333")))
    for label, count, x, top, bw in pts:
        dr.add(
            Rect(
                x - bw / 2,
                y(bottom),
                bw,
                bottom - top,
                fillColor=colors.HexColor("#9ecae1"),
                strokeColor=colors.HexColor("#3182bd"),
            )
        )
        dr.add(String(x, y(top - 4), str(count), fontName="DejaVu", fontSize=8, textAnchor="middle"))
        dr.add(String(x, y(bottom + 14), label, fontName="DejaVu", fontSize=7, textAnchor="middle"))
    # a straight polyline through the bar tops (ReportLab graphics has no path smoothing built in)
    dr.add(
        PolyLine(
            [c for p in pts for c in (p[2], y(p[3]))], strokeColor=colors.HexColor("#d62728"), strokeWidth=2
        )
    )
    n = sum(c for _, c in d.distribusi)
    dr.add(
        String(
            width / 2,
            4,
            f"Unit kerja induk: {d.unit_induk} (n = {n})",
            fontName="DejaVu",
            fontSize=6.5,
            textAnchor="middle",
        )
    )
    return dr


def render_evaluasi(d: fd.Evaluasi) -> bytes:
    body = ParagraphStyle("dek", parent=BODY, fontSize=8.5, leading=10.5)
    bold = ParagraphStyle("dekb", parent=body, fontName="DejaVu-Bold")
    w = WIDTH
    rows: list[list[Any]] = []
    style = [*GRID]

    def sec(t: str) -> None:
        style.append(("SPAN", (0, len(rows)), (-1, len(rows))))
        rows.append([Paragraph(t, bold), "", ""])

    def kv(k: str, v: str) -> None:
        rows.append([Paragraph(k, body), Paragraph(":", body), Paragraph(v, body)])

    for t, p in (
        ("1. PEGAWAI YANG DINILAI", d.pegawai),
        ("2. PEJABAT PENILAI KINERJA", d.penilai),
        ("3. ATASAN PEJABAT PENILAI KINERJA", d.atasan_penilai),
    ):
        sec(t)
        for k, v in (
            ("NAMA", p.nama),
            ("NIP", p.nip),
            ("PANGKAT/GOL RUANG", p.pangkat),
            ("JABATAN", p.jabatan),
            ("UNIT KERJA", p.unit_kerja),
        ):
            kv(k, v)
    sec("4. EVALUASI KINERJA")
    kv("CAPAIAN KINERJA ORGANISASI", d.capaian_organisasi)
    kv("PREDIKAT KINERJA PEGAWAI", d.predikat)
    sec("5. CATATAN/REKOMENDASI")
    style.append(("SPAN", (0, len(rows)), (-1, len(rows))))
    rows.append([Paragraph(d.catatan, body), "", ""])
    table = Table(rows, colWidths=[w * 0.32, w * 0.02, w * 0.66])
    table.setStyle(TableStyle(style))
    story = [
        _p("DOKUMEN EVALUASI KINERJA PEGAWAI", TITLE),
        Paragraph(
            f"PERIODE : {d.periode}<br/>{d.instansi}", ParagraphStyle("c2", parent=body, alignment=TA_CENTER)
        ),
        Spacer(1, 4),
        Paragraph(
            f"PERIODE PENILAIAN:<br/>{d.periode_penilaian}",
            ParagraphStyle("r2", parent=body, alignment=TA_RIGHT),
        ),
        Spacer(1, 4),
        table,
        Spacer(1, 8),
        _chart(d),
        _sig(
            f"{d.lokasi_pegawai}, {d.tanggal_pegawai}<br/>7. Pegawai yang Dinilai",
            d.pegawai,
            f"{d.lokasi_penilai}, {d.tanggal_penilai}<br/>6. Pejabat Penilai Kinerja",
            d.penilai,
        ),
    ]
    return _build(story)
