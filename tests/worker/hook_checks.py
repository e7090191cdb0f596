"""nameko's `entrypoint_hook` on the job entrypoint, run by test_worker_handlers.py in a process of its own:
the hook waits with threading primitives, which need eventlet's monkey patching (never done in pytest's)."""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

from nameko.containers import ServiceContainer  # noqa: E402
from nameko.testing.services import entrypoint_hook, replace_dependencies  # noqa: E402
from test_worker_handlers import FakeStorage, Renderer  # noqa: E402

from kinerja_worker.entrypoints import Job  # noqa: E402


def main() -> None:
    container = ServiceContainer(Renderer, config={"AMQP_URI": "memory://"})
    storage = FakeStorage()
    replace_dependencies(container, storage=storage)
    with entrypoint_hook(container, "render") as render:
        assert render(Job(id="2", queue="documents", name="render", payload={"skp_id": "s-2"})) == "2"
    assert storage == {"2": b"PDF of s-2"}
    print("hooked")


if __name__ == "__main__":
    main()
