"""Identity's command handlers and queries; each runs in a unit-of-work transaction."""
