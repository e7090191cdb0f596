"""Mutations of assessment, one module per aggregate."""

from __future__ import annotations

import strawberry

from gateway.api.assessment.mutations.capaian import CapaianMutations
from gateway.api.assessment.mutations.keberatan import KeberatanMutations
from gateway.api.assessment.mutations.penilaian import PenilaianMutations


@strawberry.type
class AssessmentMutation(PenilaianMutations, CapaianMutations, KeberatanMutations):
    """Every assessment mutation."""
