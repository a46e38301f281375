"""The HTTP layer: a route table over the services, authentication, errors, OpenAPI."""
