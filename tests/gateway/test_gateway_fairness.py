"""One heavy caller must not stall everyone: each principal has a bound on its requests in flight, every
gRPC call's deadline is what is left of its request's, and `python -m gateway` runs several workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from kinerja.org.v1 import org_pb2
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.grpc_client import call_timeout, current_deadline
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.gateway import (
    FakeIdentity,
    FakeOrg,
    FakeSkp,
    TokenFactory,
    error_codes,
    gateway_settings,
    start_fake_servers,
)
from kinerja_testing.infra.ports import free_port

DELAY = 1.5


class SlowOrg(FakeOrg):
    """Org whose unor tree takes DELAY seconds."""

    def ListUnor(self, request: Any, context: Any) -> org_pb2.ListUnorResponse:
        time.sleep(DELAY)
        return super().ListUnor(request, context)


@pytest.fixture(scope="module")
def slow_app(signer: TokenSigner, jwks_provider: Callable[[], str]) -> Iterator[Callable[..., TestClient]]:
    verifier = TokenVerifier(jwks_provider, signer.issuer, signer.audience)
    servers, addrs = start_fake_servers(SlowOrg(), FakeIdentity(signer, jwks_provider()), verifier, FakeSkp())
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        settings = gateway_settings(addrs.identity, addrs.org, signer, skp_addr=addrs.skp, **overrides)
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    for server in servers:
        server.stop(0)


def _post(client: TestClient, query: str, token: str) -> httpx.Response:
    return client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"})


def test_a_call_gets_what_is_left_of_its_requests_deadline() -> None:
    assert call_timeout(None, 10.0) == 10.0
    token = current_deadline.set(time.monotonic() + 2.0)
    try:
        assert 1.9 < call_timeout(None, 10.0) <= 2.0
        assert call_timeout(0.5, 10.0) == 0.5
    finally:
        current_deadline.reset(token)
    token = current_deadline.set(time.monotonic() - 1.0)
    try:
        assert call_timeout(None, 10.0) == 0.0
    finally:
        current_deadline.reset(token)


def test_a_slow_service_answers_deadline_exceeded_within_the_requests_budget(
    slow_app: Callable[..., TestClient], token_for: TokenFactory
) -> None:
    client = slow_app(request_timeout_seconds=0.5)
    started = time.monotonic()
    response = _post(client, "{ unorTree { id } }", token_for(uuid.uuid4()))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    body = response.json()
    assert error_codes(body) == ["DEADLINE_EXCEEDED"], body
    assert "batas waktu" in body["errors"][0]["message"]
    assert elapsed < DELAY, "the call must end with the request's budget, not the service's pace"


def test_a_principal_has_a_bounded_number_of_requests_in_flight(
    slow_app: Callable[..., TestClient], token_for: TokenFactory
) -> None:
    client = slow_app(max_concurrent_per_principal=2)
    heavy, other = token_for(uuid.uuid4()), token_for(uuid.uuid4())
    with ThreadPoolExecutor(4) as pool:
        slow = [pool.submit(_post, client, "{ unorTree { id } }", heavy) for _ in range(3)]
        time.sleep(0.3)  # the three are in flight (two of them, that is)
        started = time.monotonic()
        others = _post(client, "{ unorTree { id } }", other)
        answers = [future.result() for future in slow]
    assert others.status_code == 200 and "errors" not in others.json()
    assert time.monotonic() - started < 2 * DELAY
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 200, 429], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
    assert refused.headers["retry-after"] == "1"
    # the slots are given back: the same principal is served again
    assert _post(client, "{ __typename }", heavy).json() == {"data": {"__typename": "Query"}}


def test_heavy_requests_take_turns_and_light_ones_never_wait(
    slow_app: Callable[..., TestClient], token_for: TokenFactory
) -> None:
    # `unorTree { id nama }` (cost 3) counts as heavy here, one at a time per worker; `unorTree { id }`
    # (cost 2) is light
    client = slow_app(heavy_query_cost=3, heavy_queries_per_worker=1)
    heavy = "{ unorTree { id nama } }"
    with ThreadPoolExecutor(3) as pool:
        started = time.monotonic()
        first = pool.submit(_post, client, heavy, token_for(uuid.uuid4()))
        second = pool.submit(_post, client, heavy, token_for(uuid.uuid4()))
        time.sleep(0.3)
        light = _post(client, "{ unorTree { id } }", token_for(uuid.uuid4()))
        light_done = time.monotonic() - started
        answers = [first.result(), second.result()]
        both_done = time.monotonic() - started
    assert all("errors" not in a.json() for a in [*answers, light])
    assert light_done < 2 * DELAY, "a light request does not wait for the heavy ones' turns"
    assert both_done >= 2 * DELAY, "two heavy requests ran one after the other"


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="counts processes through /proc")
def test_python_m_gateway_runs_several_workers(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "GATEWAY_PORT": str(port), "GATEWAY_WORKERS": "2", "LOG_LEVEL": "WARNING"}
    env["IDENTITY_ADDR"] = env["ORG_ADDR"] = env["SKP_ADDR"] = "127.0.0.1:9"  # not called by __typename
    log = (tmp_path / "gateway.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120  # a busy machine starts two workers slowly
        while True:
            try:
                answer = httpx.post(
                    f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}, timeout=2
                )
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "gateway.log"
                ).read_text()
                time.sleep(0.2)
        assert answer.json() == {"data": {"__typename": "Query"}}
        # the worker processes uvicorn spawned (not its resource tracker)
        workers = [
            p for p in _children(process.pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()
        ]
        assert len(workers) == 2, _children(process.pid)
    finally:
        process.terminate()
        process.wait(10)


def test_grpc_deadline_is_not_internal() -> None:
    # a DEADLINE_EXCEEDED status without domain details is still a typed error
    from gateway.clients import deadline_exceeded

    error = deadline_exceeded()
    assert error.reason == "DEADLINE_EXCEEDED" and error.grpc_code == grpc.StatusCode.DEADLINE_EXCEEDED
