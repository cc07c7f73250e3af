"""Tests of pure code and of the architecture's rules."""
