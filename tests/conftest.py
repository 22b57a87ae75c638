"""Shared test configuration: unit tests need nothing; integration tests need the real servers."""
