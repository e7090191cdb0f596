"""Command handlers and read-side queries, on the unit of work and the ports."""
