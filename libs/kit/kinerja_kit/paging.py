"""Keyset pagination and name/NIP search terms shared by every service's list RPCs."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kinerja_kit.errors import FieldViolation, InvalidArgument
from kinerja_kit.fields import has_forbidden_character, search_query
from kinerja_kit.ids import parse_uuid

T = TypeVar("T")
K = TypeVar("K")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MIN_QUERY = 3
COUNT_LIMIT = 1000
"""Lists count their matches up to this many and no further (the answer then says "at least"): a page's
cost must not grow with the instansi, and nobody reads past a thousand to learn the exact figure."""


def bad_argument(field: str, code: str, message: str) -> InvalidArgument:
    return InvalidArgument([FieldViolation(field, code, message)], message)


def fingerprint(*filters: object) -> str:
    """A short hash of a list's filters: a page token only continues the list it came from."""
    return hashlib.sha256(json.dumps(filters, default=str).encode()).hexdigest()[:16]


def page_size(requested: int) -> int:
    if requested < 0:
        raise bad_argument("page_size", "PAGE_SIZE_INVALID", "Ukuran halaman tidak boleh negatif.")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode_page_token(nama: str, last_id: uuid.UUID, filters: str) -> str:
    """The position after the last item of a page ordered by (nama, id)."""
    raw = json.dumps({"n": nama, "i": str(last_id), "f": filters}, ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def split_page(
    fetched: Sequence[T], size: int, position: Callable[[T], tuple[str, uuid.UUID]], filters: str
) -> tuple[list[T], str]:
    """One page of a list read with `size + 1` rows, and the token after its last item ("" when the
    extra row shows nothing follows); `position` gives an item's (nama, id) in the list's order."""
    page = list(fetched[:size])
    if len(fetched) <= size:
        return page, ""
    return page, encode_page_token(*position(page[-1]), filters)


def decode_page_token(token: str, filters: str) -> tuple[str, uuid.UUID]:
    return decode_page_position(token, filters, str)


def decode_page_position(token: str, filters: str, convert: Callable[[str], K]) -> tuple[K, uuid.UUID]:
    """The (key, id) after which a page starts, for a list whose key is not text (a date, a year): the
    token holds the key as text (`split_page`'s position, e.g. `date.isoformat()`) and `convert` reads it
    back; a token of another list, or a key `convert` refuses (ValueError), is PAGE_TOKEN_INVALID."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        last_id = parse_uuid(data["i"])
        if data["f"] != filters or last_id is None or not isinstance(data["n"], str):
            raise ValueError("token of another list")
        if has_forbidden_character(data["n"]):
            raise ValueError("a made-up token")  # it would reach the database's keyset comparison
        return convert(data["n"]), last_id
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad_argument(
            "page_token", "PAGE_TOKEN_INVALID", "Token halaman tidak valid untuk pencarian ini."
        ) from exc


def search_term(query: str) -> tuple[str, str] | None:
    """("nip", digits) for a NIP prefix, ("nama", text) for a name fragment, None for no search;
    fewer than 3 digits or letters is refused, and so is what the kit's search rule refuses (forbidden
    characters, more than `fields.SEARCH_MAX` characters)."""
    cleaned = search_query(query)
    if not cleaned:
        return None
    if cleaned.isascii() and cleaned.isdigit():
        if len(cleaned) < MIN_QUERY:
            raise bad_argument("query", "QUERY_TOO_SHORT", "Ketik minimal 3 digit NIP.")
        return "nip", cleaned
    if sum(c.isalpha() for c in cleaned) < MIN_QUERY:
        raise bad_argument("query", "QUERY_TOO_SHORT", "Ketik minimal 3 huruf nama pegawai.")
    return "nama", cleaned


def bounded_count(session: Session, query: Select[Any], limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """(count, exact) of the rows `query` selects, reading at most `limit` + 1 of them: exact is False
    when there are more than `limit`, and the count is then `limit`."""
    found = session.scalar(select(func.count()).select_from(query.limit(limit + 1).subquery())) or 0
    return (limit, False) if found > limit else (int(found), True)


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
