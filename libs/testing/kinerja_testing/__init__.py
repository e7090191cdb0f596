"""Dev-only support: the infrastructure harness, shared test helpers and the demo data of `make run`."""
