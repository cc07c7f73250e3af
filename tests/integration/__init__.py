"""Tests against real servers: nodes, nats-server, PostgreSQL."""
