"""Pure org rules and value objects: no SQLAlchemy, gRPC or Kafka here."""
