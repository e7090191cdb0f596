"""Alembic environment of the angka kredit service: runs online against the URL set in the config."""

from kinerja_kit.migrations import run_migrations_online

run_migrations_online()
