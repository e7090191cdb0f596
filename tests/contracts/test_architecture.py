"""The architecture contracts of pyproject.toml hold, and they do catch a domain that imports SQLAlchemy."""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports


def _contracts(repo_root: Path) -> list[dict[str, object]]:
    config = tomllib.loads((repo_root / "pyproject.toml").read_text())
    return list(config["tool"]["importlinter"]["contracts"])


def test_the_workspace_keeps_every_contract(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo_root)
    assert lint_imports(config_filename="pyproject.toml", no_cache=True) == 0


def _probe_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path, domain_code: str) -> int:
    """Lints a throwaway service `probe` whose domain holds `domain_code`, under the repository's domain rule."""
    domain_rule = next(c for c in _contracts(repo_root) if "skp.domain" in c.get("source_modules", []))  # type: ignore[operator]
    package = tmp_path / "src" / "probe"
    (package / "domain").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "domain" / "__init__.py").write_text(domain_code)
    # the rule's third-party and kit modules (the probe has no layers of its own to forbid)
    services = ("identity.", "org.", "skp.")
    modules = [m for m in domain_rule["forbidden_modules"] if not m.startswith(services)]  # type: ignore[attr-defined]
    forbidden = ", ".join(f'"{m}"' for m in modules)
    (tmp_path / "contracts.toml").write_text(
        textwrap.dedent(
            f"""
            [tool.importlinter]
            root_packages = ["probe", "kinerja_kit"]
            include_external_packages = true

            [[tool.importlinter.contracts]]
            name = "probe domain"
            type = "forbidden"
            source_modules = ["probe.domain"]
            forbidden_modules = [{forbidden}]
            allow_indirect_imports = true
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    monkeypatch.chdir(tmp_path)
    return lint_imports(config_filename="contracts.toml", no_cache=True)


def test_a_domain_importing_sqlalchemy_breaks_the_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _probe_result(tmp_path, monkeypatch, repo_root, "import sqlalchemy\n") == 1
    report = capsys.readouterr().out
    assert "probe domain BROKEN" in report
    assert "probe.domain -> sqlalchemy" in report


def test_a_pure_domain_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path) -> None:
    assert _probe_result(tmp_path, monkeypatch, repo_root, "import dataclasses\n") == 0
