"""Pure identity rules: accounts, usernames, passwords, lockout, roles and refresh tokens."""
