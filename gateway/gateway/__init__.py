"""The GraphQL gateway: FastAPI + strawberry over the services' gRPC APIs."""
