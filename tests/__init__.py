"""The project's tests: unit/, integration/ (real servers) and bench/ (figures, not asserts)."""
