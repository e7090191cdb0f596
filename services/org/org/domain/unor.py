"""Unor (unit organisasi): the tree of an instansi, its fields and the rules that keep it a tree."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kinerja_kit.errors import Violations
from org.domain import fields
from org.domain.values import JenisUnor

NAMA_MAX = 255
KOTA_MAX = 100
ESELON_MAX = 4


@dataclass(frozen=True)
class Unor:
    """One unit of an instansi's organisation."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    nama: str
    jenis: JenisUnor
    eselon: str
    parent_id: uuid.UUID | None
    induk_id: uuid.UUID | None
    mandiri: bool
    kota: str
    version: int
    jumlah_pegawai: int = 0
    jumlah_sub_unor: int = 0


@dataclass(frozen=True)
class UnorInput:
    """The unor form of the manual (002 §2.3) as typed: ids still strings."""

    nama: str
    jenis: int
    eselon: str
    parent_id: str
    induk_id: str
    mandiri: bool
    kota: str


@dataclass(frozen=True)
class UnorFields:
    """A checked unor form."""

    nama: str
    jenis: JenisUnor
    eselon: str
    parent_id: uuid.UUID | None
    induk_id: uuid.UUID | None
    mandiri: bool
    kota: str


class UnorTree:
    """The parent links of one instansi's unor (deleted ones excluded)."""

    def __init__(self, parents: Mapping[uuid.UUID, uuid.UUID | None]) -> None:
        self.parent: dict[uuid.UUID, uuid.UUID | None] = dict(parents)
        self.children: dict[uuid.UUID, list[uuid.UUID]] = {}
        for child, parent in self.parent.items():
            if parent is not None:
                self.children.setdefault(parent, []).append(child)

    def add(self, unor_id: uuid.UUID, parent_id: uuid.UUID | None) -> None:
        """Adds a unor below `parent_id` (a bulk import adds each one once checked, for the next to name)."""
        self.parent[unor_id] = parent_id
        if parent_id is not None:
            self.children.setdefault(parent_id, []).append(unor_id)

    def __contains__(self, unor_id: object) -> bool:
        return unor_id in self.parent

    def roots(self) -> list[uuid.UUID]:
        return [u for u, p in self.parent.items() if p is None or p not in self.parent]

    def ancestors(self, unor_id: uuid.UUID) -> list[uuid.UUID]:
        """Parent first, up to the root; stops on a (corrupt) cycle."""
        seen = {unor_id}
        chain: list[uuid.UUID] = []
        current = self.parent.get(unor_id)
        while current is not None and current not in seen and current in self.parent:
            chain.append(current)
            seen.add(current)
            current = self.parent.get(current)
        return chain

    def descendants(self, unor_id: uuid.UUID) -> set[uuid.UUID]:
        """Every unor below `unor_id` (not itself)."""
        found: set[uuid.UUID] = set()
        stack = list(self.children.get(unor_id, ()))
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(self.children.get(current, ()))
        return found

    def ordered(self, sort_key: Mapping[uuid.UUID, str] | None = None) -> list[uuid.UUID]:
        """Every unor, parents before children (depth-first, siblings by `sort_key` then id)."""
        key = sort_key or {}

        def sort(ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
            return sorted(ids, key=lambda u: (key.get(u, "").casefold(), str(u)))

        result: list[uuid.UUID] = []
        seen: set[uuid.UUID] = set()
        stack = list(reversed(sort(self.roots())))
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            result.append(current)
            stack.extend(reversed(sort(self.children.get(current, ()))))
        return result


def validate_unor(raw: UnorInput, tree: UnorTree, self_id: uuid.UUID | None = None) -> UnorFields:
    """Checks a unor form against the instansi's tree; raises InvalidArgument with every violation.

    Refuses an empty or overlong nama, an unknown jenis, a malformed eselon, an unor atasan or induk
    that is not in this instansi, a second root (an orphan beside the instansi's top unor), and on
    update an unor atasan that is the unor itself or below it (a cycle).
    """
    v = Violations()
    nama = fields.text(v, "unor.nama", "Nama unor", raw.nama, max_len=NAMA_MAX, required=True)
    try:
        jenis = JenisUnor(raw.jenis)
    except ValueError:
        jenis = JenisUnor.UNSPECIFIED
    if jenis == JenisUnor.UNSPECIFIED:
        v.add("unor.jenis", "REQUIRED", "Jenis unor wajib dipilih.")
    eselon = fields.text(v, "unor.eselon", "Kode eselon", raw.eselon, max_len=ESELON_MAX, code=True)
    if eselon and not re.fullmatch(r"[0-9]{1,4}", eselon):
        v.add(
            "unor.eselon", "ESELON_FORMAT", "Kode eselon hanya berupa angka (contoh: 21 untuk eselon II.a)."
        )
    kota = fields.text(v, "unor.kota", "Kota", raw.kota, max_len=KOTA_MAX)
    below = tree.descendants(self_id) if self_id is not None else set()

    parent_id = fields.reference(v, "unor.parent_id", "Unor atasan", raw.parent_id)
    if parent_id is not None:
        if self_id is not None and (parent_id == self_id or parent_id in below):
            v.add(
                "unor.parent_id",
                "CYCLE",
                "Unor atasan tidak boleh unor itu sendiri atau unor di bawahnya.",
            )
        elif parent_id not in tree:
            v.add("unor.parent_id", "PARENT_NOT_FOUND", "Unor atasan tidak ditemukan di instansi ini.")
    elif raw.parent_id.strip() == "":
        other_roots = [r for r in tree.roots() if r != self_id]
        if other_roots:
            v.add(
                "unor.parent_id",
                "PARENT_REQUIRED",
                "Unor atasan wajib diisi: instansi ini sudah memiliki unor tertinggi.",
            )

    induk_id = fields.reference(v, "unor.induk_id", "Unor induk", raw.induk_id)
    if induk_id is not None:
        if self_id is not None and (induk_id == self_id or induk_id in below):
            v.add(
                "unor.induk_id",
                "INDUK_BELOW",
                "Unor induk tidak boleh unor itu sendiri atau unor di bawahnya (kosongkan bila induknya sendiri).",
            )
        elif induk_id not in tree:
            v.add("unor.induk_id", "INDUK_NOT_FOUND", "Unor induk tidak ditemukan di instansi ini.")
    v.raise_if_any()
    return UnorFields(
        nama=nama,
        jenis=jenis,
        eselon=eselon,
        parent_id=parent_id,
        induk_id=induk_id,
        mandiri=raw.mandiri,
        kota=kota,
    )
