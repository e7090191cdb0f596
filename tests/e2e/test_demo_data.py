"""The demo data `make run` loads goes in through the public RPCs, and its demo logins work."""

from __future__ import annotations

import grpc
import pytest
from demo_data import DEMO_LOGINS, load_demo_data
from platform_testing import ADMIN_BKN_PASSWORD, ADMIN_BKN_USERNAME, Platform

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc

pytestmark = pytest.mark.integration


def test_demo_data_loads_once_and_its_logins_work(platform: Platform) -> None:
    assert load_demo_data(platform.identity_addr, platform.org_addr, ADMIN_BKN_USERNAME, ADMIN_BKN_PASSWORD)
    assert not load_demo_data(
        platform.identity_addr, platform.org_addr, ADMIN_BKN_USERNAME, ADMIN_BKN_PASSWORD
    )

    identity = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(platform.identity_addr))
    org = org_pb2_grpc.OrgServiceStub(grpc.insecure_channel(platform.org_addr))
    for demo in DEMO_LOGINS:
        login = identity.Login(identity_pb2.LoginRequest(username=demo.username, password=demo.password))
        assert not login.account.must_change_password
        roles = set(login.account.roles)
        assert (identity_pb2.ROLE_ADMIN_INSTANSI in roles) == demo.admin_instansi
        auth = [("authorization", f"Bearer {login.tokens.access_token}")]
        tree = org.ListUnor(org_pb2.ListUnorRequest(), metadata=auth).unor
        assert len(tree) >= 9
        assert any(u.mandiri for u in tree)
        depth = {u.id: 0 for u in tree if not u.parent_id}
        for u in tree:  # parents come before children
            if u.parent_id:
                depth[u.id] = depth[u.parent_id] + 1
        assert max(depth.values()) >= 2  # at least three levels
        found = org.SearchPegawai(org_pb2.SearchPegawaiRequest(page_size=100), metadata=auth)
        assert found.total_count >= 30
        active_plt = org.ListPlt(org_pb2.ListPltRequest(only_active=True), metadata=auth).plt
        assert len(active_plt) == 1
