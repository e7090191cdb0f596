"""Fixtures of the skp tests: the platform's skp service (with the real org and identity), an org world to
build instansi in, and a superuser view of the skp database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from kinerja.org.v1 import org_pb2_grpc
from kinerja.skp.v1 import skp_pb2_grpc
from kinerja_kit.db import ServiceDatabase
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import Platform
from kinerja_testing.skp import SkpWorld


@pytest.fixture(scope="session")
def skp_stub(platform: Platform) -> Iterator[skp_pb2_grpc.SkpServiceStub]:
    channel = grpc.insecure_channel(platform.skp_addr)
    yield skp_pb2_grpc.SkpServiceStub(channel)
    channel.close()


@pytest.fixture(scope="session")
def skp_inspect_engine(
    pg_admin_url: str, service_database: Callable[[str], ServiceDatabase]
) -> Iterator[Engine]:
    """A superuser on the skp database: sees every row, to check what a call stored."""
    engine = create_engine(make_url(pg_admin_url).set(database=service_database("skp").name))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def org_world(platform: Platform, token_for: Callable[..., str], pg_admin_url: str) -> Iterator[OrgWorld]:
    channel = grpc.insecure_channel(platform.org_addr)
    engine = create_engine(make_url(pg_admin_url).set(database="kinerja_org"))
    yield OrgWorld(org_pb2_grpc.OrgServiceStub(channel), token_for, engine)
    engine.dispose()
    channel.close()


@pytest.fixture(scope="session")
def world(org_world: OrgWorld, skp_stub: skp_pb2_grpc.SkpServiceStub, skp_inspect_engine: Engine) -> SkpWorld:
    return SkpWorld(org_world, skp_stub, skp_inspect_engine)
