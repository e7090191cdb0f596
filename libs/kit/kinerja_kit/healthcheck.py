"""`python -m kinerja_kit.healthcheck [TARGET]`: exit 0 when a deployable answers (an image's HEALTHCHECK).

TARGET (default: the HEALTHCHECK_TARGET environment variable the image sets) is `host:port` of a gRPC
server (the standard grpc.health.v1 check, overall status) or an `http://` URL that must answer 200.
"""

from __future__ import annotations

import os
import sys
import urllib.request

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

TIMEOUT_SECONDS = 3.0


def healthy(target: str) -> bool:
    """Whether the deployable at `target` reports itself serving."""
    if target.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(target, timeout=TIMEOUT_SECONDS) as response:
                return bool(response.status == 200)
        except OSError:
            return False
    with grpc.insecure_channel(target) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=""), timeout=TIMEOUT_SECONDS
            )
        except grpc.RpcError:
            return False
    return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("HEALTHCHECK_TARGET", "")
    if not target:
        raise SystemExit(__doc__)
    sys.exit(0 if healthy(target) else 1)
