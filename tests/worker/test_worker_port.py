"""The JobQueue port's in-memory fake and the job body's encoding."""

from __future__ import annotations

import pytest

from kinerja_worker.port import InMemoryJobQueue, JobQueue, decode_payload, encode_body


def test_the_fake_keeps_jobs_per_queue_in_order_and_hands_them_out() -> None:
    queue: JobQueue = InMemoryJobQueue()
    first = queue.enqueue("documents", "render_pdf", {"skp_id": "a"}, key="req-1")
    second = queue.enqueue("documents", "render_xlsx", b"\x01\x02")
    queue.enqueue("sync", "pull", {})
    assert isinstance(queue, InMemoryJobQueue)

    assert [j.id for j in queue.pending("documents")] == [first, second]
    job = queue.take("documents")
    assert job is not None
    assert (job.id, job.queue, job.name, job.payload, job.key, job.attempt) == (
        first,
        "documents",
        "render_pdf",
        {"skp_id": "a"},
        "req-1",
        1,
    )
    taken = queue.take("documents")
    assert taken is not None and taken.payload == b"\x01\x02"
    assert queue.take("documents") is None


def test_a_payload_is_json_or_bytes() -> None:
    assert decode_payload(encode_body("j", b"\xff\x00")) == b"\xff\x00"
    assert decode_payload(encode_body("j", {"n": 1, "s": "x"})) == {"n": 1, "s": "x"}
    with pytest.raises(TypeError):
        InMemoryJobQueue().enqueue("q", "j", {"when": object()})
