"""Mutations of SKP planning, one module per aggregate."""

from __future__ import annotations

import strawberry

from gateway.api.skp.mutations.kinerja_harian import KinerjaHarianMutations
from gateway.api.skp.mutations.mph import MphMutations
from gateway.api.skp.mutations.periode import PeriodeMutations
from gateway.api.skp.mutations.perjanjian import PerjanjianMutations
from gateway.api.skp.mutations.rencana_aksi import RencanaAksiMutations
from gateway.api.skp.mutations.skp import SkpMutations
from gateway.api.skp.mutations.workflow import WorkflowMutations


@strawberry.type
class SkpMutation(
    PeriodeMutations,
    PerjanjianMutations,
    SkpMutations,
    WorkflowMutations,
    RencanaAksiMutations,
    MphMutations,
    KinerjaHarianMutations,
):
    """Every SKP mutation."""
