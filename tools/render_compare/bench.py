"""Benchmark one or all candidates: latency (p50 of 50), burst throughput (200 documents), peak memory,
PDF size, page count, and whether the text extraction shows every field.

Run in the benchmark's own virtual environment (see README.md):  python bench.py [candidate ...] --out DIR
Each candidate runs in a fresh child process so that its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import forms_data as fd

CANDIDATES = ["reportlab", "weasyprint", "typst"]


def _vary_r(d: fd.Rencana, i: int) -> fd.Rencana:
    """A different document each time (name, NIP) so that no renderer can return a cached result."""
    p = dataclasses.replace(d.pegawai, nama=f"{d.pegawai.nama} {i}", nip=str(199106192020122005 + i))
    return dataclasses.replace(d, pegawai=p)


def _vary_e(d: fd.Evaluasi, i: int) -> fd.Evaluasi:
    p = dataclasses.replace(d.pegawai, nama=f"{d.pegawai.nama} {i}", nip=str(199106192020122005 + i))
    return dataclasses.replace(d, pegawai=p)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _text_check(pdf: Path, fields: list[str]) -> list[str]:
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    return [f for f in fields if _squash(f) not in text]


def _lost_fields(pdf: Path, fields: list[str]) -> list[str]:
    """Fields whose words do not appear, in order, within a short stretch of the extracted text.

    Tolerates pdftotext interleaving neighbouring table cells (which breaks the contiguous check);
    a field listed here is really missing or garbled.
    """
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    lost = []
    for f in fields:
        want = f.split()
        found = False
        for start in (i for i, w in enumerate(words) if w == want[0]):
            k = 1
            for w in words[start + 1 : start + 1 + 8 * len(want)]:
                if k < len(want) and w == want[k]:
                    k += 1
            if k == len(want):
                found = True
                break
        if not found:
            lost.append(f)
    return lost


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else -1


def run_one(name: str, out: Path) -> dict[str, Any]:
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    mod = importlib.import_module(f"cand_{name}")
    import_s = time.perf_counter() - t0
    r, e = fd.rencana(), fd.evaluasi()
    forms: dict[str, tuple[Callable[[int], bytes], list[str]]] = {
        "rencana": (lambda i: mod.render_rencana(_vary_r(r, i)), fd.expected_fields_rencana(r)),
        "evaluasi": (lambda i: mod.render_evaluasi(_vary_e(e, i)), fd.expected_fields_evaluasi(e)),
    }
    res: dict[str, Any] = {"candidate": name, "import_s": round(import_s, 3), "rss_start_mb": rss0 / 1024}
    t0 = time.perf_counter()
    forms["rencana"][0](0)
    res["first_render_s"] = round(time.perf_counter() - t0, 3)
    for form, (render, fields) in forms.items():
        for i in range(3):  # warm-up
            render(i)
        times = []
        for i in range(50):
            t = time.perf_counter()
            pdf = render(i)
            times.append(time.perf_counter() - t)
        path = out / f"{name}-{form}.pdf"
        path.write_bytes(render(0))
        res[form] = {
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1] * 1000, 1),
            "size_kb": round(len(pdf) / 1024, 1),
            "pages": _pages(path),
            "fields": len(fields),
            "not_contiguous": len(_text_check(path, fields)),
            "lost_fields": _lost_fields(path, fields),
        }
    # burst: 200 documents, alternating the two forms, one process, one thread
    t = time.perf_counter()
    for i in range(200):
        forms["rencana" if i % 2 == 0 else "evaluasi"][0](i)
    res["burst_200_s"] = round(time.perf_counter() - t, 2)
    res["docs_per_s"] = round(200 / res["burst_200_s"], 1)
    res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("candidates", nargs="*", default=CANDIDATES)
    ap.add_argument("--out", default="out")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.child:
        print(json.dumps(run_one(a.candidates[0], out)))
        return
    results = []
    for name in a.candidates:
        proc = subprocess.run(
            [sys.executable, __file__, name, "--out", str(out), "--child"], capture_output=True, text=True
        )
        if proc.returncode != 0:
            print(f"{name}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
            continue
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(res)
        print(json.dumps(res, indent=1), flush=True)
    (out / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
