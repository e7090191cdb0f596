"""Entrypoints of the org service: the gRPC servicer."""
