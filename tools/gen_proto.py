"""Generates the Python code of every contract in proto/ into libs/proto (the one place it lives)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "proto"


def generate(out: Path) -> None:
    """Regenerates all modules under `out`, replacing what was there."""
    target = out / "kinerja"
    if target.exists():
        shutil.rmtree(target)
    out.mkdir(parents=True, exist_ok=True)
    protos = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.proto"))
    include = Path(protoc.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{SRC}",
        f"-I{include}",
        f"--python_out={out}",
        f"--grpc_python_out={out}",
        f"--mypy_out={out}",
        f"--mypy_grpc_out={out}",
        *protos,
    ]
    # protoc finds the mypy plugins next to the interpreter.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for directory in [target, *[p for p in target.rglob("*") if p.is_dir()]]:
        (directory / "__init__.py").touch()
    (target / "py.typed").touch()  # the stubs are part of the package (PEP 561)


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "libs" / "proto")
