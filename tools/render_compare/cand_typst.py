"""Typst candidate: .typ templates compiled by the `typst` PyPI package (the Typst compiler in Rust).

The data goes in as JSON through sys.inputs; the chart is the same inline SVG as for WeasyPrint. One
Compiler per template is kept, so fonts are loaded once per process (as a service would do).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import forms_data as fd
import typst

HERE = Path(__file__).resolve().parent
_compilers: dict[str, Any] = {}


def _compile(template: str, inputs: dict[str, str]) -> bytes:
    comp = _compilers.get(template)
    if comp is None:
        comp = typst.Compiler(str(HERE / template), root=str(HERE))
        _compilers[template] = comp
    return bytes(comp.compile(format="pdf", sys_inputs=inputs))


def render_rencana(d: fd.Rencana) -> bytes:
    return _compile("rencana.typ", {"data": json.dumps(asdict(d))})


def render_evaluasi(d: fd.Evaluasi) -> bytes:
    return _compile("evaluasi.typ", {"data": json.dumps(asdict(d)), "chart": fd.chart_svg(d)})
