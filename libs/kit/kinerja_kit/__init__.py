"""Shared libraries of every kinerja service: settings, database, events, gRPC and logging."""
