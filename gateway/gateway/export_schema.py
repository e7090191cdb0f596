"""`python -m gateway.export_schema`: writes the SDL to gateway/schema.graphql (or prints it with --check)."""

from __future__ import annotations

import sys
from pathlib import Path

from gateway.api.schema import schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def sdl() -> str:
    """The schema's SDL, as committed."""
    return schema.as_str().rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        if not SDL_PATH.exists() or SDL_PATH.read_text() != sdl():
            print(f"{SDL_PATH} is out of date: run python -m gateway.export_schema", file=sys.stderr)
            return 1
        return 0
    SDL_PATH.write_text(sdl())
    print(f"wrote {SDL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
