"""What an integrator reading the SKP topic sees: one SKP's events, in order, keyed by the SKP, tagged
with the instansi, each carrying the whole SKP after the change (published by the relay to the broker)."""

from __future__ import annotations

import pytest

from kinerja.common.v1 import envelope_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.platform import Platform, read_records
from kinerja_testing.skp import YEAR, SkpWorld

pytestmark = pytest.mark.integration

TOPIC = "kinerja.skp.skp.v1"


def test_an_skp_s_events_reach_the_topic_in_order_with_the_whole_skp(
    world: SkpWorld, platform: Platform, kafka_bootstrap: str
) -> None:
    t = world.tenant(1)
    skp = world.skp(t, "prakom_1", mulai=f"{YEAR}-01-01", selesai=f"{YEAR}-12-31")
    skp = world.rhk(
        t, "prakom_1", skp.id, "Terkelolanya aplikasi kepegawaian", jenis=skp_pb2.JENIS_RHK_TAMBAHAN
    )
    skp = world.indikator(
        t, "prakom_1", skp.id, skp.rhk[0].id, "Ketersediaan aplikasi", aspek=skp_pb2.ASPEK_KUANTITAS
    )

    records = read_records(kafka_bootstrap, TOPIC, 3, timeout=20.0, key=skp.id)
    envelopes = [envelope_pb2.EventEnvelope.FromString(r.value) for r in records]
    assert [e.event_type for e in envelopes] == [
        "kinerja.skp.v1.SkpCreated",
        "kinerja.skp.v1.RhkChanged",
        "kinerja.skp.v1.IndikatorChanged",
    ]
    assert [e.aggregate_version for e in envelopes] == [1, 2, 3]
    assert len({r.partition for r in records}) == 1  # one key, one partition: in order
    headers = dict(records[-1].headers)
    assert headers["instansi_id"].decode() == str(t.instansi_id)
    assert headers["event_type"].decode() == "kinerja.skp.v1.IndikatorChanged"
    last = unpack_payload(envelopes[-1], skp_pb2.IndikatorChanged)
    assert last.skp == skp  # type: ignore[attr-defined]
    assert envelopes[-1].actor.subject != "system" and list(envelopes[-1].actor.roles) == ["pegawai"]
