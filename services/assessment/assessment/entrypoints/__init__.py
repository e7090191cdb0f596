"""Entrypoints: the gRPC servicer and the Kafka consumers (translate and delegate)."""
