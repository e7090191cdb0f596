"""Adapters: the ORM mapping of the org tables and the repository queries over them."""
