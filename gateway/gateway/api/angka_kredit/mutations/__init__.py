"""Mutations of angka kredit, one module per aggregate."""

from __future__ import annotations

import strawberry

from gateway.api.angka_kredit.mutations.pak import PakMutations
from gateway.api.angka_kredit.mutations.pengaturan import PengaturanPakMutations


@strawberry.type
class AngkaKreditMutation(PakMutations, PengaturanPakMutations):
    """Every angka kredit mutation."""
