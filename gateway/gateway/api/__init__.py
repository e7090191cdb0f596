"""The GraphQL API: per-domain types, queries and mutations, and the schema that joins them."""
