"""Alembic migrations of the identity database (run by the owner role, never by the service)."""
