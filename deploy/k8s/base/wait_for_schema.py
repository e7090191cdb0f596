"""Init-container gate: waits until a service's database holds every migration its image ships.

Run as `python /etc/kinerja-gate/wait_for_schema.py <service>` in the service's own image, with DATABASE_URL (the
runtime role; PGPASSWORD carries its password). The `<service>-migrate` Job applies the migrations; this gate
only reads `alembic_version`, so a new release's pods stay un-ready (and the old ones keep serving) until the
Job has migrated the schema. A database *ahead* of the image (a newer release migrated it; an old replica
restarts during a rollout) passes: migrations are written to be backward compatible (expand, then contract).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

POLL_SECONDS = 3.0


def migrations_dir(service: str) -> Path:
    """The Alembic script directory inside the service's package (found without importing the package)."""
    spec = importlib.util.find_spec(service)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"wait_for_schema: package {service!r} is not installed in this image")
    return Path(next(iter(spec.submodule_search_locations))) / "migrations"


def migrated(known: set[str], heads: set[str], applied: set[str] | None, current: Iterable[str]) -> bool:
    """Whether the database (at revisions `current`) has the image's `heads`.

    `known` are the image's revisions; `applied` the image's revisions at or below `current` (None when
    `current` holds a revision the image does not know, i.e. the database is ahead of the image).
    """
    current_set = set(current)
    if not current_set:
        return False
    if not current_set <= known:
        return True
    return applied is not None and heads <= applied


def main() -> None:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    service = sys.argv[1]
    timeout = float(os.environ.get("MIGRATION_WAIT_SECONDS", "600"))
    script = ScriptDirectory(str(migrations_dir(service)))
    known = {revision.revision for revision in script.walk_revisions()}
    heads = set(script.get_heads())
    engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with engine.connect() as connection:
                current = tuple(MigrationContext.configure(connection).get_current_heads())
            applied = (
                {revision.revision for revision in script.iterate_revisions(current, "base") if revision}
                if current and set(current) <= known
                else None
            )
            if migrated(known, heads, applied, current):
                print(f"wait_for_schema: {service} schema at {sorted(current)}, image needs {sorted(heads)}")
                return
            print(f"wait_for_schema: {service} schema at {sorted(current)}, waiting for {sorted(heads)}")
        except Exception as exc:  # the database may not be up yet: keep waiting
            print(f"wait_for_schema: {service} database not reachable yet: {exc}")
        if time.monotonic() > deadline:
            raise SystemExit(f"wait_for_schema: {service} not migrated after {timeout:.0f}s")
        sys.stdout.flush()
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    main()
