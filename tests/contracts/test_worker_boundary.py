"""nameko and eventlet stay in the worker tier's adapter modules (architecture.md, "The worker tier")."""

from __future__ import annotations

import ast
from pathlib import Path

# The modules that may import nameko or eventlet; everything else of the workspace enqueues through
# kinerja_worker.port (import-linter checks the services, the gateway and the kit; this checks the library).
ADAPTER = {"amqp.py", "entrypoints.py", "runner.py", "__main__.py", "system.py"}
RUNTIME = {"nameko", "eventlet"}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_the_worker_adapter_imports_nameko_or_eventlet(repo_root: Path) -> None:
    package = repo_root / "libs" / "worker" / "kinerja_worker"
    importing = {p.name for p in package.rglob("*.py") if _imported_roots(p) & RUNTIME}
    assert importing <= ADAPTER, (
        f"nameko/eventlet imported outside the adapter: {sorted(importing - ADAPTER)}"
    )
    assert "port.py" not in importing


def test_the_scan_sees_an_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from nameko.timer import timer\nimport eventlet.event\n")
    assert _imported_roots(probe) >= RUNTIME
