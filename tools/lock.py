"""Writes (or, with --check, verifies) the workspace lock and the lock of each deployable's image.

`requirements.lock` pins every third-party distribution of the workspace and its dev tools, with hashes,
compiled from the packages' `pyproject.toml` files; it records no download address and no path. Each
deployable (a workspace member whose package has a `__main__`) gets `<member>/requirements.lock`: its runtime
dependencies only, constrained to the workspace lock so an image runs exactly the versions the tests
ran. `tools/bootstrap.txt` is uv's own entry of the lock, installed by pip before uv can install the rest.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = "requirements.lock"
BOOTSTRAP = "tools/bootstrap.txt"
# One target interpreter and every platform an image or a developer may run on.
COMMON = ["--generate-hashes", "--universal", "--python-version", "3.11", "--quiet"]


def workspace_members() -> list[Path]:
    """The workspace's member folders, as `[tool.uv.workspace] members` names them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    members: list[Path] = []
    for pattern in config["tool"]["uv"]["workspace"]["members"]:
        members.extend(sorted(p for p in ROOT.glob(pattern) if (p / "pyproject.toml").exists()))
    return members


def local_names() -> list[str]:
    """Distribution names of the workspace's own packages (installed from their folders, never locked)."""
    names = [
        tomllib.loads((m / "pyproject.toml").read_text())["project"]["name"] for m in workspace_members()
    ]
    return [tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"], *names]


def deployables() -> list[Path]:
    """Members whose package runs as a process (`python -m <module>`): each gets an image lock."""
    found = []
    for member in workspace_members():
        module = tomllib.loads((member / "pyproject.toml").read_text())["tool"]["uv"]["build-backend"][
            "module-name"
        ]
        if (member / module / "__main__.py").exists():
            found.append(member)
    return found


def _compile(uv: str, workdir: Path, inputs: list[str], output: str, extra: list[str]) -> None:
    skip = [arg for name in local_names() for arg in ("--no-emit-package", name)]
    command = [uv, "pip", "compile", *inputs, *extra, *COMMON, *skip, "-o", output]
    subprocess.run(command, cwd=workdir, check=True)


def _bootstrap_text(lock_text: str) -> str:
    """uv's requirement block (name, version and hashes) cut out of the workspace lock."""
    match = re.search(r"^uv==\S+ \\\n(?:\s+--hash=\S+(?: \\)?\n)+", lock_text, flags=re.M)
    if not match:
        raise SystemExit(f"{LOCK} has no uv entry: add uv to the dev group of pyproject.toml")
    return "# uv itself, hashed (written by tools/lock.py from requirements.lock)\n" + match.group(0)


def lock_names() -> list[str]:
    return [LOCK, *(f"{m.relative_to(ROOT)}/{LOCK}" for m in deployables())]


def write_all(uv: str, workdir: Path, upgrade: bool = False) -> dict[str, str]:
    """Compiles every lock in `workdir` (the repository, or a scratch copy for --check); returns them.

    uv keeps the versions an existing lock pins while they still satisfy the packages, so a lock only
    moves when a pyproject.toml asks for it (or `tools/lock.py --upgrade`).
    """
    _compile(uv, workdir, ["pyproject.toml"], LOCK, ["--group", "dev", *(["--upgrade"] if upgrade else [])])
    for member in deployables():
        relative = member.relative_to(ROOT)
        _compile(uv, workdir, [f"{relative}/pyproject.toml"], f"{relative}/{LOCK}", ["--constraint", LOCK])
    outputs = {name: (workdir / name).read_text() for name in lock_names()}
    outputs[BOOTSTRAP] = _bootstrap_text(outputs[LOCK])
    return outputs


def _scratch_copy(scratch: Path) -> None:
    """The files a compile reads: every pyproject.toml of the workspace and the committed locks."""
    for member in [ROOT, *workspace_members()]:
        relative = member.relative_to(ROOT)
        (scratch / relative).mkdir(parents=True, exist_ok=True)
        shutil.copy(member / "pyproject.toml", scratch / relative / "pyproject.toml")
    for name in lock_names():
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, scratch / name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a committed lock is stale")
    parser.add_argument("--upgrade", action="store_true", help="move every pin to its newest allowed release")
    parser.add_argument("--uv", default=str(Path(sys.executable).parent / "uv"))
    args = parser.parse_args()
    if not args.check:
        outputs = write_all(args.uv, ROOT, upgrade=args.upgrade)
        (ROOT / BOOTSTRAP).write_text(outputs[BOOTSTRAP])
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        _scratch_copy(Path(scratch))
        fresh = write_all(args.uv, Path(scratch))
    stale = []
    for name, text in fresh.items():
        committed = ROOT / name
        old = committed.read_text() if committed.exists() else ""
        if old != text:
            stale.append(name)
            sys.stdout.writelines(
                difflib.unified_diff(old.splitlines(True), text.splitlines(True), name, "fresh", n=1)
            )
    for name in fresh:
        # an address, or an absolute path of the machine that compiled it
        if re.search(r"https?://|file:|(?:^|[\s(=])/[\w.-]+/", (ROOT / name).read_text(), flags=re.M):
            stale.append(f"{name} names an address or a path")
    if stale:
        print(f"stale or invalid locks: {', '.join(stale)}; run `make lock`", file=sys.stderr)
        return 1
    print("locks are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
