"""Demo data for `make run` and the tests, loaded through the public RPCs."""
