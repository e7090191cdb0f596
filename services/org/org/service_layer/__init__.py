"""Command handlers and queries of the org service: permissions, transactions, events."""
