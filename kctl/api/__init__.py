"""The API server: resource registry, schemas, validation, defaulting."""
