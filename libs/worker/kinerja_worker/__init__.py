"""The worker tier: the JobQueue port (kinerja_worker.port) and its nameko adapter on RabbitMQ."""
