"""`python -m kinerja_worker [module:Class ...]`: the worker process (kinerja_worker.runner)."""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

# nameko runs on eventlet: patch the standard library before anything opens a socket.
eventlet.monkey_patch()

from kinerja_worker.runner import main  # noqa: E402

raise SystemExit(main())
