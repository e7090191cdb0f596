"""The REST routes GraphQL does not fit: health, login, public keys, and the typed JSON API."""
