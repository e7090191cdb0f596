"""The projections of skp's periode and SKPs and org's unor, and what follows from an SKP that changed."""

from __future__ import annotations

from datetime import datetime

from assessment.domain.model import Periode, SkpRencana, Unor
from assessment.service_layer.common import refresh_tugas
from assessment.service_layer.ports import Store


def apply_periode(store: Store, periode: Periode) -> None:
    """A periode as skp last said it is (older or replayed events change nothing); the open tasks of its
    penilaian follow a new batas pengisian."""
    if not store.apply_periode(periode):
        return
    for penilaian_id in store.open_penilaian_of_periode(periode.id):
        penilaian = store.penilaian(penilaian_id)
        if penilaian is not None:
            refresh_tugas(store, penilaian)


def apply_unor(store: Store, unor: Unor) -> None:
    """A unor as org last said it is; the SKPs of that unor follow its unit kerja."""
    store.apply_unor(unor)


def apply_skp(store: Store, skp: SkpRencana, occurred_at: datetime | None) -> None:
    """An SKP as skp last said it is; its penilaian show it at once, and their tasks follow (a new
    penilai perilaku gets the feedback task, a new pejabat penilai the rating)."""
    if not store.apply_skp(skp, occurred_at):
        return
    for penilaian in store.penilaian_of_skp(skp.id):
        # Header columns copied from the SKP (name, penilai, unit kerja) follow it; the version stays:
        # the penilaian itself did not change. A penilaian whose columns and tasks stay the same is not
        # written.
        store.save_penilaian(penilaian)
        refresh_tugas(store, penilaian)
