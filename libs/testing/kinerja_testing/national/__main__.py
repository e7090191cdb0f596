"""`python -m kinerja_testing.national [seed|stop|status] [--pegawai N] [--seed S] [--fresh] ...`

seed (default): makes the national data set in `.national/` through the services' APIs (see the package's
README), or, when its manifest says it is complete, only starts its stack. stop / status: its stack."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from kinerja_testing.national import stack
from kinerja_testing.national.load import LoadError
from kinerja_testing.national.seed import Options, read_manifest, seed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m kinerja_testing.national", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("command", nargs="?", default="seed", choices=["seed", "stop", "status"])
    parser.add_argument("--pegawai", type=int, default=1_000_000, help="pegawai in all (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=7, help="the data set follows from it (default 7)")
    parser.add_argument(
        "--instansi", type=int, default=None, help="at most this many instansi (default: ~75 at 1M)"
    )
    parser.add_argument(
        "--samples", type=int, default=600, help="sample staff with an approved SKP and a password"
    )
    parser.add_argument(
        "--skp-share", type=float, default=0.05, help="share of the pegawai with an SKP (0.05)"
    )
    parser.add_argument(
        "--workers", type=int, default=4, help="calls in flight, each for another instansi (4)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="remove the data set and its stack first, then rebuild"
    )
    parser.add_argument(
        "--accounts-later",
        action="store_true",
        help="write the manifest once the sample users can log in; identity opens the other accounts meanwhile "
        "(run again to wait for them)",
    )
    parser.add_argument("--data", type=Path, default=stack.DATA, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.command == "stop":
        stack.stop(args.data)
        return
    if args.command == "status":
        manifest = read_manifest(args.data)
        print(f"data root {args.data}: {'running' if stack.running(args.data) else 'not running'}; "
              f"{'manifest of ' + format(manifest['pegawai_total'], ',') + ' pegawai' if manifest else 'no manifest'}")  # fmt: skip
        return
    if args.pegawai < 100:
        parser.error("--pegawai must be at least 100")
    options = Options(
        args.pegawai,
        args.seed,
        args.instansi,
        args.samples,
        args.skp_share,
        args.workers,
        not args.accounts_later,
    )
    try:
        seed(options, args.data, fresh=args.fresh)
    except LoadError as exc:
        raise SystemExit(f"The load stopped: {exc}") from exc


if __name__ == "__main__":
    main()
