"""Org as skp reads it: the kit's gRPC directory, plus the atasan langsung of many pegawai read without
their bawahan and rekan kerja lists (BatchGetRelations `omit_lists`), for ImportSkp's bulk reads: 1,000
staff of a unit of 2,500 would otherwise bring 2.5 million rekan kerja ids."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from kinerja.org.v1 import org_pb2
from kinerja_kit.ids import parse_uuid
from kinerja_kit.org_directory import GrpcOrgDirectory


class SkpOrgDirectory(GrpcOrgDirectory):
    def atasan_of(self, ids: Iterable[uuid.UUID], as_of: date) -> dict[uuid.UUID, uuid.UUID | None]:
        """pegawai id -> their atasan langsung on `as_of` (None: none, or org does not know them)."""
        wanted = [str(i) for i in dict.fromkeys(ids) if i is not None]
        if not wanted:
            return {}
        request = org_pb2.BatchGetRelationsRequest(
            pegawai_ids=wanted, as_of=as_of.isoformat(), omit_lists=True
        )
        response = self._call("BatchGetRelations", request)
        found: dict[uuid.UUID, uuid.UUID | None] = {}
        for pb in response.relations:  # type: ignore[attr-defined]
            found[uuid.UUID(pb.pegawai_id)] = (
                parse_uuid(pb.atasan_langsung_id) if pb.atasan_langsung_id else None
            )
        return found
