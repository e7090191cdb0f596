"""Mutations of the org domain, one module per aggregate."""

from __future__ import annotations

import strawberry

from gateway.api.org.mutations.instansi import InstansiMutations
from gateway.api.org.mutations.pegawai import PegawaiMutations
from gateway.api.org.mutations.plt import PltMutations
from gateway.api.org.mutations.relations import RelationsMutations
from gateway.api.org.mutations.unor import UnorMutations


@strawberry.type
class OrgMutation(InstansiMutations, UnorMutations, PegawaiMutations, PltMutations, RelationsMutations):
    """Every org mutation."""
