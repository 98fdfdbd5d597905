"""`kctl lint`: validate manifests offline, as the API server would, for pre-commit and CI."""
