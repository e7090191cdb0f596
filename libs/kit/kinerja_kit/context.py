"""Per-call context: the verified principal, request id and trace id, carried in context variables."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from kinerja_kit.errors import FieldViolation, InvalidArgument

ROLE_PEGAWAI = "pegawai"
ROLE_ADMIN_INSTANSI = "admin_instansi"
ROLE_ADMIN_BKN = "admin_bkn"
ALL_ROLES = (ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI, ROLE_ADMIN_BKN)
# Access-token claim set while the account must change its password (after an admin reset): every
# service then refuses the token except for the few methods that let the holder change it.
PASSWORD_CHANGE_CLAIM = "pwd_change"


@dataclass(frozen=True)
class Principal:
    """Who is calling: taken from a verified JWT, never from a request field."""

    subject: str
    username: str
    instansi_id: uuid.UUID
    roles: frozenset[str] = field(default_factory=frozenset)
    pegawai_id: uuid.UUID | None = None
    nama: str = ""
    token: str = ""
    # The instansi an admin BKN chose to act on (x-instansi-id metadata); None for everyone else.
    acting_instansi_id: uuid.UUID | None = None
    # The token carries PASSWORD_CHANGE_CLAIM: the caller may only change the password (see grpc_server).
    password_change_required: bool = False

    @property
    def is_admin_bkn(self) -> bool:
        return ROLE_ADMIN_BKN in self.roles

    @property
    def is_admin_instansi(self) -> bool:
        return ROLE_ADMIN_INSTANSI in self.roles

    @property
    def is_admin(self) -> bool:
        return self.is_admin_bkn or self.is_admin_instansi

    @property
    def tenant_id(self) -> uuid.UUID:
        """The instansi every read and write of this call is confined to."""
        if self.is_admin_bkn and self.acting_instansi_id is not None:
            return self.acting_instansi_id
        return self.instansi_id


SYSTEM = Principal(subject="system", username="system", instansi_id=uuid.UUID(int=0))

current_principal: ContextVar[Principal | None] = ContextVar("current_principal", default=None)
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
current_tenant: ContextVar[uuid.UUID | None] = ContextVar("current_tenant", default=None)
# The client's idempotency key of this call ("" when none): a retried create answers its first result.
current_idempotency_key: ContextVar[str] = ContextVar("current_idempotency_key", default="")
# When the work in this context must be done (a `time.monotonic()` instant): the gateway sets it at a
# request's arrival, a service from its caller's gRPC deadline; every outgoing call gets at most the time
# left (kinerja_kit.grpc_client). None: no deadline but a channel's default.
current_deadline: ContextVar[float | None] = ContextVar("current_deadline", default=None)

# gRPC metadata carrying the idempotency key (the gateway sends a mutation's clientMutationId in it).
IDEMPOTENCY_METADATA = "idempotency-key"
IDEMPOTENCY_KEY_MAX = 100


def check_idempotency_key(value: str) -> str:
    """The key as given when it is 1 to IDEMPOTENCY_KEY_MAX visible ASCII characters (no space): what
    gRPC metadata carries unchanged, long enough for a UUID or a client's counter; refused otherwise."""
    if 0 < len(value) <= IDEMPOTENCY_KEY_MAX and all("!" <= c <= "~" for c in value):
        return value
    raise InvalidArgument(
        [
            FieldViolation(
                "idempotency_key",
                "INVALID_IDEMPOTENCY_KEY",
                f"Kunci idempotensi (clientMutationId) harus terdiri dari 1 sampai {IDEMPOTENCY_KEY_MAX} "
                "karakter ASCII tanpa spasi.",
            )
        ]
    )


@contextlib.contextmanager
def bind(
    principal: Principal | None = None,
    request_id: str | None = None,
    tenant: uuid.UUID | None = None,
    idempotency_key: str | None = None,
    deadline: float | None = None,
) -> Iterator[None]:
    """Binds the principal, request id, tenant, idempotency key and deadline for the duration of a block."""
    tokens: list[tuple[ContextVar[Any], Token[Any]]] = []
    if principal is not None:
        tokens.append((current_principal, current_principal.set(principal)))
    if request_id is not None:
        tokens.append((current_request_id, current_request_id.set(request_id)))
    if tenant is not None:
        tokens.append((current_tenant, current_tenant.set(tenant)))
    if idempotency_key is not None:
        tokens.append((current_idempotency_key, current_idempotency_key.set(idempotency_key)))
    if deadline is not None:
        tokens.append((current_deadline, current_deadline.set(deadline)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
