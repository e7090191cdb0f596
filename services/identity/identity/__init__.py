"""The identity service: accounts, login, tokens, signing keys and lockout."""
