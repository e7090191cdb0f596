"""Typed settings of the gateway, read from the environment."""

from __future__ import annotations

from pydantic import Field

from kinerja_kit.settings import CommonSettings


class GatewaySettings(CommonSettings):
    """Where the gateway listens, which services it calls, and its query limits."""

    # The assessment service (ASSESSMENT_ADDR).
    assessment_addr: str = "127.0.0.1:50054"
    # The angka kredit service (ANGKA_KREDIT_ADDR).
    angka_kredit_addr: str = "127.0.0.1:50055"
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    # A service is healthy when it answers its gRPC health check within this time.
    health_timeout_seconds: float = 1.0
    graphiql: bool = True
    # Production mode: no GraphiQL (whatever GRAPHIQL says) and no introspection without a valid token.
    gateway_production: bool = False
    # uvicorn worker processes of `python -m gateway` (each with its own event loop and gRPC channels).
    gateway_workers: int = Field(default=1, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    max_query_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=15, ge=1)
    max_tokens: int = Field(default=2000, ge=100)
    # Cost budget of one GraphQL request (gateway.api.limits: fields, page sizes, nested lists).
    max_query_cost: int = Field(default=5000, ge=1)
    # Requests costing at least HEAVY_QUERY_COST execute at most HEAVY_QUERIES_PER_WORKER at a time per
    # worker (the others wait their turn), so light requests never queue behind many heavy ones.
    heavy_query_cost: int = Field(default=2500, ge=1)
    heavy_queries_per_worker: int = Field(default=1, ge=1)
    # A request body larger than this is refused (413) before it is read whole. 1.5 MiB: a signed SK PAK
    # of at most 1 MiB travels in base64 (unggahSkPak), a third larger, with its query beside it.
    max_request_bytes: int = Field(default=1_572_864, ge=1024)
    # Deepest nesting of arrays and objects in a JSON body (variables included).
    max_json_depth: int = Field(default=32, ge=2)
    # GraphQL requests one principal (token subject, or client address without a token) may have in
    # flight in one worker; more are answered 429 at once.
    max_concurrent_per_principal: int = Field(default=8, ge=1)
    # Every request's time budget, from its arrival: each gRPC call gets what is left as its deadline.
    request_timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql and not self.gateway_production
