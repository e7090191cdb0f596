"""GraphQL types, queries and mutations of the identity service: accounts, login and tokens."""
