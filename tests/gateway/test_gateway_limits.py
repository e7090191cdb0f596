"""Depth, alias, token and page-size limits, and authentication, refuse before any service is called."""

from __future__ import annotations

import json
import uuid
from typing import Any

from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from gateway.api.schema import Limits
from kinerja_kit.tokens import SigningKey, TokenSigner
from kinerja_testing.gateway import FakeOrg, Gql, TokenFactory, error_codes


def _nested(depth: int) -> str:
    # pegawai -> unor -> parent -> parent ... one level per `parent`
    inner = "id"
    for _ in range(depth):
        inner = f"parent {{ {inner} }}"
    return f'{{ unor(id: "{uuid.uuid4()}") {{ {inner} }} }}'


def test_query_depth_limit(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    token = token_for(uuid.uuid4())
    calls = sum(fake_org.calls.values())
    too_deep = gql(_nested(12), token=token)
    assert too_deep["data"] is None
    assert "exceeds maximum operation depth" in too_deep["errors"][0]["message"]
    assert sum(fake_org.calls.values()) == calls
    assert "errors" not in gql(_nested(8), token=token)


def test_alias_limit(gql: Gql, token_for: TokenFactory) -> None:
    query = "{ " + " ".join(f"a{i}: unorTree {{ id }}" for i in range(20)) + " }"
    body = gql(query, token=token_for(uuid.uuid4()))
    assert body["data"] is None
    assert "aliases" in body["errors"][0]["message"]


def test_token_limit(gql: Gql, token_for: TokenFactory) -> None:
    query = "{ unorTree { " + " ".join(["id"] * 3000) + " } }"
    body = gql(query, token=token_for(uuid.uuid4()))
    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()


def test_page_size_is_limited(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    token = token_for(uuid.uuid4())
    for first in (101, 0, -1):
        body = gql("query($f: Int!) { pegawaiList(first: $f) { totalCount } }", {"f": first}, token=token)
        assert error_codes(body) == ["INVALID_ARGUMENT"]
        assert body["errors"][0]["extensions"]["fields"][0] == {
            "field": "first",
            "code": "PAGE_SIZE_OUT_OF_RANGE",
            "message": "Jumlah per halaman harus 1 sampai 100.",
        }


def test_without_a_token_only_login_works(gql: Gql) -> None:
    body = gql("{ unorTree { id } }")
    assert error_codes(body) == ["UNAUTHENTICATED"]
    body = gql('mutation { createUnor(input: {nama: "X", jenis: PENGAWAS}) { errors { code } } }')
    assert error_codes(body) == ["UNAUTHENTICATED"]


def test_bad_or_expired_tokens_are_refused(gql: Gql, signer: TokenSigner) -> None:
    assert error_codes(gql("{ me { account { id } } }", token="not.a.jwt")) == ["TOKEN_INVALID"]
    expired = signer.issue(
        subject="s", instansi_id=uuid.uuid4(), roles=["pegawai"], username="u", ttl_seconds=-60
    )
    assert error_codes(gql("{ me { account { id } } }", token=expired)) == ["TOKEN_EXPIRED"]
    other_key = TokenSigner(SigningKey.generate(), signer.issuer, signer.audience)
    forged = other_key.issue(subject="s", instansi_id=uuid.uuid4(), roles=["admin_bkn"], username="u")
    assert error_codes(gql("{ me { account { id } } }", token=forged)) == ["TOKEN_INVALID"]


def test_pegawai_may_not_call_admin_mutations(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=1)
    body = gql(
        'mutation { createUnor(input: {nama: "X", jenis: PENGAWAS}) { errors { code } } }',
        token=token_for(uuid.UUID(seeded.instansi_id)),
    )
    assert error_codes(body) == ["ADMIN_ONLY"]


def test_parse_and_validation_are_cached_across_requests(gql: Gql, token_for: TokenFactory) -> None:
    size = Limits().cache_size
    query = f"{{ unorTree(query: {json.dumps(uuid.uuid4().hex)}) {{ id }} }}"
    token = token_for(uuid.uuid4())
    gql(query, token=token)
    parse_hits, validate_hits = _hits(_get_parse_cache(size)), _hits(_get_validate_cache(size))
    gql(query, token=token)
    assert _hits(_get_parse_cache(size)) == parse_hits + 1
    assert _hits(_get_validate_cache(size)) == validate_hits + 1


def _hits(cache: Any) -> int:
    return int(cache.cache_info().hits)
