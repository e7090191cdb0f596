"""The architecture contracts of pyproject.toml hold, and they do catch a domain that imports SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path


def _contracts(repo_root: Path) -> list[dict[str, object]]:
    config = tomllib.loads((repo_root / "pyproject.toml").read_text())
    return list(config["tool"]["importlinter"]["contracts"])


def _lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """import-linter in its own process (it configures logging globally); it imports from `cwd` too."""
    command = [str(Path(sys.executable).parent / "lint-imports"), "--config", str(config), "--no-cache"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_workspace_keeps_every_contract(repo_root: Path) -> None:
    result = _lint_imports(repo_root / "pyproject.toml", repo_root)
    assert result.returncode == 0, result.stdout


def _probe_result(tmp_path: Path, repo_root: Path, domain_code: str) -> subprocess.CompletedProcess[str]:
    """Lints a throwaway service `probe` whose domain holds `domain_code`, under the repository's domain rule."""
    domain_rule = next(c for c in _contracts(repo_root) if "skp.domain" in c.get("source_modules", []))  # type: ignore[operator]
    package = tmp_path / "src" / "probe"
    (package / "domain").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "domain" / "__init__.py").write_text(domain_code)
    # the rule's third-party and kit modules (the probe has no layers of its own to forbid)
    services = ("identity.", "org.", "skp.", "assessment.", "angka_kredit.")
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
    return _lint_imports(tmp_path / "contracts.toml", tmp_path / "src")


def test_a_domain_importing_sqlalchemy_breaks_the_contract(tmp_path: Path, repo_root: Path) -> None:
    result = _probe_result(tmp_path, repo_root, "import sqlalchemy\n")
    assert result.returncode == 1
    assert "probe domain BROKEN" in result.stdout
    assert "probe.domain -> sqlalchemy" in result.stdout


def test_a_pure_domain_keeps_it(tmp_path: Path, repo_root: Path) -> None:
    result = _probe_result(tmp_path, repo_root, "import dataclasses\n")
    assert result.returncode == 0, result.stdout
