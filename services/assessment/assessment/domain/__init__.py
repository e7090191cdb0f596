"""Pure rules and aggregates of assessment: no database, gRPC or Kafka."""
