"""Per-request DataLoaders over the services' batch RPCs: a page of 100 costs one call per type.

The services take at most 1,000 ids in one Batch* call (reads.BATCH_LIMIT): each loader splits a larger
load into batches of that size (`max_batch_size`), sent together, so no read fails for its size."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from gateway import reads
from gateway.clients import ServiceClients
from gateway.tenancy import Caller
from kinerja.angka_kredit.v1 import angka_kredit_pb2
from kinerja.assessment.v1 import assessment_pb2
from kinerja.identity.v1 import identity_pb2
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2

K = TypeVar("K")
V = TypeVar("V")


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose answers survive the cancellation of one of their waiters.

    Several fields await the same key's future (the same atasan, the same unor). When a field fails,
    graphql-core cancels its sibling fields; a sibling cancelled while awaiting the shared future would
    cancel the future itself, and every other field waiting for that key would get a CancelledError
    that ends the whole request (an HTTP 500) instead of its value. Each waiter awaits a shield.
    """

    def load(self, key: K) -> Awaitable[V]:
        return asyncio.shield(super().load(key))


RelationsKey = tuple[str, str]  # (pegawai id, as-of date or "")
PolaKey = tuple[str, str, int]  # (unit kerja id, periode id, tahun)
BATCH_LIMIT = reads.BATCH_LIMIT


class Loaders:
    """The loaders of one caller (one acting instansi) within one request."""

    def __init__(self, clients: ServiceClients, caller: Caller) -> None:
        self._clients = clients
        self._caller = caller
        self.unor: DataLoader[str, org_pb2.Unor | None] = SharedLoader(
            load_fn=self._load_unor, max_batch_size=BATCH_LIMIT
        )
        self.pegawai: DataLoader[str, org_pb2.Pegawai | None] = SharedLoader(
            load_fn=self._load_pegawai, max_batch_size=BATCH_LIMIT
        )
        # A batch of keys holds at most BATCH_LIMIT pegawai of any one date.
        self.relations: DataLoader[RelationsKey, org_pb2.Relations | None] = SharedLoader(
            load_fn=self._load_relations, max_batch_size=BATCH_LIMIT
        )
        self.account_by_username: DataLoader[str, identity_pb2.Account | None] = SharedLoader(
            load_fn=self._load_accounts, max_batch_size=BATCH_LIMIT
        )
        self.skp: DataLoader[str, skp_pb2.Skp | None] = SharedLoader(
            load_fn=self._load_skp, max_batch_size=BATCH_LIMIT
        )
        self.penilaian: DataLoader[str, assessment_pb2.Penilaian | None] = SharedLoader(
            load_fn=self._load_penilaian, max_batch_size=BATCH_LIMIT
        )
        self.pak: DataLoader[str, angka_kredit_pb2.Pak | None] = SharedLoader(
            load_fn=self._load_pak, max_batch_size=BATCH_LIMIT
        )
        self.pola_distribusi: DataLoader[PolaKey, assessment_pb2.PolaDistribusi | None] = SharedLoader(
            load_fn=self._load_pola_distribusi
        )

    @property
    def caller(self) -> Caller:
        """Who these loaders call for (the acting instansi's caller): for the paged reads beside them."""
        return self._caller

    @property
    def clients(self) -> ServiceClients:
        return self._clients

    async def _load_unor(self, ids: Sequence[str]) -> list[org_pb2.Unor | None]:
        found = await reads.batch_get_unor(self._clients, self._caller, ids)
        return [found.get(i) for i in ids]

    async def _load_pegawai(self, ids: Sequence[str]) -> list[org_pb2.Pegawai | None]:
        found = await reads.batch_get_pegawai(self._clients, self._caller, ids)
        return [found.get(i) for i in ids]

    async def _load_relations(self, keys: Sequence[RelationsKey]) -> list[org_pb2.Relations | None]:
        by_date: dict[str, list[str]] = defaultdict(list)
        for pegawai_id, as_of in keys:
            by_date[as_of].append(pegawai_id)
        dates = list(by_date)
        results = await asyncio.gather(
            *(reads.batch_get_relations(self._clients, self._caller, by_date[d], d) for d in dates)
        )
        found = dict(zip(dates, results, strict=True))
        return [found[as_of].get(pegawai_id) for pegawai_id, as_of in keys]

    async def _load_accounts(self, usernames: Sequence[str]) -> list[identity_pb2.Account | None]:
        # An account is extra information: absent when there is none or the caller may not see it.
        found = await reads.batch_get_accounts(self._clients, self._caller, usernames)
        return [found.get(u) for u in usernames]

    async def _load_skp(self, ids: Sequence[str]) -> list[skp_pb2.Skp | None]:
        found = await reads.batch_get_skp(self._clients, self._caller, ids)
        return [found.get(i) for i in ids]

    async def _load_penilaian(self, ids: Sequence[str]) -> list[assessment_pb2.Penilaian | None]:
        found = await reads.batch_get_penilaian(self._clients, self._caller, ids)
        return [found.get(i) for i in ids]

    async def _load_pak(self, ids: Sequence[str]) -> list[angka_kredit_pb2.Pak | None]:
        found = await reads.batch_get_pak(self._clients, self._caller, ids)
        return [found.get(i) for i in ids]

    async def _load_pola_distribusi(
        self, keys: Sequence[PolaKey]
    ) -> list[assessment_pb2.PolaDistribusi | None]:
        # No batch RPC: one GetPolaDistribusi per distinct unit and periode, made together. A page of a
        # unit's penilaian asks once; one the caller may not read (not its head, not admin) is null.
        return list(
            await asyncio.gather(
                *(reads.pola_distribusi_or_none(self._clients, self._caller, *k) for k in keys)
            )
        )
