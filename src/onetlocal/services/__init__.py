"""Plain functions from a `Ctx` (and path parameters) to response data, one module per API family."""
