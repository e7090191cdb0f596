"""The generated code in libs/proto must be exactly what `make proto` produces from proto/."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _load_generator(repo_root: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_proto", repo_root / "tools" / "gen_proto.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted((root / "kinerja").rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_generated_code_matches_protos(repo_root: Path, tmp_path: Path) -> None:
    _load_generator(repo_root).generate(tmp_path)
    committed = _files(repo_root / "libs" / "proto")
    fresh = _files(tmp_path)
    assert sorted(committed) == sorted(fresh), "run `make proto`: generated files differ from proto/"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"run `make proto`: these generated files are stale: {stale}"


def test_every_event_topic_follows_the_naming_rule(repo_root: Path) -> None:
    for proto in (repo_root / "proto").rglob("*.proto"):
        for line in proto.read_text().splitlines():
            if "Topics:" in line or "topic kinerja." in line:
                for word in line.replace(",", " ").split():
                    if word.startswith("kinerja.") and word.count(".") >= 3:
                        parts = word.split(".")
                        assert parts[0] == "kinerja" and parts[-1] == "v1", word
