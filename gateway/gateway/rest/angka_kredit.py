"""GET /api/v1/pak/{id}/sk: the uploaded (wet-signed) SK of a PAK as its PDF, for whoever may read the PAK
(the pegawai, their pejabat penilai today, the admin: the service's rule, as GetSkPak answers it)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from gateway.api.org.queries import require_id
from gateway.clients import call
from gateway.state import gateway_state, tenant_caller
from kinerja.angka_kredit.v1 import angka_kredit_pb2

router = APIRouter(prefix="/api/v1", tags=["angka kredit"])


def _disposition(nama: str) -> str:
    """An attachment named as uploaded (RFC 6266: an ASCII fallback and the UTF-8 name)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in nama)
    return f"attachment; filename=\"{fallback or 'sk-pak.pdf'}\"; filename*=UTF-8''{quote(nama)}"


@router.get(
    "/pak/{pak_id}/sk",
    summary="The uploaded SK of a PAK (PDF)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def download_sk(
    request: Request,
    pak_id: str,
    instansi_id: Annotated[str | None, Query(alias="instansiId")] = None,
) -> Response:
    state = gateway_state(request)
    caller = await tenant_caller(request, instansi_id)
    found = await call(
        state.clients.angka_kredit.GetSkPak,
        angka_kredit_pb2.GetSkPakRequest(id=require_id(pak_id, "id")),
        caller,
    )
    return Response(
        content=found.berkas,
        media_type=found.content_type or "application/pdf",
        headers={
            "Content-Disposition": _disposition(found.nama_berkas or "sk-pak.pdf"),
            "X-Content-SHA256": found.sha256,
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
