"""Fixtures of the angka kredit tests: the service beside the real platform (org, PostgreSQL, broker), an
org world to build instansi in, and a superuser view of the angka kredit database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from kinerja.angka_kredit.v1 import angka_kredit_pb2_grpc
from kinerja.org.v1 import org_pb2_grpc
from kinerja_kit.runtime import ServiceRuntime
from kinerja_testing.angka_kredit import AkWorld, ak_world
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import Platform, angka_kredit_service  # noqa: F401  (the fixture)

Stub = angka_kredit_pb2_grpc.AngkaKreditServiceStub


@pytest.fixture(scope="session")
def ak_stub(angka_kredit_service: ServiceRuntime) -> Iterator[Stub]:  # noqa: F811
    channel = grpc.insecure_channel(f"127.0.0.1:{angka_kredit_service.port}")
    yield angka_kredit_pb2_grpc.AngkaKreditServiceStub(channel)
    channel.close()


@pytest.fixture(scope="session")
def ak_inspect_engine(pg_admin_url: str, angka_kredit_service: ServiceRuntime) -> Iterator[Engine]:  # noqa: F811
    """A superuser on the angka kredit database: sees every row, to check what was stored."""
    engine = create_engine(make_url(pg_admin_url).set(database="kinerja_angka_kredit"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def org_world(platform: Platform, token_for: Callable[..., str], pg_admin_url: str) -> Iterator[OrgWorld]:
    channel = grpc.insecure_channel(platform.org_addr)
    engine = create_engine(make_url(pg_admin_url).set(database="kinerja_org"))
    yield OrgWorld(org_pb2_grpc.OrgServiceStub(channel), token_for, engine)
    engine.dispose()
    channel.close()


@pytest.fixture
def world(org_world: OrgWorld) -> AkWorld:
    """A fresh instansi for each test."""
    return ak_world(org_world)
