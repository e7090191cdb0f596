"""An EventConsumer in a process of its own, for the fault tests: one row per applied event, and a way to
be killed inside a handler's transaction.

Run as `python consumer_process.py --db-url ... --bootstrap ... --group ... --topic ... --result-file ...`.
Every applied event inserts (event_id, aggregate_id, aggregate_version, pid) into `fault_applied`. With
`--hang-after N`, once N events are applied the handler blocks for good inside its transaction, at a
record whose poll already applied events (in earlier transactions of the poll, see `--max-batch-records`)
whose offsets are not committed yet, after writing `--hang-file`: the test then kills the process there. SIGTERM stops the consumer cleanly and writes its
counters to `--result-file` as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from google.protobuf import wrappers_pb2
from sqlalchemy import text

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import Transaction, UnitOfWork, make_engine

INSERT = text(
    "insert into fault_applied (instansi_id, event_id, aggregate_id, aggregate_version, pid) "
    "values (:t, :e, :a, :v, :p)"
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--result-file", type=Path, required=True)
    parser.add_argument("--hang-after", type=int, default=0)
    parser.add_argument("--hang-file", type=Path)
    parser.add_argument("--max-poll-records", type=int, default=100)
    parser.add_argument("--max-batch-records", type=int, default=500)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(process)d %(name)s: %(message)s")

    pid = os.getpid()
    engine = make_engine(args.db_url, pool_size=2, application_name=f"fault-consumer-{pid}")
    holder: dict[str, EventConsumer] = {}
    commits_seen = -1
    processed_at_commit = 0

    def apply(
        tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: wrappers_pb2.StringValue
    ) -> None:
        nonlocal commits_seen, processed_at_commit
        consumer = holder["consumer"]
        if consumer.committed_count != commits_seen:
            # The first call after an offset commit: everything applied so far has its offset committed.
            commits_seen, processed_at_commit = consumer.committed_count, consumer.processed_count
        # Events applied (their transactions committed) since the last offset commit: a kill now leaves
        # applied events that the group will deliver again.
        mid_batch = consumer.processed_count > processed_at_commit
        if args.hang_after and consumer.processed_count >= args.hang_after and mid_batch:
            assert args.hang_file is not None
            partial = args.hang_file.with_suffix(".partial")  # renamed: the test never reads half a file
            partial.write_text(json.dumps({"applied": consumer.processed_count}))
            partial.replace(args.hang_file)
            threading.Event().wait()  # inside the open transaction, until SIGKILL
        tx.session.execute(
            INSERT,
            {
                "t": tx.tenant,
                "e": uuid.UUID(envelope.event_id),
                "a": envelope.aggregate_id,
                "v": envelope.aggregate_version,
                "p": pid,
            },
        )

    consumer = EventConsumer(
        name=args.group,
        topics=[args.topic],
        uow=UnitOfWork.from_engine(engine),
        handlers={wrappers_pb2.StringValue: apply},
        bootstrap_servers=args.bootstrap,
        session_timeout_ms=3000,  # tansu makes a join wait about half of it
        heartbeat_interval_ms=1000,
        max_poll_records=args.max_poll_records,
        max_batch_records=args.max_batch_records,
    )
    holder["consumer"] = consumer
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    consumer.start()
    while not stop.wait(0.2):  # the main thread runs the SIGTERM handler between waits
        pass
    consumer.stop()
    engine.dispose()
    result: dict[str, Any] = {
        "pid": pid,
        "processed": consumer.processed_count,
        "duplicates": consumer.duplicate_count,
        "skipped": consumer.skipped_count,
        "dead_letters": consumer.dead_letter_count,
    }
    args.result_file.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
