"""What every org handler shares: topics, the instansi write lock and row locking (the rest is the kit's)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol, TypeVar

from kinerja_kit.errors import Conflict, NotFound
from kinerja_kit.handlers import (  # noqa: F401  (re-exported for the org handlers)
    caller,
    parse_id,
    parse_ids,
    raise_integrity,
    require_admin,
    today,
)
from org.adapters.repository import OrgRepository

TOPIC_INSTANSI = "kinerja.org.instansi.v1"
TOPIC_UNOR = "kinerja.org.unor.v1"
TOPIC_PEGAWAI = "kinerja.org.pegawai.v1"
TOPIC_PLT = "kinerja.org.plt.v1"
TOPICS = (TOPIC_INSTANSI, TOPIC_UNOR, TOPIC_PEGAWAI, TOPIC_PLT)


class HasVersion(Protocol):
    version: int


def open_instansi_for_write(repo: OrgRepository) -> None:
    """The tenant must be an existing instansi; then its writes are serialised for this transaction."""
    if repo.instansi(repo.tenant) is None:
        raise NotFound("INSTANSI_NOT_FOUND", "Instansi tidak ditemukan.")
    repo.lock_instansi()


RowT = TypeVar("RowT", bound=HasVersion)


def row_for_write(
    repo: OrgRepository,
    load: Callable[..., RowT | None],
    row_id: uuid.UUID,
    not_found: tuple[str, str],
    expected_version: int = 0,
) -> RowT:
    """Opens the instansi for writing and locks the row; NOT_FOUND when missing, ABORTED when stale."""
    open_instansi_for_write(repo)
    row = load(row_id, for_update=True)
    if row is None:
        raise NotFound(*not_found)
    if expected_version and expected_version != row.version:
        raise Conflict()
    return row
