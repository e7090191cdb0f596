"""GetPrakiraan: the forecast of kenaikan pangkat and jenjang of a pegawai (the pegawai, their atasan
today, admin), from their PAKs and the domain's `prakiraan`."""

from __future__ import annotations

from angka_kredit.service_layer.common import Deps
from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb


def prakiraan_pb(deps: Deps, pegawai_id: str) -> pb.Prakiraan:
    from angka_kredit.service_layer.forecast_impl import prakiraan_pb as impl

    return impl(deps, pegawai_id)
