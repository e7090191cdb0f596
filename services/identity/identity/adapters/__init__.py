"""Adapters: ORM rows and repositories over PostgreSQL, the argon2 hasher and the signing key store."""
