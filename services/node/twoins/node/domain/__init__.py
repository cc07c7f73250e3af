"""The node's rules in pure Python: no gRPC, NATS, Flask or SQLAlchemy here."""
